"""The standing office's task pages — create, edit (with a reason), give to units and take from
them — over HTTP: works for the standing office; a commune that does not see the task 404, one
that sees it 403; nothing changed on a denial; query counts bounded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from org.models import Role, UnitGroup, UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from org.tests.test_views import client_for
from tasks.models import AssigneeChange, Assignment, Task
from tasks.tests.test_views import Work

DAY = "01/10/2025"


def _task_form(work: Work, tree: Tree, **overrides: Any) -> dict[str, Any]:
    data = {
        "code": "T-MOI",
        "title": "Triển khai nền tảng số dùng chung",
        "source": work.source.pk,
        "area": work.area.pk,
        "year": "2025",
        "start_date": "01/10/2025",
        "deadline": "31/12/2025",
        "expected_product": "Báo cáo kết quả",
        "description": "",
        "lead_unit": tree.dept.pk,
        "coordinating_units": [tree.other_dept.pk],
        "responsible_person": "Nguyễn Văn A, Phó Giám đốc Sở",
    }
    return data | overrides


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 200),
        ("sysadmin", 200),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("reporter", 403),
        ("dept_reporter", 403),
    ],
)
def test_create_page_by_role(
    people: People, tree: Tree, work: Work, person: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    assert client.get(reverse("tasks:task_create")).status_code == status
    response = client.post(reverse("tasks:task_create"), _task_form(work, tree))
    if status == 200:
        assert response.status_code == 302
        assert response.url == reverse("tasks:task_assign", args=["T-MOI"])
        task = Task.objects.get(code="T-MOI")
        assert task.responsible_person == "Nguyễn Văn A, Phó Giám đốc Sở"
        assert list(task.coordinating_units.all()) == [tree.other_dept]
        assert [a.unit for a in task.assignments.all()] == [tree.dept]  # the lead unit first
    else:
        assert response.status_code == status
        assert not Task.objects.filter(code="T-MOI").exists()


def test_create_names_the_bad_field_and_saves_nothing(
    people: People, tree: Tree, work: Work
) -> None:
    client = client_for(people.standing)
    response = client.post(reverse("tasks:task_create"), _task_form(work, tree, code="T SO"))
    assert response.status_code == 200
    assert "Mã không được chứa" in response.content.decode()
    response = client.post(reverse("tasks:task_create"), _task_form(work, tree, code="T-SO"))
    assert response.status_code == 200  # taken
    assert Task.objects.count() == 2


def test_anonymous_goes_to_login(work: Work) -> None:
    for url in (
        reverse("tasks:task_create"),
        reverse("tasks:task_edit", args=["T-SO"]),
        reverse("tasks:task_assign", args=["T-SO"]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- edit -------------------------------------------------------------------------------------

EDIT = [
    ("standing", "T-XA", 200),
    ("sysadmin", "T-SO", 200),
    ("reporter", "T-SO", 404),  # the commune does not see the department's task
    ("reporter", "T-XA", 403),  # it sees its own task but does not set it up
    ("communes_admin", "T-XA", 403),
    ("province_viewer", "T-SO", 403),
]


@pytest.mark.parametrize(("person", "code", "status"), EDIT)
def test_edit_page_by_role(
    people: People, tree: Tree, work: Work, person: str, code: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    url = reverse("tasks:task_edit", args=[code])
    assert client.get(url).status_code == status
    task = Task.objects.get(code=code)
    form = _task_form(work, tree, title="Tên mới", reason="Điều chỉnh theo Kế hoạch 05")
    form["lead_unit"] = task.lead_unit_id
    response = client.post(url, form)
    task.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert (task.title, task.responsible_person) == ("Tên mới", form["responsible_person"])
        assert task.version == 1
    else:
        assert response.status_code == status
        assert (task.title, task.version) == (f"Nhiệm vụ {code}", 0)


def test_edit_asks_for_a_reason_and_keeps_the_code(people: People, tree: Tree, work: Work) -> None:
    client = client_for(people.standing)
    url = reverse("tasks:task_edit", args=["T-SO"])
    form = _task_form(work, tree, title="Tên mới", code="KHAC")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Lý do thay đổi" in response.content.decode()
    response = client.post(url, form | {"reason": "Sửa tên"})
    assert response.status_code == 302
    assert Task.objects.filter(code="T-SO", title="Tên mới").exists()
    assert not Task.objects.filter(code="KHAC").exists()


# --- assign -----------------------------------------------------------------------------------


def test_assign_to_a_unit_type_previews_then_confirms(
    people: People, tree: Tree, work: Work, django_assert_max_num_queries: Any
) -> None:
    """All wards: the page shows how many and which before anything is saved."""
    more = [make_unit(tree.communes, f"P{i}", UnitType.WARD, name=f"Phường {i}") for i in range(8)]
    closed = date(2025, 6, 30)
    make_unit(tree.communes, "PX", UnitType.WARD, name="Phường Đã Nhập", active_to=closed)
    client = client_for(people.standing)
    url = reverse("tasks:task_assign", args=["T-SO"])
    form = {"kind": "type", "unit_types": ["phuong"], "effective_on": DAY, "reason": "KH 02"}
    with django_assert_max_num_queries(20):
        response = client.post(url, form | {"action": "preview"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sẽ giao cho 10 đơn vị" in content  # the 2 wards of the tree and the 8 new ones
    assert "Phường 7" in content and "Phường Đã Nhập" not in content  # closed: left out
    assert Assignment.objects.filter(task=work.dept_task).count() == 1  # nothing yet
    with django_assert_max_num_queries(40):
        response = client.post(url, form | {"action": "confirm"})
    assert response.status_code == 302
    holders = Assignment.objects.filter(task=work.dept_task, ended_on=None)
    assert holders.count() == 11
    assert set(holders.exclude(unit=tree.dept).values_list("active_from", flat=True)) == {
        date(2025, 10, 1)
    }
    assert AssigneeChange.objects.filter(task=work.dept_task).count() == 10
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert "Phường 7" in page.content.decode()
    assert len(more) == 8


def test_assign_to_a_saved_group_and_a_subtree(people: People, tree: Tree, work: Work) -> None:
    group = UnitGroup.objects.create(name="Xã nông thôn mới")
    group.units.set([tree.commune])
    client = client_for(people.standing)
    url = reverse("tasks:task_assign", args=["T-SO"])
    client.post(url, {"kind": "group", "group": group.pk, "effective_on": DAY, "action": "confirm"})
    assert work.dept_task.assignments.filter(unit=tree.commune).exists()
    client.post(
        url, {"kind": "subtree", "root": tree.agencies.pk, "effective_on": DAY, "action": "confirm"}
    )
    units = set(work.dept_task.assignments.values_list("unit__code", flat=True))
    assert units == {"SKHCN", "SYT", "16681"}  # the bloc itself carries nothing


def test_assign_without_a_choice_names_the_field(people: People, work: Work) -> None:
    response = client_for(people.standing).post(
        reverse("tasks:task_assign", args=["T-SO"]),
        {"kind": "list", "effective_on": DAY, "action": "confirm"},
    )
    assert response.status_code == 200
    assert "Hãy chọn ở mục này." in response.content.decode()
    assert work.dept_task.assignments.count() == 1


def test_end_assignments_from_the_page(people: People, tree: Tree, work: Work) -> None:
    client = client_for(people.standing)
    url = reverse("tasks:task_assign", args=["T-XA"])
    form = {"action": "end", "units": [tree.commune.pk], "ended_on": "30/09/2025"}
    response = client.post(url, form)  # no reason
    assert response.status_code == 200
    assert not Assignment.objects.exclude(ended_on=None).exists()
    response = client.post(url, form | {"reason": "Chuyển giao cho phường khác"})
    assert response.status_code == 302
    ended = Assignment.objects.get(task=work.commune_task, unit=tree.commune)
    assert ended.ended_on == date(2025, 9, 30)
    page = client.get(url).content.decode()
    assert "Chuyển giao cho phường khác" in page and "Đang thực hiện: 1 đơn vị" in page


ASSIGN = [
    ("standing", "T-XA", 302),
    ("reporter", "T-SO", 404),
    ("reporter", "T-XA", 403),
    ("head", "T-XA", 403),
    ("communes_admin", "T-XA", 403),
    ("province_viewer", "T-XA", 403),
    ("dept_reporter", "T-XA", 404),
]


@pytest.mark.parametrize(("person", "code", "status"), ASSIGN)
def test_assign_page_by_role(
    people: People, tree: Tree, work: Work, person: str, code: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    url = reverse("tasks:task_assign", args=[code])
    assert client.get(url).status_code == (200 if status == 302 else status)
    before = list(Assignment.objects.values_list("pk", "unit_id", "active_from", "ended_on"))
    add = {"kind": "list", "units": [tree.dept.pk], "effective_on": DAY, "action": "confirm"}
    end = {"action": "end", "units": [tree.commune.pk], "ended_on": DAY, "reason": "Thôi"}
    assert client.post(url, add).status_code == status
    assert client.post(url, end).status_code == status
    after = list(Assignment.objects.values_list("pk", "unit_id", "active_from", "ended_on"))
    if status == 302:
        assert after != before
    else:
        assert after == before
        assert not AssigneeChange.objects.exists()


def test_detail_offers_the_setup_pages_to_the_standing_office_only(
    people: People, work: Work
) -> None:
    url = reverse("tasks:task_detail", args=["T-XA"])
    assert 'data-testid="task-assign"' in client_for(people.standing).get(url).content.decode()
    assert 'data-testid="task-assign"' not in client_for(people.reporter).get(url).content.decode()


def test_a_new_commune_account_sees_nothing_to_change(tree: Tree, work: Work) -> None:
    outsider = make_unit(tree.communes, "X-NGOAI", UnitType.COMMUNE)
    user = UserFactory(username="ngoai", unit=outsider, role=Role.REPORTER)
    client = client_for(user)
    assert client.get(reverse("tasks:task_edit", args=["T-XA"])).status_code == 404
    assert client.get(reverse("tasks:task_assign", args=["T-XA"])).status_code == 404
    assert client.get(reverse("tasks:task_create")).status_code == 403


def test_the_form_pages_read_little(
    people: People, work: Work, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.standing)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("tasks:task_create")).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(reverse("tasks:task_edit", args=["T-XA"])).status_code == 200
