"""Every documents page over HTTP: works / outsider 404 / read-only 403 / wrong method 405.
Refused requests create no report and queue no job; refused settings change nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from documents.content import Kind
from documents.models import STALE_RUNNING, DocumentProfile, Format, GeneratedReport, JobStatus
from nq57.xlsx import XLSX_CONTENT_TYPE
from org.models import Unit, User
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period

pytestmark = pytest.mark.usefixtures("profiles")
PROVINCE = ["quarterly", "half", "nine_months", "year", "monthly", "brief"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _post(user: User, data: dict[str, str], capture: Any) -> tuple[Any, list[Any]]:
    with capture(execute=True) as callbacks:
        response = client_for(user).post(reverse("documents:index"), data)
    return response, callbacks


def _form(kind: Kind, period: str = "2025-Q3", **extra: str) -> dict[str, str]:
    return {"kind": kind, "period": period, "fmt": Format.DOCX, **extra}


# --- the request page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "kinds"),
    [
        ("standing", [*PROVINCE, "unit"]),
        ("sysadmin", [*PROVINCE, "unit"]),
        ("reporter", ["unit"]),
        ("dept_reporter", ["unit"]),
        ("province_viewer", []),
        ("head", []),
    ],
)
def test_the_page_offers_what_the_user_may_request(
    people: People, quarter: Period, person: str, kinds: list[str]
) -> None:
    response = client_for(getattr(people, person)).get(reverse("documents:index"))
    assert response.status_code == 200
    form = response.context["form"]
    if not kinds:
        assert form is None
        assert 'data-testid="request-form"' not in response.content.decode()
        return
    assert [value for value, _label in form.fields["kind"].widget.choices] == kinds
    assert "2025-Q3" in [value for value, _label in form.fields["period"].widget.choices]


def test_a_reporter_is_offered_its_own_unit(people: People, quarter: Period) -> None:
    form = client_for(people.reporter).get(reverse("documents:index")).context["form"]
    assert [code for code, _label in form.fields["unit"].widget.choices] == ["", "16681"]
    assert form.fields["unit"].initial == "16681"


REQUESTS = [
    # (person, kind, unit code, expected status)
    ("standing", Kind.QUARTERLY, "", 302),
    ("sysadmin", Kind.QUARTERLY, "", 302),
    ("standing", Kind.UNIT, "SKHCN", 302),  # the office may make any unit's report
    ("reporter", Kind.UNIT, "16681", 302),
    ("reporter", Kind.QUARTERLY, "", 404),  # the province is out of its sight
    ("reporter", Kind.UNIT, "16690", 404),
    ("dept_reporter", Kind.UNIT, "16681", 404),
    ("communes_admin", Kind.UNIT, "16681", 403),  # sees the commune, does not report for it
    ("province_viewer", Kind.QUARTERLY, "", 403),  # reads everything, issues nothing
    ("head", Kind.UNIT, "16681", 403),
]


@pytest.mark.parametrize(("person", "kind", "unit", "status"), REQUESTS)
def test_request_matrix(
    people: People,
    quarter: Period,
    django_capture_on_commit_callbacks: Any,
    person: str,
    kind: Kind,
    unit: str,
    status: int,
) -> None:
    response, callbacks = _post(
        getattr(people, person), _form(kind, unit=unit), django_capture_on_commit_callbacks
    )
    assert response.status_code == status
    if status != 302:
        assert callbacks == [] and not GeneratedReport.objects.exists()
        return
    report = GeneratedReport.objects.get()
    assert response["Location"] == reverse("documents:detail", args=[report.pk])
    assert len(callbacks) == 1
    report.refresh_from_db()
    assert report.status == JobStatus.DONE, report.error


def test_form_errors_are_shown_and_nothing_is_queued(
    people: People, quarter: Period, month: Period, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    response, callbacks = _post(people.standing, _form(Kind.QUARTERLY, "2025-09"), capture)
    assert response.status_code == 200
    assert "Báo cáo quý phải chọn kỳ theo quý" in response.content.decode()
    response, _calls = _post(people.standing, _form(Kind.UNIT), capture)
    assert "Chọn đơn vị của báo cáo." in response.content.decode()
    response, _calls = _post(people.standing, _form(Kind.QUARTERLY, as_of="31/13/2025"), capture)
    assert response.context["form"].errors["as_of"]
    response, _calls = _post(people.standing, _form(Kind.QUARTERLY, as_of="03/10/2025"), capture)
    assert "Ngày số liệu không được sau hôm nay." in response.content.decode()
    assert callbacks == [] and not GeneratedReport.objects.exists()


def test_an_unknown_period_is_a_form_error(
    people: People, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    response, callbacks = _post(
        people.standing, _form(Kind.QUARTERLY, "2030-Q1"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 200 and response.context["form"].errors["period"]
    assert callbacks == []


def test_the_as_of_date_is_typed_the_vietnamese_way(
    people: People, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    _post(
        people.standing,
        _form(Kind.QUARTERLY, as_of="31/08/2025"),
        django_capture_on_commit_callbacks,
    )
    assert GeneratedReport.objects.get().as_of == date(2025, 8, 31)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods(people: People, method: str) -> None:
    client = client_for(people.standing)
    for name in ("index", "profiles"):
        assert getattr(client, method)(reverse(f"documents:{name}")).status_code == 405


def test_anonymous_users_log_in_first(db: None) -> None:
    response = Client().get(reverse("documents:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def _reports(tree: Tree, quarter: Period, count: int, unit: Any = None) -> list[GeneratedReport]:
    return [
        GeneratedReport.objects.create(
            kind=Kind.UNIT if unit else Kind.QUARTERLY,
            period=quarter,
            unit=unit or tree.province,
            as_of=date(2025, 9, 30),
            format=Format.DOCX,
            requested_at=timezone.now(),
        )
        for _ in range(count)
    ]


def test_the_list_shows_only_what_the_user_may_see(
    people: People, tree: Tree, quarter: Period
) -> None:
    province = _reports(tree, quarter, 1)[0]
    commune = _reports(tree, quarter, 1, unit=tree.commune)[0]
    for user, shown in [
        (people.standing, {province, commune}),
        (people.province_viewer, {province, commune}),
        (people.reporter, {commune}),
        (people.dept_reporter, set()),
    ]:
        page = client_for(user).get(reverse("documents:index")).context["page"]
        assert set(page.object_list) == shown


def test_the_list_queries_are_bounded(
    people: People, tree: Tree, quarter: Period, django_assert_max_num_queries: Any
) -> None:
    _reports(tree, quarter, 3)
    client = client_for(people.standing)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("documents:index"))
    _reports(tree, quarter, 25)
    _reports(tree, quarter, 5, unit=tree.commune)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("documents:index"))
    assert len(response.context["page"].object_list) == 30


# --- one report: its page, its live part and its file -----------------------------------------


@pytest.fixture
def done(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> GeneratedReport:
    _post(people.standing, _form(Kind.QUARTERLY), django_capture_on_commit_callbacks)
    return GeneratedReport.objects.get()


PAGES = [
    # (person, expected status) for the province's report
    ("standing", 200),
    ("province_viewer", 200),
    ("sysadmin", 200),
    ("reporter", 404),
    ("communes_admin", 404),
    ("dept_reporter", 404),
]


@pytest.mark.parametrize(("person", "status"), PAGES)
def test_report_pages_matrix(
    people: People, done: GeneratedReport, person: str, status: int
) -> None:
    client = client_for(getattr(people, person))
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"documents:{name}", args=[done.pk])).status_code == status
        assert client.post(reverse(f"documents:{name}", args=[done.pk])).status_code == 405


def test_a_done_report_shows_its_file_and_statements(people: People, done: GeneratedReport) -> None:
    response = client_for(people.province_viewer).get(reverse("documents:detail", args=[done.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 2s"' not in html  # finished: no more polling
    assert reverse("documents:download", args=[done.pk]) in html
    assert "bao-cao-quy-2025-Q3-2025-09-30.docx" in html
    assert html.count('data-testid="statement-') == len(done.statements) > 0
    for statement in done.statements:
        for link in statement["links"]:
            assert f'href="{link["url"]}"'.replace("&", "&amp;") in html


def test_a_running_report_polls_its_progress(people: People, done: GeneratedReport) -> None:
    GeneratedReport.objects.filter(pk=done.pk).update(
        status=JobStatus.RUNNING, progress=50, stage="Đang soạn văn bản Word", statements=[]
    )
    url = reverse("documents:status", args=[done.pk])
    html = client_for(people.standing).get(url).content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 2s"' in html
    assert 'aria-valuenow="50"' in html and "Đang soạn văn bản Word" in html
    assert reverse("documents:download", args=[done.pk]) not in html
    assert client_for(people.standing).get(
        reverse("documents:download", args=[done.pk])
    ).status_code == 404  # fmt: skip


def test_a_failed_report_shows_why(people: People, done: GeneratedReport) -> None:
    GeneratedReport.objects.filter(pk=done.pk).update(
        status=JobStatus.FAILED, error="Máy chủ chưa cài LibreOffice", statements=[]
    )
    html = client_for(people.standing).get(reverse("documents:status", args=[done.pk])).content
    text = html.decode()
    assert "Máy chủ chưa cài LibreOffice" in text and "every 2s" not in text


def test_download_serves_the_file_with_its_name_and_type(
    people: People, done: GeneratedReport
) -> None:
    response = client_for(people.standing).get(reverse("documents:download", args=[done.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert 'filename="bao-cao-quy-2025-Q3-2025-09-30.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert any(p.text == "BÁO CÁO" for p in document.paragraphs)


def test_xlsx_downloads_as_a_workbook(
    people: People, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    data = _form(Kind.QUARTERLY, fmt=Format.XLSX)
    _post(people.standing, data, django_capture_on_commit_callbacks)
    report = GeneratedReport.objects.get()
    response = client_for(people.standing).get(reverse("documents:download", args=[report.pk]))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_a_missing_file_is_missing(people: People, done: GeneratedReport) -> None:
    done.file.storage.delete(done.file.name)
    response = client_for(people.standing).get(reverse("documents:download", args=[done.pk]))
    assert response.status_code == 404


def test_a_units_report_is_seen_by_its_unit(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    _post(people.reporter, _form(Kind.UNIT, unit="16681"), django_capture_on_commit_callbacks)
    report = GeneratedReport.objects.get()
    url = reverse("documents:download", args=[report.pk])
    for user, status in [
        (people.reporter, 200),
        (people.head, 200),
        (people.communes_admin, 200),
        (people.other_reporter, 404),
        (people.dept_reporter, 404),
    ]:
        assert client_for(user).get(url).status_code == status


def test_a_units_report_status_is_404_out_of_sight(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    _post(people.reporter, _form(Kind.UNIT, unit="16681"), django_capture_on_commit_callbacks)
    report = GeneratedReport.objects.get()
    for name in ("status", "detail"):
        url = reverse(f"documents:{name}", args=[report.pk])
        assert client_for(people.other_reporter).get(url).status_code == 404
        assert client_for(people.reporter).get(url).status_code == 200
    retry = reverse("documents:retry", args=[report.pk])
    GeneratedReport.objects.filter(pk=report.pk).update(status=JobStatus.FAILED)
    assert client_for(people.other_reporter).post(retry).status_code == 404
    assert GeneratedReport.objects.count() == 1


def _dead_run(report: GeneratedReport) -> None:
    """The report's run is "running" long after any run ends: its worker died."""
    long_ago = timezone.now() - STALE_RUNNING - timedelta(minutes=1)
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=JobStatus.RUNNING, started_at=long_ago, statements=[]
    )


