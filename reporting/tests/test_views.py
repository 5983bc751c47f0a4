"""Every reporting page over HTTP: works / outsider 404 / read-only 403 / wrong method 405, never
500. Refused writes leave the report, its text, its files and its history as they were."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from org.models import Role, UnitType, User
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind
from reporting import services
from reporting.models import Attachment, ReportState, UnitReport
from tasks import services as task_services
from tasks.models import Area, Assignment, Source, StatusEvent
from tasks.timeliness import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2025, 10, 5, 17, 0, tzinfo=TZ)  # the test clock stands at 02/10/2025 09:00
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}
STALE = "Báo cáo vừa được người khác cập nhật"


_CLIENTS: dict[int, Client] = {}


@pytest.fixture(autouse=True)
def _fresh_clients() -> Iterator[None]:
    _CLIENTS.clear()
    yield
    _CLIENTS.clear()


def as_user(user: User) -> Client:
    """One logged-in client per user within a test, so messages survive the redirect."""
    if user.pk not in _CLIENTS:
        _CLIENTS[user.pk] = client_for(user)
    return _CLIENTS[user.pk]


@pytest.fixture
def period(people: People, tree: Tree) -> Period:
    return services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=DUE,
        units=[tree.commune, tree.other_commune, tree.dept],
    )  # fmt: skip


@pytest.fixture
def report(people: People, tree: Tree, period: Period) -> UnitReport:
    return services.start_report(actor=people.reporter, unit=tree.commune, period=period)


@pytest.fixture
def area(db: None) -> Area:
    return Area.objects.create(code="HT", name="Hạ tầng công nghệ")


def url(name: str, *args: Any, unit: str = "16681", period: str = "2025-Q3") -> str:
    return reverse(f"reporting:{name}", args=[period, unit, *args])


def page(user: User, unit: str = "16681") -> str:
    response = as_user(user).get(url("report", unit=unit))
    assert response.status_code == 200
    return response.content.decode()


def fresh(report: UnitReport) -> UnitReport:
    return UnitReport.objects.get(pk=report.pk)


def move(people: People, report: UnitReport, *steps: str) -> UnitReport:
    """Walk the report through the workflow at service level."""
    actors = {"submit": people.reporter, "approve": people.head, "receive": people.standing}
    for step in steps:
        report = getattr(services, f"{step}_report")(actor=actors[step], report=report)
    return report


def save_data(version: int, *texts: str, kind: str = "results", **extra: str) -> dict[str, str]:
    """The posted report form: `texts` as the items of one part, the other parts empty."""
    data = {"version": str(version)} | extra
    for part in ("results", "difficulties", "proposals"):
        items = texts if part == kind else ()
        data |= {f"{part}-TOTAL_FORMS": str(len(items)), f"{part}-INITIAL_FORMS": "0"}
        for i, text in enumerate(items):
            data |= {f"{part}-{i}-text": text, f"{part}-{i}-area": ""}
    return data


# --- the report page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "unit", "status"),
    [
        ("reporter", "16681", 200),
        ("head", "16681", 200),
        ("communes_admin", "16681", 200),
        ("province_viewer", "16681", 200),
        ("standing", "16681", 200),
        ("other_reporter", "16681", 404),  # a neighbour's report
        ("dept_reporter", "16681", 404),
        ("reporter", "SKHCN", 404),
        ("standing", "SYT", 404),  # visible, but not required in this period
        ("standing", "NOPE", 404),
    ],
)
def test_report_page(
    people: People, report: UnitReport, person: str, unit: str, status: int
) -> None:
    response = as_user(getattr(people, person)).get(url("report", unit=unit))
    assert response.status_code == status


def test_report_page_unknown_period_anonymous_and_post(people: People, report: UnitReport) -> None:
    assert as_user(people.standing).get(url("report", period="2024-Q1")).status_code == 404
    response = Client().get(url("report"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert as_user(people.reporter).post(url("report")).status_code == 405


def test_only_reporters_start_and_get_never_writes(people: People, period: Period) -> None:
    for person in ("head", "province_viewer", "standing", "reporter"):
        content = page(getattr(people, person))
        assert "Chưa bắt đầu" in content
        # only the unit's own reporter: the standing office reads a unit's report, never starts it
        assert ('data-testid="report-start"' in content) == (person == "reporter")
    assert not UnitReport.objects.exists()
    assert as_user(people.head).post(url("report_start")).status_code == 403
    assert as_user(people.other_reporter).post(url("report_start")).status_code == 404
    assert as_user(people.reporter).get(url("report_start")).status_code == 405
    assert not UnitReport.objects.exists()
    response = as_user(people.reporter).post(url("report_start"))
    assert response.status_code == 302 and response.url == url("report")
    assert UnitReport.objects.get().state == ReportState.DRAFT
    assert 'data-testid="report-form"' in page(people.reporter)


def test_page_shows_state_due_time_and_editor_only_to_reporters(
    people: People, report: UnitReport
) -> None:
    mine = page(people.reporter)
    assert "Đang soạn" in mine and "05/10/2025 17:00" in mine and "Còn hạn" in mine
    assert 'data-testid="report-form"' in mine and 'name="version" value="0"' in mine
    assert "Nộp báo cáo" in mine and "Duyệt" not in mine
    head = page(people.head)
    assert 'data-testid="report-form"' not in head and "Nộp báo cáo" not in head
    assert 'data-testid="report-actions"' not in head  # nothing to approve yet


# --- saving the text ---------------------------------------------------------------------------


def test_reporter_saves_sections_with_areas(people: People, report: UnitReport, area: Area) -> None:
    data = save_data(0, "Đã ban hành kế hoạch", "Đã số hóa 80% hồ sơ")
    data["results-1-area"] = "HT"
    data |= {"proposals-TOTAL_FORMS": "1", "proposals-0-text": "Bổ sung kinh phí"}
    response = as_user(people.reporter).post(url("report_save"), data)
    assert response.status_code == 302 and response.url == url("report") + "#report-text"
    sections = list(fresh(report).sections.values_list("kind", "text", "area__code"))
    assert sections == [  # in the report's order: results first, proposals last
        ("results", "Đã ban hành kế hoạch", None),
        ("results", "Đã số hóa 80% hồ sơ", "HT"),
        ("proposals", "Bổ sung kinh phí", None),
    ]
    content = page(people.reporter)
    assert "Đã lưu báo cáo." in content and 'name="version" value="1"' in content
    assert '<option value="HT" selected>' in content
    assert 'name="results-TOTAL_FORMS" value="3"' in content  # two written, one blank
    head = page(people.head)
    assert "Đã số hóa 80% hồ sơ" in head and "Hạ tầng công nghệ" in head


@pytest.mark.parametrize(
    ("person", "status"),
    [("head", 403), ("province_viewer", 403), ("communes_admin", 403), ("other_reporter", 404)],
)
def test_save_refused_changes_nothing(
    people: People, report: UnitReport, person: str, status: int
) -> None:
    response = as_user(getattr(people, person)).post(url("report_save"), save_data(0, "Sửa"))
    assert response.status_code == status
    assert fresh(report).version == 0 and not report.sections.exists()


def test_save_get_is_405_and_before_start_is_404(people: People, period: Period) -> None:
    client = as_user(people.reporter)
    assert client.post(url("report_save"), save_data(0, "Sớm")).status_code == 404
    services.start_report(actor=people.reporter, unit=people.reporter.unit, period=period)
    assert client.get(url("report_save")).status_code == 405


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_text(
    people: People, report: UnitReport
) -> None:
    first, second = as_user(people.reporter), as_user(people.reporter)
    assert first.post(url("report_save"), save_data(0, "Bản của A")).status_code == 302
    response = second.post(url("report_save"), save_data(0, "Bản của B"))
    assert response.status_code == 409
    content = response.content.decode()
    assert STALE in content
    assert "Bản của B</textarea>" in content  # the user's text, still in the form
    assert "Bản của A" in content  # the stored text, shown beside it
    assert 'name="version" value="1"' in content  # saving again is a deliberate overwrite
    assert [s.text for s in report.sections.all()] == ["Bản của A"]
    again = second.post(url("report_save"), save_data(1, "Bản của B"))
    assert again.status_code == 302
    assert [s.text for s in report.sections.all()] == ["Bản của B"]


def test_save_after_submission_is_refused_with_the_text_kept(
    people: People, report: UnitReport
) -> None:
    move(people, report, "submit")
    response = as_user(people.reporter).post(url("report_save"), save_data(1, "Muộn"))
    content = response.content.decode()
    assert response.status_code == 200 and "chỉ sửa được khi còn là bản nháp" in content
    assert "Muộn</textarea>" in content and not report.sections.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"version": "x"},
        {"results-0-area": "NOPE", "results-0-text": "Có"},
        {"results-TOTAL_FORMS": "abc"},
    ],
)
def test_bad_form_is_shown_again_not_a_500(
    people: People, report: UnitReport, data: dict[str, str]
) -> None:
    response = as_user(people.reporter).post(url("report_save"), save_data(0, "Có") | data)
    assert response.status_code == 200
    assert fresh(report).version == 0 and not report.sections.exists()


def test_quick_report_answers_one_field_per_question(people: People, tree: Tree) -> None:
    quick = services.create_period(
        actor=people.standing, code="BCN-0210", kind=PeriodKind.QUICK, title="Báo cáo nhanh",
        starts_on=date(2025, 10, 1), ends_on=date(2025, 10, 2),
        opens_at=datetime(2025, 10, 1, tzinfo=TZ), due_at=DUE, units=[tree.commune],
        questions=["Số hồ sơ trực tuyến?", "Khó khăn?"],
    )  # fmt: skip
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=quick)
    content = page_of(people.reporter, "BCN-0210")
    assert "Số hồ sơ trực tuyến?" in content and "results-TOTAL_FORMS" not in content
    first, second = quick.questions.all()
    data = {"version": "0", f"q{first.pk}": "125 hồ sơ", f"q{second.pk}": ""}
    response = as_user(people.reporter).post(url("report_save", period="BCN-0210"), data)
    assert response.status_code == 302
    assert list(report.sections.values_list("question__text", "text")) == [
        ("Số hồ sơ trực tuyến?", "125 hồ sơ")
    ]
    assert "125 hồ sơ</textarea>" in page_of(people.reporter, "BCN-0210")


def page_of(user: User, period: str) -> str:
    response = as_user(user).get(url("report", period=period))
    assert response.status_code == 200
    return response.content.decode()


# --- the workflow ------------------------------------------------------------------------------


def post_move(user: User, name: str, **data: str) -> Any:
    return as_user(user).post(url("report_move", name), data)


def test_full_path_over_http_with_timeline(people: People, report: UnitReport) -> None:
    assert post_move(people.reporter, "submit").status_code == 302
    head = page(people.head)
    assert "Chờ lãnh đạo đơn vị duyệt" in head and "Duyệt" in head and "Trả lại" in head
    assert "Nộp đúng hạn" in head
    assert post_move(people.head, "approve").status_code == 302
    assert 'data-testid="move-receive"' in page(people.standing)
    assert post_move(people.standing, "receive").status_code == 302
    content = page(people.reporter)
    assert "Cơ quan thường trực đã tiếp nhận" in content
    assert content.count('data-testid="transition"') == 3
    assert 'data-testid="report-form"' not in content  # locked
    assert fresh(report).state == ReportState.RECEIVED


@pytest.mark.parametrize(
    ("steps", "person", "name", "status"),
    [
        ((), "head", "submit", 403),
        ((), "other_reporter", "submit", 404),
        ((), "province_viewer", "submit", 403),
        (("submit",), "reporter", "approve", 403),
        (("submit",), "standing", "receive", 403),  # not approved yet: refused with the reason
        (("submit",), "other_reporter", "approve", 404),
        (("submit", "approve"), "head", "receive", 403),
        (("submit", "approve"), "head", "return_from_office", 403),
        (("submit", "approve", "receive"), "head", "reopen", 403),
        (("submit", "approve", "receive"), "reporter", "submit", 403),  # locked
        ((), "head", "approve", 403),  # still a draft
    ],
)
def test_refused_moves_change_nothing(
    people: People, report: UnitReport, steps: tuple[str, ...], person: str, name: str, status: int
) -> None:
    report = move(people, report, *steps)
    before = (fresh(report).state, report.transitions.count())
    response = post_move(getattr(people, person), name, comment="Ý kiến")
    assert response.status_code == status
    assert (fresh(report).state, report.transitions.count()) == before
    wrong_state = "Không thể thực hiện khi báo cáo đang ở trạng thái"
    if (person, name) in {("standing", "receive"), ("reporter", "submit"), ("head", "approve")}:
        assert wrong_state in response.content.decode()  # the page says why


@pytest.mark.parametrize(
    ("steps", "person", "name"),
    [
        (("submit",), "head", "return_to_unit"),
        (("submit", "approve"), "standing", "return_from_office"),
        (("submit", "approve", "receive"), "standing", "reopen"),
    ],
)
def test_return_and_reopen_need_a_comment_shown_to_the_unit(
    people: People, report: UnitReport, steps: tuple[str, ...], person: str, name: str
) -> None:
    report = move(people, report, *steps)
    user, state = getattr(people, person), fresh(report).state
    response = post_move(user, name, comment="  ")
    assert response.status_code == 302 and fresh(report).state == state
    follow = as_user(user).get(response.url).content.decode()
    assert "Phải ghi ý kiến khi trả lại hoặc mở lại báo cáo." in follow
    assert report.transitions.count() == len(steps)
    assert post_move(user, name, comment="Bổ sung số liệu quý").status_code == 302
    assert fresh(report).state == ReportState.RETURNED
    content = page(people.reporter)
    assert 'data-testid="return-comment"' in content and "Bổ sung số liệu quý" in content
    assert 'data-testid="report-form"' in content  # editable again


def test_unknown_move_is_404_and_get_is_405(people: People, report: UnitReport) -> None:
    assert post_move(people.reporter, "delete").status_code == 404
    assert as_user(people.reporter).get(url("report_move", "submit")).status_code == 405
    assert fresh(report).state == ReportState.DRAFT


def test_late_first_submission_is_shown_late(people: People, report: UnitReport) -> None:
    services.submit_report(actor=people.reporter, report=report, at=DUE + timedelta(hours=2))
    assert "Nộp muộn" in page(people.head)


# --- the unit's tasks --------------------------------------------------------------------------


@pytest.fixture
def assignment(people: People, tree: Tree, area: Area) -> Assignment:
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    task = task_services.create_task(
        actor=people.standing, lead_unit=tree.communes, code="T-XA", title="Số hóa hồ sơ",
        source=source, area=area, year=2025, deadline=date(2025, 12, 31),
        assignees=[tree.commune, tree.other_commune],
    )  # fmt: skip
    return task.assignments.get(unit=tree.commune)


def status_data(assignment: Assignment, **over: str) -> dict[str, str]:
    values = {"status": "in_progress", "effective_date": "02/10/2025", "progress": "40"} | over
    return {f"a{assignment.pk}-{k}": v for k, v in values.items()}


def test_tasks_panel_lists_open_tasks_with_forms_for_reporters(
    people: People, report: UnitReport, assignment: Assignment
) -> None:
    content = page(people.reporter)
    assert "T-XA" in content and content.count('data-testid="status-form"') == 1
    assert "T-XA" in page(people.head) and 'data-testid="status-form"' not in page(people.head)
    task_services.record_status(
        actor=people.reporter, assignment=assignment, status=Status.COMPLETED,
        effective_date=date(2025, 10, 1), evidence_number="5/KH",
        evidence_date=date(2025, 10, 1),
    )  # fmt: skip
    assert "T-XA" not in page(people.reporter)  # completed: no longer owed


@pytest.mark.parametrize(
    ("person", "status"),
    [("reporter", 200), ("standing", 200), ("head", 403), ("other_reporter", 404)],
)
def test_task_status_from_the_report(
    people: People, report: UnitReport, assignment: Assignment, person: str, status: int
) -> None:
    path = url("task_status", assignment.pk)
    response = as_user(getattr(people, person)).post(path, status_data(assignment), **HTMX)
    assert response.status_code == status
    assert StatusEvent.objects.filter(assignment=assignment).count() == (status == 200)
    if status == 200:  # the task's own row again, the other rows left as they are
        assert response["HX-Retarget"] == f"#task-{assignment.pk}"
        assert "Đã cập nhật trạng thái." in response.content.decode()


def test_task_status_errors_and_plain_posts(
    people: People, report: UnitReport, assignment: Assignment, tree: Tree
) -> None:
    client = as_user(people.reporter)
    path = url("task_status", assignment.pk)
    bad = client.post(path, status_data(assignment, status="paused"), **HTMX)
    assert bad.status_code == 200 and "HX-Retarget" not in bad
    assert bad.content.decode().startswith("<form") and "Phải nêu lý do" in bad.content.decode()
    plain_bad = client.post(path, status_data(assignment, progress="120"))
    assert (
        plain_bad.status_code == 200 and 'data-testid="report-title"' in plain_bad.content.decode()
    )
    assert not StatusEvent.objects.exists()
    ok = client.post(path, status_data(assignment))
    assert ok.status_code == 302 and ok.url == url("report") + f"#task-{assignment.pk}"
    assert client.get(path).status_code == 405
    neighbour = assignment.task.assignments.get(unit=tree.other_commune)
    wrong = client.post(url("task_status", neighbour.pk), status_data(neighbour))
    assert wrong.status_code == 404
    assert StatusEvent.objects.count() == 1


def test_report_page_queries_do_not_grow(
    people: People,
    tree: Tree,
    report: UnitReport,
    assignment: Assignment,
    media: Any,
    django_assert_max_num_queries: Any,
) -> None:
    # session, user, menu unit, period, unit, required?, report, questions, sections, areas,
    # assignments, latest events, the period's updates, attachments, timeline, unread count,
    # session save (3)
    as_user(people.reporter)  # logged in before counting
    with django_assert_max_num_queries(19):
        assert page(people.reporter).count('data-testid="status-form"') == 1
    source = assignment.task.source
    for n in range(20):
        task = task_services.create_task(
            actor=people.standing, lead_unit=tree.commune, code=f"N{n:02}", title=f"Việc {n}",
            source=source, area=assignment.task.area, year=2025,
        )  # fmt: skip
        task_services.record_status(
            actor=people.reporter, assignment=task.assignments.get(), status=Status.IN_PROGRESS,
            effective_date=date(2025, 9, 1), progress=10,
        )  # fmt: skip
        upload(people.reporter, f"tep-{n}.pdf", PDF)
    data = save_data(0, *(f"Kết quả {n}" for n in range(20)))
    assert as_user(people.reporter).post(url("report_save"), data).status_code == 302
    with django_assert_max_num_queries(19):
        content = page(people.reporter)
    assert content.count('data-testid="status-form"') == 21
    assert content.count('data-testid="period-update"') == 20  # the September updates
    assert content.count('data-testid="attachment"') == 20


# --- attachments -------------------------------------------------------------------------------


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(user: User, name: str, content: bytes) -> Any:
    return as_user(user).post(url("attachment_add"), {"file": SimpleUploadedFile(name, content)})


def test_upload_download_and_delete(
    people: People,
    report: UnitReport,
    media: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    response = upload(people.reporter, "Báo cáo quý.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Báo cáo quý.pdf"
    assert (media / attachment.file.name).read_bytes() == PDF
    assert "Báo cáo quý.pdf" in page(people.head)
    for person in ("reporter", "head", "province_viewer", "standing"):
        download = as_user(getattr(people, person)).get(url("attachment", attachment.pk))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert "attachment" in download["Content-Disposition"]
        assert "B%C3%A1o%20c%C3%A1o%20qu%C3%BD.pdf" in download["Content-Disposition"]
    delete = url("attachment_delete", attachment.pk)
    assert as_user(people.head).post(delete).status_code == 403
    assert as_user(people.other_reporter).post(delete).status_code == 404
    assert as_user(people.reporter).get(delete).status_code == 405
    assert Attachment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once it commits
        assert as_user(people.reporter).post(delete).status_code == 302
    assert not Attachment.objects.exists() and not list(media.rglob("*.pdf"))


def test_a_rolled_back_delete_keeps_the_file(
    people: People, report: UnitReport, media: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert upload(people.reporter, "Báo cáo quý.pdf", PDF).status_code == 302
    attachment = Attachment.objects.get()
    pk, name = attachment.pk, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.remove_attachment(actor=people.reporter, attachment=attachment)
        assert not Attachment.objects.exists()
        transaction.set_rollback(True)  # e.g. a later step of the same request failed
    assert callbacks == []  # nothing left to run once the deletion was undone
    assert Attachment.objects.get().pk == pk
    assert (media / name).read_bytes() == PDF


def test_a_neighbour_may_not_download(people: People, report: UnitReport, media: Any) -> None:
    upload(people.reporter, "bao-cao.pdf", PDF)
    attachment = Attachment.objects.get()
    for person in ("other_reporter", "dept_reporter"):
        client = as_user(getattr(people, person))
        assert client.get(url("attachment", attachment.pk)).status_code == 404
    other = services.start_report(
        actor=people.other_reporter, unit=people.other_reporter.unit, period=report.period
    )
    assert other.pk != report.pk  # its own report does not open a neighbour's file
    path = url("attachment", attachment.pk, unit="16690")
    assert as_user(people.other_reporter).get(path).status_code == 404


def test_renamed_executable_is_refused(people: People, report: UnitReport, media: Any) -> None:
    response = upload(people.reporter, "bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00")
    assert response.status_code == 302
    assert "Chỉ nhận tệp PDF, DOCX" in page(people.reporter)
    assert not Attachment.objects.exists() and not list(media.rglob("*"))


def test_oversized_file_is_refused(
    people: People, report: UnitReport, media: Any, settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 1
    response = upload(people.reporter, "lon.pdf", PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 302
    assert "Tệp lớn hơn 1 MB." in page(people.reporter)
    assert not Attachment.objects.exists() and not list(media.rglob("*"))


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "/tmp/x/../a.pdf"])
def test_path_tricks_are_stored_under_a_generated_name(
    people: People, report: UnitReport, media: Any, name: str
) -> None:
    assert upload(people.reporter, name, PDF).status_code == 302
    attachment = Attachment.objects.get()
    stored = media / attachment.file.name
    assert stored.is_file() and stored.resolve().is_relative_to(media.resolve())
    assert re.fullmatch(r"reports/\d{4}/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert ".." not in attachment.original_name and "/" not in attachment.original_name


@pytest.mark.parametrize(("person", "status"), [("head", 403), ("other_reporter", 404)])
def test_upload_refused_stores_nothing(
    people: People, report: UnitReport, media: Any, person: str, status: int
) -> None:
    assert upload(getattr(people, person), "a.pdf", PDF).status_code == status
    assert not Attachment.objects.exists() and not list(media.rglob("*"))


def test_files_are_locked_once_submitted(people: People, report: UnitReport, media: Any) -> None:
    upload(people.reporter, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    move(people, report, "submit")
    content = page(people.reporter)
    assert 'data-testid="attachment-form"' not in content and "attachment-delete" not in content
    response = as_user(people.reporter).post(url("attachment_delete", attachment.pk))
    assert response.status_code == 302 and Attachment.objects.exists()
    assert upload(people.reporter, "b.pdf", PDF).status_code == 302
    assert Attachment.objects.count() == 1
    assert as_user(people.reporter).post(url("attachment_add")).status_code == 302


# --- periods -----------------------------------------------------------------------------------


def test_period_list_links_to_own_report_and_board(people: People, report: UnitReport) -> None:
    content = as_user(people.reporter).get(reverse("reporting:period_list")).content.decode()
    assert "Quý III/2025" in content and f'href="{url("report")}"' in content
    assert "Đang soạn" in content and "board-link" not in content and "period-create" not in content
    office = as_user(people.standing).get(reverse("reporting:period_list")).content.decode()
    assert reverse("reporting:board", args=["2025-Q3"]) in office and "period-create" in office
    assert as_user(people.standing).post(reverse("reporting:period_list")).status_code == 405


def period_data(**over: Any) -> dict[str, Any]:
    return {
        "code": "2025-10", "kind": "month", "title": "Tháng 10/2025",
        "starts_on": "01/10/2025", "ends_on": "31/10/2025",
        "opens_at": "2025-10-25T08:00", "due_at": "2025-11-05T17:00",
        "unit_types": ["phuong"], "unit_codes": "", "questions": "",
    } | over  # fmt: skip


def test_standing_office_creates_a_period(people: People, tree: Tree) -> None:
    client = as_user(people.standing)
    assert client.get(reverse("reporting:period_create")).status_code == 200
    data = period_data(blocs=[tree.communes.pk], unit_codes="SKHCN")
    response = client.post(reverse("reporting:period_create"), data)
    assert response.status_code == 302
    period = Period.objects.get(code="2025-10")
    assert response.url == reverse("reporting:board", args=["2025-10"])
    assert set(period.required_units.values_list("code", flat=True)) == {"16681", "16690", "SKHCN"}
    assert period.due_at == datetime(2025, 11, 5, 17, 0, tzinfo=TZ)


def test_quick_period_takes_questions_one_per_line(people: People, tree: Tree) -> None:
    data = period_data(
        code="bcn-1", kind="quick", unit_types=[], unit_codes="16681",
        questions="Câu một?\n\n  Câu hai?  \n",
    )  # fmt: skip
    response = as_user(people.standing).post(reverse("reporting:period_create"), data)
    assert response.status_code == 302
    period = Period.objects.get(code="BCN-1")
    assert list(period.questions.values_list("text", flat=True)) == ["Câu một?", "Câu hai?"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"code": "2025-13"}, "không đúng dạng"),
        ({"due_at": "2025-10-01T08:00"}, "Hạn nộp trước ngày mở nhận báo cáo."),
        ({"unit_types": []}, "Chưa chọn đơn vị nào phải báo cáo."),
        ({"unit_codes": "16681 NOPE"}, "Không có đơn vị mã: NOPE."),
        ({"kind": "quick", "code": "BCN-2"}, "phải có ít nhất một câu hỏi"),
        ({"opens_at": "hôm nay"}, "Nhập"),
    ],
)
def test_period_form_errors(people: People, tree: Tree, over: dict[str, Any], message: str) -> None:
    response = as_user(people.standing).post(
        reverse("reporting:period_create"), period_data(**over)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Period.objects.exists()


@pytest.mark.parametrize("person", ["reporter", "head", "province_viewer", "communes_admin"])
def test_only_the_standing_office_creates_periods(people: People, person: str) -> None:
    client = as_user(getattr(people, person))
    assert client.get(reverse("reporting:period_create")).status_code == 403
    assert client.post(reverse("reporting:period_create"), period_data()).status_code == 403
    assert not Period.objects.exists()


# --- the board ---------------------------------------------------------------------------------


def board_url(name: str = "board", code: str = "2025-Q3") -> str:
    return reverse(f"reporting:{name}", args=[code])


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 200),
        ("sysadmin", 200),
        ("province_viewer", 403),
        ("communes_admin", 403),
        ("reporter", 403),
        ("head", 403),
    ],
)
def test_board_is_for_the_standing_office(
    people: People, period: Period, person: str, status: int
) -> None:
    client = as_user(getattr(people, person))
    assert client.get(board_url()).status_code == status
    assert client.get(board_url("board_export")).status_code == status
    assert client.post(board_url("board_remind")).status_code == (302 if status == 200 else 403)
    closed = client.post(board_url("board_close")).status_code == 302
    period.refresh_from_db()
    assert closed is (status == 200) and (period.closes_at is not None) is closed


def test_board_states_counts_filters_and_times(
    people: People, tree: Tree, report: UnitReport
) -> None:
    move(people, report, "submit", "approve", "receive")
    client = as_user(people.standing)
    content = client.get(board_url()).content.decode()
    assert re.search(r'data-testid="count-total">3<', content)
    assert re.search(r'data-testid="count-received">1<', content)
    assert re.search(r'data-testid="count-not_started">2<', content)
    row = re.search(r'data-testid="board-row-16681">(.*?)</tr>', content, re.S)
    assert row and "Đã tiếp nhận" in row.group(1) and "02/10/2025" in row.group(1)
    only = client.get(board_url(), {"state": "not_started"}).content.decode()
    assert "board-row-16681" not in only and "board-row-16690" in only
    assert re.search(r'data-testid="count-received">1<', only)  # counts ignore the state chosen
    agencies = client.get(board_url(), {"bloc": "K-CQ"}).content.decode()
    assert "board-row-SKHCN" in agencies and "board-row-16681" not in agencies
    wards = client.get(board_url(), {"unit_type": UnitType.WARD, "q": "16690"}).content.decode()
    assert re.findall(r'data-testid="board-row-(\w+)"', wards) == ["16690"]
    bad = client.get(board_url(), {"state": "nope", "bloc": "NOPE"})
    assert bad.status_code == 200 and bad.content.decode().count('data-testid="board-row-') == 3


def test_board_shows_late_units(people: People, report: UnitReport, period: Period) -> None:
    services.submit_report(actor=people.reporter, report=report, at=DUE + timedelta(hours=1))
    content = as_user(people.standing).get(board_url()).content.decode()
    row = re.search(r'data-testid="board-row-16681">(.*?)</tr>', content, re.S)
    assert row and 'data-testid="late"' in row.group(1)


def test_board_export_uses_the_filters(people: People, report: UnitReport) -> None:
    response = as_user(people.standing).get(board_url("board_export"), {"bloc": "K-XA"})
    assert response.status_code == 200 and "2025-Q3" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["16681", "16690"]


def test_board_reminds_units_not_submitted(
    people: People, report: UnitReport, django_capture_on_commit_callbacks: Any
) -> None:
    move(people, report, "submit")
    client = as_user(people.standing)
    assert client.get(board_url("board_remind")).status_code == 405
    assert client.get(board_url("board_close")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board_url("board_remind"))
    assert response.status_code == 302 and response.url == board_url()
    # 16690 has a reporter; SKHCN has one too; 16681 has submitted
    assert "Đã nhắc 2 đơn vị chưa nộp." in client.get(response.url).content.decode()
    assert not people.reporter.notifications.exists()
    assert people.other_reporter.notifications.count() == 1


def test_board_queries_do_not_grow_with_units(
    people: People, tree: Tree, period: Period, django_assert_max_num_queries: Any
) -> None:
    # session and user (2), period, blocs, the menu's unit, the bloc's path, units, reports,
    # unread count, session save (3)
    client = as_user(people.standing)
    with django_assert_max_num_queries(12):
        client.get(board_url(), {"bloc": "K-XA"})
    wards = [make_unit(tree.communes, f"W{n:02}", UnitType.WARD) for n in range(30)]
    period.required_units.add(*wards)
    for ward in wards[:10]:
        reporter = UserFactory(unit=ward, role=Role.REPORTER)
        services.start_report(actor=reporter, unit=ward, period=period)
    for filters in ({}, {"bloc": "K-XA", "state": "draft", "q": "w"}):
        with django_assert_max_num_queries(12):
            response = client.get(board_url(), filters)
        assert response.status_code == 200
    assert response.content.decode().count('data-testid="board-row-') == 10


def test_unknown_period_board_is_404(people: People, period: Period) -> None:
    assert as_user(people.standing).get(board_url(code="2020-Q1")).status_code == 404


def test_a_received_report_offers_no_task_updates(
    people: People, report: UnitReport, assignment: Assignment
) -> None:
    assert page(people.reporter).count('data-testid="status-form"') == 1
    move(people, report, "submit", "approve", "receive")
    assert 'data-testid="status-form"' not in page(people.reporter)
