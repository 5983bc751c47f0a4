"""The register's pages over HTTP: works / outsider 404 / read-only 403 / wrong method 405.
Denied writes leave the register untouched."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from directives.models import Directive, Kind
from directives.queries import list_url
from directives.tests.conftest import Committee, register
from directives.tests.test_services import PDF
from org.models import User
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for


def url(name: str, *args: Any) -> str:
    return reverse(f"directives:{name}", args=args)


def listed(user: User, query: str = "") -> str:
    response = client_for(user).get(f"{url('directive_list')}{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def quarter(people: People, tree: Tree, committee: Committee) -> list[Directive]:
    """Two documents of the committee in Q3, one in Q2, one of the neighbouring commune."""
    return [
        register(people, committee.steering, "1-KH/BCĐ", date(2025, 6, 30), kind=Kind.PLAN,
                 subject="Kế hoạch thực hiện Nghị quyết 57", tasks=[committee.dept_task]),
        register(people, committee.steering, "2-CV/BCĐ", date(2025, 7, 1),
                 subject="Đôn đốc các nhiệm vụ chậm tiến độ"),
        register(people, committee.office, "3-CV/TGV", date(2025, 9, 30)),
        register(people, tree.other_commune, "7/UBND", date(2025, 8, 1)),
    ]  # fmt: skip


def test_the_report_link_shows_exactly_the_counted_documents(
    people: People, committee: Committee, quarter: list[Directive]
) -> None:
    link = list_url(unit=committee.steering, start=date(2025, 7, 1), end=date(2025, 9, 30))
    content = client_for(people.province_viewer).get(link).content.decode()
    assert '<span data-testid="directive-count">2</span>' in content
    assert content.count('data-testid="directive-row"') == 2
    assert "2-CV/BCĐ" in content and "3-CV/TGV" in content and "1-KH/BCĐ" not in content
    iso = listed(people.province_viewer, "?unit=BCD&from=2025-07-01&to=2025-09-30")
    assert iso.count('data-testid="directive-row"') == 2


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("", {"1-KH/BCĐ", "2-CV/BCĐ", "3-CV/TGV", "7/UBND"}),
        ("?unit=CQTT", {"3-CV/TGV"}),
        ("?to=30/06/2025", {"1-KH/BCĐ"}),
        ("?kind=ke_hoach", {"1-KH/BCĐ"}),
        ("?q=don+doc", {"2-CV/BCĐ"}),  # without diacritics
        ("?q=tgv", {"3-CV/TGV"}),
        ("?from=01/10/2025", set()),
    ],
)
def test_list_filters(
    people: People, quarter: list[Directive], query: str, numbers: set[str]
) -> None:
    content = listed(people.standing, query)
    assert content.count('data-testid="directive-row"') == len(numbers)
    assert all(number in content for number in numbers)


def test_a_commune_lists_what_it_may_read(people: People, quarter: list[Directive]) -> None:
    content = listed(people.reporter)
    assert content.count('data-testid="directive-row"') == 3 and "7/UBND" not in content
    assert 'data-testid="directive-create"' not in content
    assert client_for(people.reporter).get(f"{url('directive_list')}?unit=16690").status_code == 404


def test_list_queries_are_bounded(
    people: People, committee: Committee, django_assert_max_num_queries: Any
) -> None:
    client = client_for(people.reporter)
    for n in range(60):
        register(people, committee.steering, f"{n}-CV/BCĐ", date(2025, 9, 1), tasks=[])
    # session, user, its unit, filter units, count, unread notifications, page, session save (3)
    with django_assert_max_num_queries(10):
        content = client.get(url("directive_list")).content.decode()
    assert content.count('data-testid="directive-row"') == 50
    assert '<span data-testid="directive-count">60</span>' in content


def test_export_is_the_filtered_list(
    people: People, committee: Committee, quarter: list[Directive]
) -> None:
    response = client_for(people.dept_reporter).get(f"{url('directive_export')}?unit=BCD")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "STT", "Số, ký hiệu", "Ngày ban hành", "Loại văn bản", "Trích yếu", "Cơ quan ban hành",
        "Nhiệm vụ liên quan",
    )  # fmt: skip
    assert [r[1] for r in rows[1:]] == ["3-CV/TGV", "2-CV/BCĐ", "1-KH/BCĐ"]  # newest first
    assert rows[3][2:4] == ("30/06/2025", "Kế hoạch") and rows[3][6] == "T-SO"


def test_detail_links_tasks_the_reader_sees(
    people: People, committee: Committee, quarter: list[Directive]
) -> None:
    plan = quarter[0]
    plan.tasks.add(committee.commune_task)
    content = client_for(people.dept_reporter).get(url("directive_detail", plan.pk)).content
    text = content.decode()
    assert reverse("tasks:task_detail", kwargs={"code": "T-SO"}) in text
    assert "T-XA2" not in text  # the neighbouring commune's task is out of the department's sight
    assert 'data-testid="directive-edit"' not in text
    standing = client_for(people.standing).get(url("directive_detail", plan.pk)).content.decode()
    assert standing.count('data-testid="directive-task"') == 2
    assert 'data-testid="directive-edit"' in standing


def test_detail_access(people: People, quarter: list[Directive]) -> None:
    neighbour = quarter[3]
    assert (
        client_for(people.other_reporter).get(url("directive_detail", neighbour.pk)).status_code
        == 200
    )
    assert client_for(people.reporter).get(url("directive_detail", neighbour.pk)).status_code == 404
    assert (
        client_for(people.reporter).post(url("directive_detail", neighbour.pk)).status_code == 405
    )
    assert client_for(people.standing).post(url("directive_list")).status_code == 405
    assert Client().get(url("directive_detail", neighbour.pk)).status_code == 302  # to log in


def _form_data(**changes: Any) -> dict[str, Any]:
    return {
        "issuer": "", "number": "15-CV/BCĐ", "issued_on": "05/09/2025",
        "kind": Kind.OFFICIAL_LETTER, "subject": "Đôn đốc báo cáo quý III", "tasks": "T-SO, T-XA2",
    } | changes  # fmt: skip


def test_create_with_a_file(people: People, committee: Committee, media: Any) -> None:
    client = client_for(people.standing)
    form = client.get(url("directive_create")).content.decode()
    assert f'<option value="{committee.steering.pk}" selected>' in form  # the committee by default
    data = _form_data(issuer=committee.steering.pk, file=SimpleUploadedFile("Công văn.pdf", PDF))
    response = client.post(url("directive_create"), data)
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "directive_detail", directive.pk
    )
    assert directive.issued_on == date(2025, 9, 5)
    assert set(directive.tasks.values_list("code", flat=True)) == {"T-SO", "T-XA2"}
    download = client_for(people.reporter).get(url("directive_file", directive.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "C%C3%B4ng%20v%C4%83n.pdf" in download["Content-Disposition"]


def test_create_refusals_keep_the_form(people: People, committee: Committee, media: Any) -> None:
    client = client_for(people.standing)
    bad = _form_data(issuer=committee.steering.pk, issued_on="03/10/2025", tasks="T-SO, KHONG-CO")
    content = client.post(url("directive_create"), bad).content.decode()
    assert "Không tìm thấy nhiệm vụ: KHONG-CO." in content
    exe = SimpleUploadedFile("a.pdf", b"MZ\x90\x00")
    content = client.post(
        url("directive_create"), bad | {"tasks": "", "file": exe}
    ).content.decode()
    assert "Ngày ban hành không được sau hôm nay." in content
    assert "Chỉ nhận tệp PDF, DOCX" in content
    assert not Directive.objects.exists() and not list(media.rglob("*"))


@pytest.mark.parametrize(
    ("person", "status"), [("reporter", 403), ("province_viewer", 403), ("communes_admin", 403)]
)
def test_create_is_for_programme_managers(
    people: People, committee: Committee, person: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    assert client.get(url("directive_create")).status_code == status
    data = _form_data(issuer=committee.steering.pk)
    assert client.post(url("directive_create"), data).status_code == status
    assert client.put(url("directive_create")).status_code == 405
    assert not Directive.objects.exists()


@pytest.mark.parametrize(
    ("person", "issuer", "status"),
    [
        ("reporter", "other_commune", 404),  # a neighbour's document is out of sight
        ("reporter", "commune", 403),  # its own commune's: seen, not the reporter's to change
        ("head", "steering", 403),  # the committee's: read by all
        ("province_viewer", "steering", 403),
        ("communes_admin", "commune", 403),
        ("sysadmin", "steering", 200),
    ],
)
def test_edit_and_delete_access(
    people: People, tree: Tree, committee: Committee, person: str, issuer: str, status: int
) -> None:
    unit = getattr(committee, issuer) if issuer == "steering" else getattr(tree, issuer)
    directive = register(people, unit, "5/X", date(2025, 8, 1))
    client = client_for(getattr(people, person))
    for name in ("directive_edit", "directive_delete"):
        assert client.get(url(name, directive.pk)).status_code == status
    if status != 200:
        assert client.post(url("directive_delete", directive.pk)).status_code == status
        assert client.post(url("directive_edit", directive.pk), _form_data()).status_code == status
        assert Directive.objects.get().subject == "Công văn 5/X"


def test_edit_then_delete(people: People, tree: Tree, committee: Committee) -> None:
    directive = register(people, committee.steering, "5-CV/BCĐ", date(2025, 8, 1))
    client = client_for(people.standing)
    edit = url("directive_edit", directive.pk)
    assert 'value="5-CV/BCĐ"' in client.get(edit).content.decode()
    data = _form_data(issuer=committee.office.pk, number="6-cv/tgv", tasks="T-SO")
    assert client.post(edit, data).status_code == 302
    directive.refresh_from_db()
    assert (directive.number, directive.issuer) == ("6-CV/TGV", committee.office)
    assert list(directive.tasks.values_list("code", flat=True)) == ["T-SO"]
    delete = url("directive_delete", directive.pk)
    assert client.put(delete).status_code == 405
    assert "Xóa văn bản 6-CV/TGV ngày 05/09/2025" in client.get(delete).content.decode()
    assert Directive.objects.exists()
    response = client.post(delete)
    assert response.status_code == 302 and response["Location"] == url("directive_list")
    assert not Directive.objects.exists()