def _rows() -> list[dict[str, Any]]:
    return list(GeneratedReport.objects.order_by("pk").values())


def test_a_dead_run_is_failed_when_seen_and_can_be_made_again(
    people: People, done: GeneratedReport, django_capture_on_commit_callbacks: Any
) -> None:
    _dead_run(done)
    client = client_for(people.standing)
    html = client.get(reverse("documents:status", args=[done.pk])).content.decode()
    assert "Tạo lại" in html and "every 2s" not in html
    assert "Tiến trình tạo báo cáo đã dừng giữa chừng" in html
    assert GeneratedReport.objects.get(pk=done.pk).status == JobStatus.RUNNING  # GET wrote nothing
    call_command("sweep_reports", "--now", stdout=io.StringIO())
    assert GeneratedReport.objects.get(pk=done.pk).status == JobStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:retry", args=[done.pk]))
    again = GeneratedReport.objects.latest("pk")
    assert response["Location"] == reverse("documents:detail", args=[again.pk])
    assert again.pk != done.pk and again.status == JobStatus.DONE
    assert (again.kind, again.period, again.as_of, again.format) == (
        done.kind,
        done.period,
        done.as_of,
        done.format,
    )
    assert client.get(reverse("documents:retry", args=[done.pk])).status_code == 405


