"""Every task page over HTTP: works / outsider 404 / read-only 403 / wrong method 405, never 500.
Denied writes leave the status history untouched."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from nq57.xlsx import build_workbook
from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from org.tests.test_views import client_for
from tasks import services
from tasks.interchange import HEADERS, SHEET
from tasks.models import Area, Assignment, Source, StatusEvent, Task
from tasks.timeliness import Status

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PROOF = {"evidence_number": "12/QĐ-UBND", "evidence_date": date(2025, 9, 1)}
HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Work:
    dept_task: Task  # the department leads and carries it out alone
    commune_task: Task  # the communes bloc leads; both communes carry it out
    source: Source
    area: Area

    def mine(self) -> Assignment:  # commune 16681's part of the communes' task
        return self.commune_task.assignments.get(unit__code="16681")


def new_task(people: People, code: str, lead: Any, source: Source, area: Area, **kw: Any) -> Task:
    fields = {"title": f"Nhiệm vụ {code}", "year": 2025, "start_date": date(2025, 1, 1)}
    return services.create_task(
        actor=people.standing,
        lead_unit=lead,
        code=code,
        source=source,
        area=area,
        **(fields | kw),
    )


@pytest.fixture
def work(people: People, tree: Tree) -> Work:
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    return Work(
        dept_task=new_task(people, "T-SO", tree.dept, source, area, deadline=date(2025, 12, 31)),
        commune_task=new_task(
            people,
            "T-XA",
            tree.communes,
            source,
            area,
            deadline=date(2025, 12, 31),
            assignees=[tree.commune, tree.other_commune],
        ),
        source=source,
        area=area,
    )


def record(people: People, assignment: Assignment, status: str, on: date, **kw: Any) -> None:
    services.record_status(
        actor=people.standing, assignment=assignment, status=status, effective_date=on, **kw
    )


def detail_url(task: Task) -> str:
    return reverse("tasks:task_detail", args=[task.code])


def status_url(assignment: Assignment) -> str:
    return reverse("tasks:status_update", args=[assignment.task.code, assignment.pk])


def status_data(assignment: Assignment, **over: Any) -> dict[str, Any]:
    values = {"status": "in_progress", "effective_date": "02/10/2025", "progress": "40"}
    return {f"a{assignment.pk}-{k}": v for k, v in (values | over).items()}


# --- list ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("reporter", {"T-XA"}),
        ("head", {"T-XA"}),
        ("other_reporter", {"T-XA"}),
        ("dept_reporter", {"T-SO"}),
        ("communes_admin", {"T-XA"}),
        ("province_viewer", {"T-SO", "T-XA"}),
        ("standing", {"T-SO", "T-XA"}),
        ("sysadmin", {"T-SO", "T-XA"}),
    ],
)
def test_list_shows_only_visible_tasks(
    people: People, work: Work, person: str, sees: set[str]
) -> None:
    response = client_for(getattr(people, person)).get(reverse("tasks:task_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert {code for code in ("T-SO", "T-XA") if f">{code}</a>" in content} == sees


def test_list_anonymous_to_login_and_post_405(people: People, work: Work) -> None:
    response = Client().get(reverse("tasks:task_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_for(people.standing).post(reverse("tasks:task_list")).status_code == 405


def count(content: str, key: str) -> int:
    found = re.search(rf'data-testid="count-{key}">(\d+)<', content)
    assert found, key
    return int(found.group(1))


def listed(content: str) -> list[str]:
    return re.findall(r'<tr data-testid="task-row">\s*<td[^>]*><a [^>]*>([^<]+)</a>', content)


@pytest.fixture
def mixed(people: People, tree: Tree, work: Work) -> Work:
    """T-SO completed on time; T-XA half done; T-LATE overdue; T-TX recurring, another source."""
    record(people, work.dept_task.assignments.get(), Status.COMPLETED, date(2025, 9, 1), **PROOF)
    record(people, work.mine(), Status.COMPLETED, date(2025, 9, 1), **PROOF)
    new_task(people, "T-LATE", tree.other_dept, work.source, work.area, deadline=date(2025, 9, 1))
    other = Source.objects.create(code="NQ71", name="Nghị quyết 71")
    new_task(people, "T-TX", tree.dept, other, work.area, year=2026)
    return work


def test_counts_link_to_their_lists_keeping_the_filters(people: People, mixed: Work) -> None:
    client = client_for(people.standing)
    content = client.get(reverse("tasks:task_list"), {"year": "2025"}).content.decode()
    assert (count(content, "total"), count(content, "completed")) == (3, 1)
    assert (count(content, "completed_on_time"), count(content, "overdue")) == (1, 1)
    assert (count(content, "in_progress"), count(content, "not_on_time")) == (1, 1)
    assert 'href="?year=2025&amp;state=overdue"' in content
    overdue = client.get(reverse("tasks:task_list"), {"year": "2025", "state": "overdue"})
    assert listed(overdue.content.decode()) == ["T-LATE"]
    assert 'name="state" value="overdue"' in overdue.content.decode()  # kept when refiltering
    assert "text-bg-success" in content and "text-bg-danger" in content  # colour, decoration
    assert "Hoàn thành đúng hạn" in content and "Xanh" not in content  # the words say it
    assert 'data-testid="completion">1/2<' in content  # T-XA: one of two communes done


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({}, ["T-LATE", "T-SO", "T-TX", "T-XA"]),
        ({"source": "NQ71"}, ["T-TX"]),
        ({"area": "HT", "year": "2026"}, ["T-TX"]),
        ({"unit": "K-XA"}, ["T-XA"]),  # carried out in the communes' subtree
        ({"unit": "SKHCN", "state": "completed"}, ["T-SO"]),
        ({"q": "late"}, ["T-LATE"]),
        ({"q": "Nhiệm vụ T-X"}, ["T-XA"]),
        ({"sort": "deadline"}, ["T-LATE", "T-SO", "T-XA", "T-TX"]),
        ({"sort": "-deadline"}, ["T-SO", "T-XA", "T-LATE", "T-TX"]),
        ({"state": "not_started"}, ["T-TX"]),
        ({"state": "nonsense", "page": "x"}, ["T-LATE", "T-SO", "T-TX", "T-XA"]),
    ],
)
def test_filters_search_and_sort(
    people: People, mixed: Work, params: dict[str, str], codes: list[str]
) -> None:
    response = client_for(people.standing).get(reverse("tasks:task_list"), params)
    assert response.status_code == 200
    assert listed(response.content.decode()) == codes


def test_unit_filter_out_of_sight_is_404(people: People, mixed: Work) -> None:
    client = client_for(people.reporter)
    assert client.get(reverse("tasks:task_list"), {"unit": "SKHCN"}).status_code == 404
    assert client.get(reverse("tasks:task_list"), {"unit": "NOPE"}).status_code == 404
    assert client.get(reverse("tasks:task_list"), {"unit": "16681"}).status_code == 200


@pytest.mark.parametrize("as_of", ["31/02/2025", "2025-13-01", "hôm qua", "0"])
def test_bad_as_of_is_a_form_error_not_a_500(people: People, mixed: Work, as_of: str) -> None:
    response = client_for(people.standing).get(reverse("tasks:task_list"), {"as_of": as_of})
    assert response.status_code == 200
    content = response.content.decode()
    assert "is-invalid" in content and "Số liệu tính đến ngày 02/10/2025" in content


@pytest.mark.parametrize("as_of", ["15/08/2025", "2025-08-15"])
def test_as_of_in_both_formats(people: People, mixed: Work, as_of: str) -> None:
    content = client_for(people.standing).get(reverse("tasks:task_list"), {"as_of": as_of})
    text = content.content.decode()
    assert "Số liệu tính đến ngày 15/08/2025" in text
    assert (count(text, "completed"), count(text, "overdue")) == (0, 0)  # nothing yet by then


def test_list_queries_do_not_grow_with_rows(
    people: People, tree: Tree, mixed: Work, django_assert_max_num_queries
) -> None:
    client = client_for(people.standing)
    # session (2), menu unit, choices (3), stats, page, completion, session save (3), unread badge
    for filters in ({}, {"source": "NQ57-TINH", "area": "HT", "unit": "P"}):
        with django_assert_max_num_queries(13):
            client.get(reverse("tasks:task_list"), filters)
    for n in range(40):
        new_task(
            people,
            f"N{n:02}",
            tree.communes,
            mixed.source,
            mixed.area,
            assignees=[tree.commune, tree.other_commune],
        )
    for filters in ({}, {"source": "NQ57-TINH", "area": "HT", "unit": "P"}):
        with django_assert_max_num_queries(13):
            response = client.get(reverse("tasks:task_list"), filters)
        assert len(listed(response.content.decode())) == 44 - ("unit" in filters)


def test_list_paginates_with_filters(people: People, tree: Tree, work: Work) -> None:
    for n in range(51):
        new_task(people, f"P{n:02}", tree.dept, work.source, work.area)
    client = client_for(people.standing)
    first = client.get(reverse("tasks:task_list"), {"source": "NQ57-TINH"}).content.decode()
    assert len(listed(first)) == 50 and "?source=NQ57-TINH&amp;page=2" in first
    second = client.get(reverse("tasks:task_list"), {"source": "NQ57-TINH", "page": "2"})
    assert len(listed(second.content.decode())) == 3


def test_export_uses_the_filters(people: People, mixed: Work) -> None:
    client = client_for(people.standing)
    response = client.get(reverse("tasks:task_export"), {"year": "2025", "state": "completed"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["T-SO"]
    mine = client_for(people.dept_reporter).get(reverse("tasks:task_export"))
    sheet = load_workbook(io.BytesIO(b"".join(mine.streaming_content))).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"T-SO", "T-TX"}


# --- detail -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "task", "status"),
    [
        ("reporter", "commune_task", 200),
        ("reporter", "dept_task", 404),
        ("head", "commune_task", 200),
        ("dept_reporter", "commune_task", 404),
        ("dept_reporter", "dept_task", 200),
        ("communes_admin", "dept_task", 404),
        ("province_viewer", "dept_task", 200),
        ("standing", "commune_task", 200),
    ],
)
def test_detail_page(people: People, work: Work, person: str, task: str, status: int) -> None:
    url = detail_url(getattr(work, task))
    assert client_for(getattr(people, person)).get(url).status_code == status


def test_detail_shows_timeline_and_assignees_the_user_may_see(
    people: People, tree: Tree, work: Work
) -> None:
    record(people, work.mine(), Status.IN_PROGRESS, date(2025, 9, 1), progress=30, note="Bắt đầu")
    record(people, work.mine(), Status.COMPLETED, date(2025, 9, 20), **PROOF)
    other = work.commune_task.assignments.get(unit=tree.other_commune)
    record(people, other, Status.PAUSED, date(2025, 9, 5), reason="Chờ kinh phí")
    mine = client_for(people.reporter).get(detail_url(work.commune_task)).content.decode()
    assert "Bắt đầu" in mine and "văn bản số 12/QĐ-UBND" in mine and "ngày 01/09/2025" in mine
    assert "Chờ kinh phí" not in mine and "assignee-16690" not in mine  # a neighbour's part
    assert "1/2 đơn vị đã hoàn thành" in mine and "text-bg-danger" in mine  # paused: red
    assert mine.index("Đã hoàn thành</strong>") < mine.index("Đang thực hiện</strong>")
    everyone = client_for(people.standing).get(detail_url(work.commune_task)).content.decode()
    assert "Chờ kinh phí" in everyone and "assignee-16690" in everyone
    before = client_for(people.standing).get(detail_url(work.commune_task), {"as_of": "10/09/2025"})
    assert "0/2 đơn vị đã hoàn thành" in before.content.decode()
    assert 'data-testid="status-form"' not in before.content.decode()  # past dates: read only


@pytest.mark.parametrize(
    ("person", "forms"),
    [("reporter", 1), ("head", 0), ("province_viewer", 0), ("standing", 2)],
)
def test_detail_offers_forms_only_to_reporters(
    people: People, work: Work, person: str, forms: int
) -> None:
    content = client_for(getattr(people, person)).get(detail_url(work.commune_task))
    assert content.content.decode().count('data-testid="status-form"') == forms


def test_detail_queries_do_not_grow_with_assignees(
    people: People, tree: Tree, work: Work, django_assert_max_num_queries
) -> None:
    communes = [make_unit(tree.communes, f"X{n:02}", UnitType.COMMUNE) for n in range(30)]
    task = new_task(people, "T-30", tree.communes, work.source, work.area, assignees=communes)
    for assignment in task.assignments.all():
        record(people, assignment, Status.IN_PROGRESS, date(2025, 9, 1), progress=20)
    client = client_for(people.standing)
    # 7 for the session, the menu and the unread badge; 1 for the comments
    with django_assert_max_num_queries(14):
        content = client.get(detail_url(task)).content.decode()
    assert content.count('data-testid="status-form"') == 30
    assert content.count('data-testid="event"') == 30
    assert "0/30 đơn vị đã hoàn thành" in content


def test_status_form_starts_from_the_latest_status(people: People, work: Work) -> None:
    record(people, work.mine(), Status.IN_PROGRESS, date(2025, 9, 1), progress=35)
    content = client_for(people.reporter).get(detail_url(work.commune_task)).content.decode()
    assert '<option value="in_progress" selected>' in content and 'value="35"' in content


# --- status update -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("reporter", 200),
        ("standing", 200),
        ("other_reporter", 404),  # sees the task, not the neighbour's part of it
        ("dept_reporter", 404),
        ("head", 403),
        ("communes_admin", 403),
        ("province_viewer", 403),
    ],
)
def test_status_update(people: People, work: Work, person: str, status: int) -> None:
    assignment = work.mine()
    client = client_for(getattr(people, person))
    response = client.post(status_url(assignment), status_data(assignment), **HTMX)
    assert response.status_code == status
    added = StatusEvent.objects.filter(assignment=assignment).count()
    assert added == (1 if status == 200 else 0)
    if status == 200:
        assert response["HX-Retarget"] == "#task-live"
        assert 'data-testid="timeline"' in response.content.decode()
        assert "Đã cập nhật trạng thái." in response.content.decode()


def test_status_update_get_is_405_and_plain_post_redirects(people: People, work: Work) -> None:
    assignment = work.mine()
    client = client_for(people.reporter)
    assert client.get(status_url(assignment)).status_code == 405
    response = client.post(
        status_url(assignment),
        status_data(
            assignment, status="completed", evidence_number="5/KH", evidence_date="01/10/2025"
        ),
    )
    assert response.status_code == 302 and response.url == detail_url(work.commune_task)
    event = StatusEvent.objects.get(assignment=assignment)
    assert (event.status, event.progress, event.entered_by) == ("completed", 100, people.reporter)


def test_wrong_task_code_for_assignment_is_404(people: People, work: Work) -> None:
    assignment = work.mine()
    url = reverse("tasks:status_update", args=["T-SO", assignment.pk])
    response = client_for(people.standing).post(url, status_data(assignment))
    assert response.status_code == 404 and not StatusEvent.objects.exists()


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"status": "completed"}, "Nhiệm vụ hoàn thành phải có minh chứng"),
        ({"status": "paused"}, "Phải nêu lý do khi tạm dừng"),
        ({"status": "removed"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"progress": "120"}, "100"),
        ({"effective_date": "30/02/2025"}, "Nhập một ngày hợp lệ"),
        ({"effective_date": "01/09/2025"}, "không được trước lần cập nhật gần nhất"),
        ({"evidence_link": "javascript:alert(1)"}, "URL"),
    ],
)
def test_status_update_errors_rerender_the_form(
    people: People, work: Work, over: dict[str, str], message: str
) -> None:
    assignment = work.mine()
    record(people, assignment, Status.IN_PROGRESS, date(2025, 9, 15), progress=10)
    response = client_for(people.reporter).post(
        status_url(assignment), status_data(assignment, **over), **HTMX
    )
    content = response.content.decode()
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert content.startswith("<form") and message in content
    assert StatusEvent.objects.filter(assignment=assignment).count() == 1


def test_plain_post_with_errors_renders_a_page(people: People, work: Work) -> None:
    assignment = work.mine()
    response = client_for(people.reporter).post(
        status_url(assignment), status_data(assignment, status="paused")
    )
    assert response.status_code == 200 and b"<html" in response.content
    assert not StatusEvent.objects.exists()


# --- evidence ----------------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(people: People, work: Work, name: str, content: bytes) -> Any:
    assignment = work.mine()
    data = status_data(assignment, status="completed")
    data[f"a{assignment.pk}-evidence_file"] = SimpleUploadedFile(name, content)
    return client_for(people.reporter).post(status_url(assignment), data, **HTMX)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a renamed executable
        ("x.exe", PDF),
        ("x.png", PDF),  # the content must match the extension
        ("x.docx", b"\xd0\xcf\x11\xe0 old word"),
        ("x", PDF),
    ],
)
def test_evidence_must_be_a_real_document(
    people: People, work: Work, media: Path, name: str, content: bytes
) -> None:
    response = upload(people, work, name, content)
    assert response.status_code == 200
    assert "Chỉ nhận tệp PDF, DOCX, XLSX, JPG, JPEG, PNG." in response.content.decode()
    assert not StatusEvent.objects.exists() and not media.exists()


def test_oversized_evidence_is_refused(
    people: People, work: Work, media: Path, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    response = upload(people, work, "big.pdf", PDF + b"0" * (1024 * 1024))
    assert response.status_code == 200 and "Tệp lớn hơn 1 MB." in response.content.decode()
    assert not StatusEvent.objects.exists()


def test_evidence_stored_under_a_generated_name_and_served_to_those_who_see_it(
    people: People, work: Work, media: Path
) -> None:
    response = upload(people, work, "../../etc/passwd.pdf", PDF)
    assert response.status_code == 200 and "Tải minh chứng" in response.content.decode()
    event = StatusEvent.objects.get()
    assert re.fullmatch(r"evidence/2025/[0-9a-f]{32}\.pdf", event.evidence_file.name)
    stored = Path(event.evidence_file.path).resolve()
    assert stored.is_relative_to(media.resolve()) and stored.read_bytes() == PDF
    assert "passwd" not in str(stored) and "passwd" not in event.note
    url = reverse("tasks:evidence", args=[event.pk])
    for person in ("reporter", "head", "standing", "province_viewer"):
        got = client_for(getattr(people, person)).get(url)
        assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
        assert got["Content-Disposition"] == f'attachment; filename="minh-chung-{event.pk}.pdf"'
    for person in ("other_reporter", "dept_reporter"):
        assert client_for(getattr(people, person)).get(url).status_code == 404
    assert client_for(people.reporter).post(url).status_code == 405
    assert Client().get(url).status_code == 302


def test_evidence_of_an_event_without_file_is_404(people: People, work: Work) -> None:
    record(people, work.mine(), Status.COMPLETED, date(2025, 9, 1), **PROOF)
    url = reverse("tasks:evidence", args=[StatusEvent.objects.get().pk])
    assert client_for(people.reporter).get(url).status_code == 404
    assert client_for(people.reporter).get(reverse("tasks:evidence", args=[999])).status_code == 404


# --- removal -----------------------------------------------------------------------------------


@pytest.fixture
def proposal(people: People, work: Work) -> Assignment:
    assignment = work.mine()
    reason = {"reason": "Trùng với nhiệm vụ khác"}
    record(people, assignment, Status.PROPOSED_REMOVAL, date(2025, 9, 1), **reason)
    return assignment


def remove_url(assignment: Assignment) -> str:
    return reverse("tasks:removal_approve", args=[assignment.task.code, assignment.pk])


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 302),
        ("sysadmin", 302),
        ("reporter", 403),
        ("head", 403),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("other_reporter", 404),
        ("dept_reporter", 404),
    ],
)
def test_removal_approval(people: People, proposal: Assignment, person: str, status: int) -> None:
    response = client_for(getattr(people, person)).post(remove_url(proposal))
    assert response.status_code == status
    latest = StatusEvent.objects.filter(assignment=proposal).order_by("-id").first()
    assert latest is not None
    assert latest.status == ("removed" if status == 302 else "proposed_removal")
    assert StatusEvent.objects.count() == (2 if status == 302 else 1)


def test_removal_needs_a_proposal_and_post(people: People, work: Work) -> None:
    client = client_for(people.standing)
    assert client.get(remove_url(work.mine())).status_code == 405
    response = client.post(remove_url(work.mine()), follow=True)
    assert "Chỉ đưa ra khỏi nhiệm vụ khi đơn vị đã đề nghị." in response.content.decode()
    assert not StatusEvent.objects.exists()


def test_detail_offers_removal_to_the_standing_office_only(
    people: People, proposal: Assignment
) -> None:
    url = detail_url(proposal.task)
    assert "approve-removal" in client_for(people.standing).get(url).content.decode()
    assert "approve-removal" not in client_for(people.reporter).get(url).content.decode()


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("reporter", 403), ("province_viewer", 403), ("communes_admin", 403)],
)
def test_removals_page(people: People, proposal: Assignment, person: str, status: int) -> None:
    response = client_for(getattr(people, person)).get(reverse("tasks:removal_list"))
    assert response.status_code == status
    if status == 200:
        assert "Trùng với nhiệm vụ khác" in response.content.decode()


def test_approving_from_the_removals_page_returns_there(
    people: People, proposal: Assignment
) -> None:
    client = client_for(people.standing)
    response = client.post(remove_url(proposal), {"next": "removals"})
    assert response.status_code == 302 and response.url == reverse("tasks:removal_list")
    page = client.get(reverse("tasks:removal_list")).content.decode()
    assert "Không có đề nghị nào đang chờ." in page
    assert client.post(reverse("tasks:removal_list")).status_code == 405


# --- XLSX import --------------------------------------------------------------------------------


def task_file(*codes: str, **over: Any) -> SimpleUploadedFile:
    def line(code: str) -> list[Any]:
        values = dict.fromkeys(HEADERS, "") | {
            "Mã": code,
            "Tên nhiệm vụ": f"Nhiệm vụ {code}",
            "Nguồn": "NQ57-TINH",
            "Lĩnh vực": "HT",
            "Đơn vị chủ trì": "SKHCN",
            "Năm": 2025,
            "Thời hạn": "31/12/2025",
        }
        return [(values | over)[h] for h in HEADERS]

    content = build_workbook(SHEET, HEADERS, [line(code) for code in codes])
    return SimpleUploadedFile("nhiem-vu.xlsx", content)


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("sysadmin", 200), ("reporter", 403), ("province_viewer", 403)],
)
def test_import_page(people: People, work: Work, person: str, status: int) -> None:
    client = client_for(getattr(people, person))
    assert client.get(reverse("tasks:task_import")).status_code == status
    response = client.post(reverse("tasks:task_import"), {"file": task_file("M1")}, follow=True)
    assert response.status_code == status
    assert Task.objects.filter(code="M1").exists() is (status == 200)
    assert client.get(reverse("tasks:task_template")).status_code == status


def test_import_dry_run_saves_nothing_then_import_does(people: People, work: Work) -> None:
    client = client_for(people.standing)
    url = reverse("tasks:task_import")
    dry = client.post(url, {"file": task_file("M1", "M2"), "dry_run": "on"}, follow=True)
    dry = dry.content.decode()
    assert "Xem trước — chưa lưu gì." in dry and "M1, M2" in dry
    assert not Task.objects.filter(code__startswith="M").exists()
    done = client.post(url, {"file": task_file("M1", "M2")}, follow=True).content.decode()
    assert "Đã nhập xong." in done
    assert set(Task.objects.filter(code__startswith="M").values_list("code", flat=True)) == {
        "M1",
        "M2",
    }
    assert client.delete(url).status_code == 405


def test_import_shows_every_error_and_saves_nothing(people: People, work: Work) -> None:
    response = client_for(people.standing).post(
        reverse("tasks:task_import"),
        {"file": task_file("M1", "M2", **{"Nguồn": "KHONG"})},
        follow=True,
    )
    content = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in content
    assert content.count("Không có nguồn “KHONG”.") == 2
    assert "Dòng 2, cột “Nguồn”" in content and "Dòng 3, cột “Nguồn”" in content
    assert not Task.objects.filter(code__startswith="M").exists()


def test_import_refuses_a_file_that_is_not_xlsx(people: People, work: Work) -> None:
    bad = SimpleUploadedFile("x.xlsx", b"not a workbook")  # checked from the content
    response = client_for(people.standing).post(reverse("tasks:task_import"), {"file": bad})
    assert response.status_code == 200 and "Chỉ nhận tệp XLSX." in response.content.decode()
    cases = [
        (b"PK\x03\x04 but not a workbook", "Chỉ nhận tệp XLSX."),  # a ZIP, not a workbook
        (build_workbook("Khác", ["A"], []), "Không có trang tính “Nhiệm vụ”"),  # wrong sheet
    ]
    for content, message in cases:
        upload = SimpleUploadedFile("x.xlsx", content)
        response = client_for(people.standing).post(
            reverse("tasks:task_import"), {"file": upload}, follow=True
        )
        assert response.status_code == 200 and message in response.content.decode()


def test_template_is_an_empty_workbook(people: People) -> None:
    response = client_for(people.standing).get(reverse("tasks:task_template"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))[SHEET]
    assert next(sheet.iter_rows(values_only=True)) == HEADERS


def test_nav_links_to_tasks(people: People) -> None:
    content = client_for(people.reporter).get(reverse("home")).content.decode()
    assert f'href="{reverse("tasks:task_list")}"' in content
