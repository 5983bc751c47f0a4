"""Every org page over HTTP: works / outsider 404 / read-only 403 / wrong method 405, never 500."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Unit, User
from org.tests.conftest import People, Tree


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# (person, unit attribute on Tree, expected status) for GET of the unit page
UNIT_PAGE = [
    ("reporter", "commune", 200),
    ("reporter", "other_commune", 404),
    ("reporter", "dept", 404),
    ("reporter", "province", 404),
    ("dept_reporter", "commune", 404),
    ("communes_admin", "other_commune", 200),
    ("communes_admin", "dept", 404),
    ("province_viewer", "dept", 200),
    ("standing", "commune", 200),
]


@pytest.mark.parametrize(("person", "unit", "status"), UNIT_PAGE)
def test_unit_page(people: People, tree: Tree, person: str, unit: str, status: int) -> None:
    code = getattr(tree, unit).code
    response = client_for(getattr(people, person)).get(reverse("org:unit_detail", args=[code]))
    assert response.status_code == status


def test_unit_page_shows_accounts_only_to_account_managers(people: People, tree: Tree) -> None:
    url = reverse("org:unit_detail", args=[tree.commune.code])
    assert b"unit-accounts" not in client_for(people.reporter).get(url).content
    assert b"bc2" not in client_for(people.reporter).get(url).content
    assert b"unit-accounts" in client_for(people.communes_admin).get(url).content


def test_anonymous_is_sent_to_login(tree: Tree) -> None:
    response = Client().get(reverse("org:unit_detail", args=[tree.commune.code]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_wrong_method_is_405(people: People, tree: Tree) -> None:
    client = client_for(people.standing)
    assert client.post(reverse("org:unit_detail", args=[tree.commune.code])).status_code == 405
    assert (
        client.get(reverse("org:account_set_active", args=[people.reporter.pk])).status_code == 405
    )
    assert client.delete(reverse("org:unit_edit", args=[tree.commune.code])).status_code == 405


def test_unit_list_shows_only_visible_units_and_searches_without_accents(
    people: People, tree: Tree, django_assert_max_num_queries
) -> None:
    Unit.objects.filter(pk=tree.commune.pk).update(search_text="16681 phuong thanh vinh")
    client = client_for(people.reporter)
    with django_assert_max_num_queries(9):
        content = client.get(reverse("org:unit_list")).content.decode()
    assert "16681" in content and "16690" not in content and "SKHCN" not in content
    found = client_for(people.standing).get(reverse("org:unit_list"), {"q": "Thành Vinh"})
    assert "16681" in found.content.decode() and "16690" not in found.content.decode()


def test_unit_list_htmx_returns_the_rows_only(people: People) -> None:
    response = client_for(people.standing).get(reverse("org:unit_list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"unit-list" in response.content


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 302), ("reporter", 403), ("province_viewer", 403), ("communes_admin", 403)],
)
def test_unit_edit(people: People, tree: Tree, person: str, status: int) -> None:
    url = reverse("org:unit_edit", args=[tree.commune.code])
    data = {"name": "Phường Đổi Tên", "unit_type": "phuong"}
    response = client_for(getattr(people, person)).post(url, data)
    assert response.status_code == status
    renamed = Unit.objects.get(pk=tree.commune.pk).name == "Phường Đổi Tên"
    assert renamed is (status == 302)


def test_unit_edit_outsider_404(people: People, tree: Tree) -> None:
    url = reverse("org:unit_edit", args=[tree.other_commune.code])
    assert client_for(people.reporter).post(url, {"name": "X"}).status_code == 404
    assert Unit.objects.get(pk=tree.other_commune.pk).name == "Đơn vị 16690"


def test_history_page_shows_who_changed_what(people: People, tree: Tree) -> None:
    client = client_for(people.standing)
    url = reverse("org:unit_edit", args=[tree.commune.code])
    client.post(url, {"name": "Phường Đổi Tên", "unit_type": "phuong"})
    page = client.get(reverse("org:unit_history", args=[tree.commune.code])).content.decode()
    assert "Đơn vị 16681" in page and "Phường Đổi Tên" in page and "tt" in page
    history_url = reverse("org:unit_history", args=[tree.commune.code])
    assert client_for(people.reporter).get(history_url).status_code == 403


def test_export_xlsx_lists_visible_units(people: People) -> None:
    response = client_for(people.communes_admin).get(reverse("org:unit_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("code", "name", "type", "parent_code")
    assert {r[0] for r in rows[1:]} == {"K-XA", "16681", "16690"}
    assert ("16681", "Đơn vị 16681", "phuong", "K-XA") in rows


@pytest.mark.parametrize(("person", "status"), [("communes_admin", 200), ("reporter", 403)])
def test_account_list(
    people: People, person: str, status: int, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(people, person))
    with django_assert_max_num_queries(9):  # session, user, session save (3), accounts, count
        response = client.get(reverse("org:account_list"))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "bc2" in content and "bcs" not in content and ">tt<" not in content


@pytest.mark.parametrize(
    ("person", "target", "status"),
    [
        ("communes_admin", "other_reporter", 302),
        ("communes_admin", "dept_reporter", 404),
        ("reporter", "other_reporter", 404),
        ("province_viewer", "reporter", 404),
        ("communes_admin", "communes_admin", 403),
    ],
)
def test_account_disable(people: People, person: str, target: str, status: int) -> None:
    account = getattr(people, target)
    url = reverse("org:account_set_active", args=[account.pk])
    response = client_for(getattr(people, person)).post(url, {"active": "0"})
    assert response.status_code == status
    account.refresh_from_db()
    assert account.is_active is (status != 302)


def test_account_reset_shows_one_time_password_once(people: People) -> None:
    url = reverse("org:account_reset_password", args=[people.other_reporter.pk])
    response = client_for(people.communes_admin).post(url)
    assert response.status_code == 200
    people.other_reporter.refresh_from_db()
    assert people.other_reporter.must_change_password
    assert b"created-accounts" in response.content


def test_account_create_form(people: People, tree: Tree) -> None:
    client = client_for(people.communes_admin)
    form = client.get(reverse("org:account_create")).content.decode()
    assert "16681" in form and "SKHCN" not in form and "standing_office" not in form
    data = {"unit": tree.commune.pk, "full_name": "Lê Thị B", "role": "reporter", "username": "leb"}
    response = client.post(reverse("org:account_create"), data)
    assert response.status_code == 200 and User.objects.get(username="leb").unit == tree.commune
    outsider = {**data, "unit": tree.dept.pk, "username": "lec"}
    assert client.post(reverse("org:account_create"), outsider).status_code == 200
    assert not User.objects.filter(username="lec").exists()


def test_home_shows_unit_role_and_actions(people: People) -> None:
    content = client_for(people.reporter).get(reverse("home")).content.decode()
    assert "Đơn vị 16681" in content and "Cán bộ đầu mối báo cáo" in content
    assert "Cập nhật nhiệm vụ, số liệu và báo cáo của đơn vị" in content
    assert "Tài khoản</a>" not in content