def test_reading_the_pages_of_a_dead_run_writes_nothing(
    people: People, done: GeneratedReport
) -> None:
    _dead_run(done)
    before = _rows()
    client = client_for(people.standing)
    index = client.get(reverse("documents:index")).content.decode()
    for name in ("detail", "status"):
        html = client.get(reverse(f"documents:{name}", args=[done.pk])).content.decode()
        assert "Không tạo được" in html and "every 2s" not in html
    assert f'action="{reverse("documents:retry", args=[done.pk])}"' in index
    assert _rows() == before


def test_a_dead_run_can_be_made_again_before_the_sweep(
    people: People, done: GeneratedReport, django_capture_on_commit_callbacks: Any
) -> None:
    _dead_run(done)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.standing).post(reverse("documents:retry", args=[done.pk]))
    again = GeneratedReport.objects.latest("pk")
    assert response["Location"] == reverse("documents:detail", args=[again.pk])
    assert again.pk != done.pk and again.status == JobStatus.DONE


def test_the_sweep_job_and_command_are_idempotent(people: People, done: GeneratedReport) -> None:
    _dead_run(done)
    out = io.StringIO()
    call_command("sweep_reports", stdout=out)  # the test backend runs queued jobs at once
    swept = _rows()
    assert GeneratedReport.objects.get(pk=done.pk).status == JobStatus.FAILED
    call_command("sweep_reports", stdout=out)
    call_command("sweep_reports", "--now", stdout=out)
    assert _rows() == swept
    assert "Dead report runs failed: 0." in out.getvalue()


