"""Requesting a report (who may, which period, which date), running the job (progress, the kept
file and statements, failures in Vietnamese, idempotence) and the issuer settings."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from docx import Document

from documents import build as build_module
from documents import generation, services
from documents.composer import letterhead
from documents.content import Kind
from documents.models import (
    STALE_QUEUED,
    STALE_RUNNING,
    DocumentProfile,
    Format,
    GeneratedReport,
    JobStatus,
    Style,
)
from documents.tests.conftest import TZ
from org.models import UnitType, User
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from periods.models import Period, PeriodKind
from reporting import services as reporting_services

pytestmark = pytest.mark.usefixtures("profiles")


def _request(
    capture: Any, actor: User, kind: Kind, period: Period, unit: Any, **extra: Any
) -> GeneratedReport:
    """Request and run the job as the worker would, once the transaction commits."""
    fmt = extra.pop("fmt", Format.DOCX)
    with capture(execute=True):
        report = services.request_report(
            actor=actor, kind=kind, period=period, unit=unit, fmt=fmt, **extra
        )
    report.refresh_from_db()
    return report


def test_the_standing_office_generates_the_quarterly_report(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    report = _request(
        django_capture_on_commit_callbacks, people.standing, Kind.QUARTERLY, quarter, tree.province
    )
    assert report.status == JobStatus.DONE, report.error
    assert (report.progress, report.error, report.requested_by) == (100, "", people.standing)
    assert report.as_of == date(2025, 9, 30)  # the period's last day by default
    assert report.started_at is not None and report.finished_at is not None
    assert report.duration == report.finished_at - report.started_at
    assert report.file.name.startswith("generated/2025/") and report.file.name.endswith(".docx")
    with report.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in texts
    assert report.download_name() == "bao-cao-quy-2025-Q3-2025-09-30.docx"


def test_statements_are_kept_with_their_links_and_footnotes(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    report = _request(
        django_capture_on_commit_callbacks, people.standing, Kind.QUARTERLY, quarter, tree.province
    )
    assert report.statements, "the quarterly report computes statements even with no tasks"
    for statement in report.statements:
        assert set(statement) == {
            "key", "text", "footnotes", "links", "figures", "tasks", "indicators", "elements",
            "section",
        }  # fmt: skip
        assert statement["key"] and statement["text"]
        assert all(set(link) == {"label", "url"} for link in statement["links"])


def test_progress_is_saved_between_steps(
    people: People,
    tree: Tree,
    quarter: Period,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, int, str]] = []
    original = generation._progress

    def watch(report_id: int, percent: int, stage: str) -> None:
        original(report_id, percent, stage)
        row = GeneratedReport.objects.get(pk=report_id)
        seen.append((row.status, row.progress, row.stage))

    monkeypatch.setattr(generation, "_progress", watch)
    _request(
        django_capture_on_commit_callbacks, people.standing, Kind.QUARTERLY, quarter, tree.province
    )
    assert seen == [
        (JobStatus.RUNNING, 5, "Đang tính số liệu"),
        (JobStatus.RUNNING, 50, "Đang soạn văn bản Word"),
    ]


def test_monthly_brief_and_xlsx_annexes(
    people: People, tree: Tree, month: Period, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    brief = _request(capture, people.sysadmin, Kind.MONTHLY, month, tree.province)
    annexes = _request(
        capture, people.sysadmin, Kind.MONTHLY, month, tree.province, fmt=Format.XLSX
    )
    assert (brief.status, annexes.status) == (JobStatus.DONE, JobStatus.DONE)
    with annexes.file.open("rb") as handle:
        assert handle.read(4) == b"PK\x03\x04"
    # the second generation of the month's brief (any format) is its version 2
    assert brief.version == 1 and annexes.version == 2
    assert annexes.download_name() == "bao-cao-thang-2025-09-2025-09-30-v2.xlsx"


def test_earlier_versions_are_kept(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    first = _request(capture, people.standing, Kind.QUARTERLY, quarter, tree.province)
    second = _request(
        capture, people.standing, Kind.QUARTERLY, quarter, tree.province, as_of=date(2025, 8, 31)
    )
    assert first.file.name != second.file.name
    assert (first.as_of, second.as_of) == (date(2025, 9, 30), date(2025, 8, 31))
    assert all(r.file.storage.exists(r.file.name) for r in (first, second))


def test_a_reporter_generates_its_own_units_report_with_a_derived_letterhead(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    report = _request(
        django_capture_on_commit_callbacks, people.reporter, Kind.UNIT, quarter, tree.commune
    )
    assert report.status == JobStatus.DONE, report.error
    assert report.download_name() == "bao-cao-16681-2025-Q3-2025-09-30.docx"
    with report.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    header = "\n".join(cell.text for table in document.tables for cell in table._cells)
    assert "ỦY BAN NHÂN DÂN ĐƠN VỊ 16681" in header


# --- refused requests: nothing created, nothing queued -----------------------------------------

REFUSED = [
    # (person, kind, unit attribute on Tree, error)
    ("reporter", Kind.QUARTERLY, "province", Http404),  # the province is out of its sight
    ("dept_reporter", Kind.MONTHLY, "province", Http404),
    ("province_viewer", Kind.QUARTERLY, "province", PermissionDenied),  # reads, never issues
    ("communes_admin", Kind.UNIT, "commune", PermissionDenied),  # sees the commune, no report
    ("head", Kind.UNIT, "commune", PermissionDenied),
    ("reporter", Kind.UNIT, "other_commune", Http404),
    ("province_viewer", Kind.UNIT, "commune", PermissionDenied),
]


@pytest.mark.parametrize(("person", "kind", "unit", "error"), REFUSED)
def test_refused_requests_create_and_queue_nothing(
    people: People,
    tree: Tree,
    quarter: Period,
    month: Period,
    django_capture_on_commit_callbacks: Any,
    person: str,
    kind: Kind,
    unit: str,
    error: type[Exception],
) -> None:
    period = month if kind == Kind.MONTHLY else quarter
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(error):
        services.request_report(
            actor=getattr(people, person), kind=kind, period=period,
            unit=getattr(tree, unit), fmt=Format.DOCX,
        )  # fmt: skip
    assert callbacks == []
    assert not GeneratedReport.objects.exists()


def _refusal(people: People, tree: Tree, **kwargs: Any) -> dict[str, list[str]]:
    args: dict[str, Any] = {"actor": people.standing, "unit": tree.province, "fmt": Format.DOCX}
    with pytest.raises(ValidationError) as refused:
        services.request_report(**{**args, **kwargs})
    assert not GeneratedReport.objects.exists()
    return refused.value.message_dict


def test_kinds_must_match_their_periods(
    people: People, tree: Tree, quarter: Period, month: Period
) -> None:
    errors = _refusal(people, tree, kind=Kind.QUARTERLY, period=month)
    assert errors == {"period": ["Báo cáo quý phải chọn kỳ theo quý (ví dụ 2025-Q3)."]}
    errors = _refusal(people, tree, kind=Kind.MONTHLY, period=quarter)
    assert errors == {"period": ["Báo cáo tháng phải chọn kỳ theo tháng (ví dụ 2025-09)."]}
    errors = _refusal(people, tree, kind="yearly", period=quarter)
    assert errors == {"kind": ["Loại báo cáo không hợp lệ."]}
    errors = _refusal(people, tree, kind=Kind.QUARTERLY, period=quarter, fmt="odt")
    assert errors == {"fmt": ["Định dạng tệp không hợp lệ."]}


def test_province_reports_are_of_the_whole_province(
    people: People, tree: Tree, quarter: Period
) -> None:
    errors = _refusal(people, tree, kind=Kind.QUARTERLY, period=quarter, unit=tree.dept)
    assert errors == {"unit": ["Báo cáo này là của toàn tỉnh."]}


def test_the_date_of_the_data(people: People, tree: Tree, quarter: Period) -> None:
    tomorrow = date(2025, 10, 3)  # the test clock stands at 02/10/2025
    errors = _refusal(people, tree, kind=Kind.QUARTERLY, period=quarter, as_of=tomorrow)
    assert errors == {"as_of": ["Ngày số liệu không được sau hôm nay."]}
    early = quarter.starts_on - timedelta(days=1)
    errors = _refusal(people, tree, kind=Kind.QUARTERLY, period=quarter, as_of=early)
    assert errors == {"as_of": ["Ngày số liệu phải từ ngày bắt đầu kỳ (01/07/2025) trở đi."]}


def test_a_running_period_defaults_to_today(people: People, tree: Tree) -> None:
    period = Period(starts_on=date(2025, 10, 1), ends_on=date(2025, 12, 31))
    assert services.data_date(period, None) == date(2025, 10, 2)


def test_an_unset_province_letterhead_is_refused_before_queueing(
    people: People, tree: Tree, quarter: Period
) -> None:
    DocumentProfile.objects.filter(kind=Kind.QUARTERLY).delete()
    with pytest.raises(ValidationError) as refused:
        services.request_report(
            actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
            fmt=Format.DOCX,
        )  # fmt: skip
    assert refused.value.messages == [
        "Chưa nhập thông tin ban hành (cơ quan, số, người ký) cho “Báo cáo quý về thực "
        "hiện Nghị quyết số 57-NQ/TW”."
    ]
    assert not GeneratedReport.objects.exists()


def test_a_period_out_of_sight_is_missing(people: People, tree: Tree) -> None:
    """A quick report asked of nobody is seen only by the standing office."""
    moment = datetime(2025, 9, 1, tzinfo=TZ)
    hidden = reporting_services.create_period(
        actor=people.standing, code="NHANH-01", kind=PeriodKind.QUICK, title="Báo cáo nhanh",
        starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 10), opens_at=moment, due_at=moment,
        units=[],
    )  # fmt: skip
    with pytest.raises(Http404):
        services.request_report(
            actor=people.dept_reporter, kind=Kind.UNIT, period=hidden, unit=tree.dept,
            fmt=Format.DOCX,
        )  # fmt: skip
    assert not GeneratedReport.objects.exists()


# --- failures and idempotence ------------------------------------------------------------------


def test_pdf_is_refused_at_request_time_without_libreoffice(
    people: People, tree: Tree, quarter: Period, settings: Any
) -> None:
    settings.LIBREOFFICE = "/nonexistent/soffice"
    with pytest.raises(ValidationError) as refused:
        services.request_report(
            actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
            fmt=Format.PDF,
        )  # fmt: skip
    assert refused.value.message_dict["fmt"] == [
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản DOCX."
    ]
    assert not GeneratedReport.objects.exists()


def test_libreoffice_gone_before_the_run_fails_with_the_reason(
    people: People, tree: Tree, quarter: Period, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "pdf_available", lambda: True)
    settings.LIBREOFFICE = "/nonexistent/soffice"
    report = services.request_report(
        actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
        fmt=Format.PDF,
    )  # fmt: skip
    report = generation.run_report(report.pk)
    assert report.status == JobStatus.FAILED
    assert report.error == (
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản DOCX."
    )
    assert not report.file and report.finished_at is not None


def test_a_failed_file_save_fails_the_report(
    people: People, tree: Tree, quarter: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = services.request_report(
        actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
        fmt=Format.DOCX,
    )  # fmt: skip

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr("django.db.models.fields.files.FieldFile.save", full)
    report = generation.run_report(report.pk)
    assert report.status == JobStatus.FAILED  # not left "running"
    assert report.error.startswith("Lỗi hệ thống khi tạo báo cáo")


def test_stale_runs_are_marked_failed_and_only_they(
    people: People, tree: Tree, quarter: Period
) -> None:
    now = datetime(2025, 10, 2, 9, 0, tzinfo=TZ)
    make = {
        "kind": Kind.QUARTERLY,
        "period": quarter,
        "unit": tree.province,
        "as_of": date(2025, 9, 30),
    }
    dead = GeneratedReport.objects.create(
        **make, format=Format.DOCX, status=JobStatus.RUNNING, requested_at=now,
        started_at=now - STALE_RUNNING - timedelta(seconds=1),
    )  # fmt: skip
    alive = GeneratedReport.objects.create(
        **make, format=Format.DOCX, status=JobStatus.RUNNING, requested_at=now,
        started_at=now - timedelta(minutes=1),
    )  # fmt: skip
    assert generation.fail_stale_reports(now) == 1
    assert generation.fail_stale_reports(now) == 0  # idempotent
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "Tạo lại" in dead.error
    assert alive.status == JobStatus.RUNNING


def test_a_request_queued_for_long_is_shown_stuck(
    people: People, tree: Tree, quarter: Period
) -> None:
    report = services.request_report(
        actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
        fmt=Format.DOCX,
    )  # fmt: skip
    assert report.polling and not report.is_stuck
    report.requested_at -= STALE_QUEUED + timedelta(seconds=1)
    assert report.is_stuck and not report.polling


def test_a_period_not_begun_is_refused(people: People, tree: Tree) -> None:
    future = Period.objects.create(
        code="2025-Q4", kind=PeriodKind.QUARTER, title="Quý IV/2025",
        starts_on=date(2025, 10, 3), ends_on=date(2025, 12, 31),
        opens_at=datetime(2025, 10, 3, tzinfo=TZ), due_at=datetime(2026, 1, 5, tzinfo=TZ),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.data_date(future, None)
    assert refused.value.message_dict["period"] == ["Kỳ báo cáo chưa bắt đầu."]


def test_a_unit_report_only_for_reporting_units(
    people: People, tree: Tree, quarter: Period
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.request_report(
            actor=people.standing, kind=Kind.UNIT, period=quarter, unit=tree.communes,
            fmt=Format.DOCX,
        )  # fmt: skip
    assert "không phải đơn vị báo cáo" in refused.value.message_dict["unit"][0]
    assert not GeneratedReport.objects.exists()


def test_a_concurrent_first_save_is_a_validation_error(
    people: People, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {"style": Style.STATE, "number": "Số:      /BC-SKHCN", "place": "Nghệ An"}
    services.save_profile(
        actor=people.standing, kind=Kind.UNIT, unit=tree.dept, issuer="SỞ A", **fields
    )
    # Another request stored the unit's profile between our read (and checks) and our write.
    monkeypatch.setattr(services, "stored_profile", lambda kind, unit=None: None)
    monkeypatch.setattr(DocumentProfile, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="vừa được người khác lưu"):
        services.save_profile(
            actor=people.standing, kind=Kind.UNIT, unit=tree.dept, issuer="SỞ B", **fields
        )
    assert DocumentProfile.objects.get(unit=tree.dept).issuer == "SỞ A"


def test_an_unexpected_error_fails_the_report_and_is_logged(
    people: People,
    tree: Tree,
    quarter: Period,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module.composer, "build_content", broken)
    report = _request(
        django_capture_on_commit_callbacks, people.standing, Kind.QUARTERLY, quarter, tree.province
    )
    assert report.status == JobStatus.FAILED
    assert report.error.startswith("Lỗi hệ thống khi tạo báo cáo")
    assert "disk full" not in report.error and "disk full" in caplog.text


def test_a_finished_report_is_not_run_again(
    people: People, tree: Tree, quarter: Period, django_capture_on_commit_callbacks: Any
) -> None:
    report = _request(
        django_capture_on_commit_callbacks, people.standing, Kind.QUARTERLY, quarter, tree.province
    )
    again = generation.run_report(report.pk)
    assert (again.file.name, again.finished_at) == (report.file.name, report.finished_at)
    GeneratedReport.objects.filter(pk=report.pk).update(status=JobStatus.FAILED, error="x")
    assert generation.run_report(report.pk).error == "x"


# --- issuer settings ---------------------------------------------------------------------------


def test_save_profile_creates_then_changes_with_history(people: People, tree: Tree) -> None:
    profile = services.save_profile(
        actor=people.standing, kind=Kind.MONTHLY, style=Style.STATE, issuer="BAN CHỈ ĐẠO",
        number="Số:  /BC-BCĐ", place="Nghệ An", recipients="Thường trực Tỉnh ủy;\n\n Lưu: VT. ",
    )  # fmt: skip
    assert DocumentProfile.objects.filter(kind=Kind.MONTHLY).count() == 1
    assert profile.recipient_lines() == ("Thường trực Tỉnh ủy;", "Lưu: VT.")
    assert profile.history.first().history_user == people.standing  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("person", "error"),
    [("reporter", Http404), ("province_viewer", PermissionDenied), ("head", Http404)],
)
def test_only_the_standing_office_sets_the_province_letterheads(
    people: People, person: str, error: type[Exception]
) -> None:
    before = DocumentProfile.objects.get(kind=Kind.QUARTERLY).issuer
    with pytest.raises(error):
        services.save_profile(actor=getattr(people, person), kind=Kind.QUARTERLY, issuer="X")
    assert DocumentProfile.objects.get(kind=Kind.QUARTERLY).issuer == before


def test_profile_checks(people: People, tree: Tree) -> None:
    with pytest.raises(ValidationError) as no_unit:
        services.save_profile(actor=people.standing, kind=Kind.UNIT, issuer="X")
    assert no_unit.value.message_dict == {"unit": ["Chọn đơn vị của báo cáo."]}
    with pytest.raises(ValidationError) as with_unit:
        services.save_profile(actor=people.standing, kind=Kind.MONTHLY, unit=tree.dept)
    assert with_unit.value.message_dict == {"unit": ["Báo cáo này là của toàn tỉnh."]}
    with pytest.raises(ValidationError) as style:
        services.save_profile(actor=people.standing, kind=Kind.MONTHLY, style="royal")
    assert list(style.value.message_dict) == ["style"]
    with pytest.raises(TypeError):
        services.save_profile(actor=people.standing, kind=Kind.MONTHLY, colour="red")


def test_a_units_own_profile_replaces_the_derived_one(people: People, tree: Tree) -> None:
    derived = letterhead.profile_for(Kind.UNIT, tree.dept)
    assert derived.pk is None
    services.save_profile(
        actor=people.standing, kind=Kind.UNIT, unit=tree.dept, style=Style.STATE,
        issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ", number="Số:  /BC-SKHCN", place="Nghệ An",
    )  # fmt: skip
    assert letterhead.profile_for(Kind.UNIT, tree.dept).issuer == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert letterhead.profile_for(Kind.UNIT, tree.other_dept).pk is None


def test_derived_letterheads_follow_the_unit_type(tree: Tree) -> None:
    party = make_unit(tree.agencies, "BTC-TU", UnitType.PARTY_AGENCY, name="Ban Tổ chức Tỉnh ủy")
    head = letterhead.derived_profile(party).letterhead(signed_on=None)
    assert (head.style, head.issuer_parent, head.issuer, head.number, head.place) == (
        "party", "TỈNH ỦY NGHỆ AN", "BAN TỔ CHỨC", "Số      -BC/BTCTU", "Nghệ An",
    )  # fmt: skip
    tree.dept.name, tree.dept.head_title = "Sở Khoa học và Công nghệ", "Giám đốc"
    head = letterhead.derived_profile(tree.dept).letterhead(signed_on=None)
    assert (head.style, head.issuer_parent, head.issuer, head.number, head.signer_title) == (
        "state", "UBND TỈNH NGHỆ AN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số:      /BC-SKHCN", "GIÁM ĐỐC",
    )  # fmt: skip
    tree.commune.name = "Phường Thành Vinh"
    head = letterhead.derived_profile(tree.commune).letterhead(signed_on=None)
    assert (head.issuer_parent, head.issuer, head.place, head.signer_capacity) == (
        "", "ỦY BAN NHÂN DÂN PHƯỜNG THÀNH VINH", "Thành Vinh", "TM. ỦY BAN NHÂN DÂN",
    )  # fmt: skip
    assert head.recipients == ("Cơ quan thường trực Ban Chỉ đạo tỉnh;", "Lưu: VT.")
    # without a head's title, each kind of unit still has someone's title to sign under
    tree.dept.head_title = ""
    assert letterhead.derived_profile(tree.dept).signer_title == "GIÁM ĐỐC"
    assert letterhead.derived_profile(tree.commune).signer_title == "CHỦ TỊCH"
    assert letterhead.derived_profile(party).signer_title == "TRƯỞNG BAN"