def test_a_request_no_worker_takes_is_shown_stuck(people: People, done: GeneratedReport) -> None:
    GeneratedReport.objects.filter(pk=done.pk).update(
        status=JobStatus.QUEUED, requested_at=timezone.now() - timedelta(hours=1), statements=[]
    )
    html = client_for(people.standing).get(reverse("documents:status", args=[done.pk]))
    text = html.content.decode()
    assert "hãy kiểm tra tiến trình db_worker" in text and "hx-trigger" not in text


def test_pdf_is_offered_disabled_without_libreoffice(people: People, settings: Any) -> None:
    settings.LIBREOFFICE = "/nonexistent/soffice"
    html = client_for(people.standing).get(reverse("documents:index")).content.decode()
    assert '<option value="pdf" disabled>' in html
    assert "Máy chủ chưa cài LibreOffice" in html


def test_a_letterhead_without_signer_is_pointed_out(people: People, tree: Tree) -> None:
    DocumentProfile.objects.filter(kind=Kind.MONTHLY).update(signer_name="")
    html = client_for(people.standing).get(reverse("documents:index")).content.decode()
    # the monthly brief's, and the kinds this province set up no settings for; not the quarter's
    assert html.count('data-testid="unsigned"') == 5
    assert reverse("documents:profile_edit", args=["monthly"]) in html
    assert reverse("documents:profile_edit", args=["year"]) in html
    assert reverse("documents:profile_edit", args=["quarterly"]) not in html


def test_only_reporting_units_are_offered(people: People, tree: Tree) -> None:
    html = client_for(people.standing).get(reverse("documents:index")).content.decode()
    assert 'value="16681"' in html and 'value="K-XA"' not in html


def test_the_page_opens_before_the_tree_has_a_root(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a fresh database: no root unit, so no province report may be offered.
    monkeypatch.setattr(type(Unit.objects), "get_first_root_node", lambda self: None)
    response = client_for(people.sysadmin).get(reverse("documents:index"))
    assert response.status_code == 200
    assert response.context["form"].kinds == [Kind.UNIT]


# --- issuer settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("sysadmin", 200), ("province_viewer", 403), ("reporter", 403)],
)
def test_profiles_page_matrix(people: People, person: str, status: int) -> None:
    client = client_for(getattr(people, person))
    assert client.get(reverse("documents:profiles")).status_code == status


def test_profiles_page_lists_the_kinds_and_opens_a_unit(people: People) -> None:
    client = client_for(people.standing)
    html = client.get(reverse("documents:profiles")).content.decode()
    assert "TỈNH ỦY NGHỆ AN" in html and "BAN CHỈ ĐẠO" in html
    response = client.get(reverse("documents:profiles"), {"unit": " SKHCN "})
    assert response["Location"] == reverse("documents:profile_unit", args=["SKHCN"])


@pytest.mark.parametrize("typed", ["a/b", "KHONG-CO", "/"])
def test_profiles_page_answers_an_unknown_code_on_the_form(people: People, typed: str) -> None:
    response = client_for(people.standing).get(reverse("documents:profiles"), {"unit": typed})
    assert response.status_code == 200
    assert "Không có đơn vị với mã này trong phạm vi quản lý." in response.content.decode()


PROFILE = {
    "style": "party",
    "issuer_parent": "",
    "issuer": "TỈNH ỦY NGHỆ AN",
    "number": "Số      -BC/TU",
    "place": "Nghệ An",
    "signer_capacity": "T/M BAN THƯỜNG VỤ",
    "signer_title": "BÍ THƯ",
    "signer_name": "Nguyễn Văn A",
    "recipients": "Văn phòng Trung ương Đảng,\r\nLưu Văn phòng Tỉnh ủy.",
    "basis": "Thực hiện Công văn số …",
}
EDITS = [
    # (person, url args, expected status)
    ("standing", ("profile_edit", "quarterly"), 302),
    ("sysadmin", ("profile_edit", "monthly"), 302),
    ("province_viewer", ("profile_edit", "quarterly"), 403),
    ("reporter", ("profile_edit", "quarterly"), 404),
    ("standing", ("profile_unit", "16681"), 302),
    ("communes_admin", ("profile_unit", "16681"), 403),
    ("reporter", ("profile_unit", "16681"), 403),  # its own unit: reports, sets no letterhead
    ("reporter", ("profile_unit", "16690"), 404),
    ("standing", ("profile_unit", "NOPE"), 404),
    ("standing", ("profile_edit", "unit"), 404),
    ("standing", ("profile_edit", "yearly"), 404),
]


@pytest.mark.parametrize(("person", "args", "status"), EDITS)
def test_profile_edit_matrix(
    people: People, person: str, args: tuple[str, str], status: int
) -> None:
    client = client_for(getattr(people, person))
    url = reverse(f"documents:{args[0]}", args=[args[1]])
    before = list(DocumentProfile.objects.values())
    assert client.get(url).status_code == (200 if status == 302 else status)
    response = client.post(url, PROFILE)
    assert response.status_code == status
    if status != 302:
        assert list(DocumentProfile.objects.values()) == before
        return
    kind = Kind.UNIT if args[0] == "profile_unit" else Kind(args[1])
    saved = DocumentProfile.objects.get(kind=kind)
    assert (saved.signer_name, saved.recipient_lines()) == (
        "Nguyễn Văn A", ("Văn phòng Trung ương Đảng,", "Lưu Văn phòng Tỉnh ủy."),
    )  # fmt: skip


def test_a_units_form_starts_from_its_derived_letterhead(people: People, tree: Tree) -> None:
    url = reverse("documents:profile_unit", args=["16681"])
    form = client_for(people.standing).get(url).context["form"]
    assert form.initial["issuer"] == "ỦY BAN NHÂN DÂN ĐƠN VỊ 16681"


def test_an_invalid_profile_is_shown_again(people: People) -> None:
    url = reverse("documents:profile_edit", args=["quarterly"])
    before = list(DocumentProfile.objects.values())
    response = client_for(people.standing).post(url, {**PROFILE, "issuer": "", "style": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"issuer", "style"}
    assert list(DocumentProfile.objects.values()) == before
