"""Periods and the unit report workflow at service level: every allowed move and refused ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from periods.models import PeriodKind
from reporting import services
from reporting.models import ReportState, Transition, UnitReport
from reporting.services import SectionInput, StaleReport

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2025, 10, 5, 17, 0, tzinfo=TZ)


@pytest.fixture
def period(people: People, tree: Tree):
    return services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=DUE,
        units=[tree.commune, tree.other_commune, tree.dept],
    )  # fmt: skip


@pytest.fixture
def report(people: People, tree: Tree, period) -> UnitReport:
    return services.start_report(actor=people.reporter, unit=tree.commune, period=period)


def texts(*pairs: tuple[str, str]) -> list[SectionInput]:
    return [SectionInput(kind=k, text=t) for k, t in pairs]


def test_period_codes_follow_their_kind(people: People, tree: Tree) -> None:
    base = {
        "actor": people.standing, "title": "Kỳ", "starts_on": date(2025, 9, 1),
        "ends_on": date(2025, 9, 30), "opens_at": DUE, "due_at": DUE, "units": [tree.commune],
    }  # fmt: skip
    services.create_period(code="2025-09", kind=PeriodKind.MONTH, **base)
    half = {"starts_on": date(2025, 7, 1), "ends_on": date(2025, 12, 31)}
    services.create_period(code="2025-H2", kind=PeriodKind.HALF, **(base | half))
    with pytest.raises(ValidationError) as wrong_dates:  # dates that contradict the code
        services.create_period(code="2025-H1", kind=PeriodKind.HALF, **base)
    assert "01/01/2025 đến 30/06/2025" in str(wrong_dates.value)
    services.create_period(code="BCN-0710", kind=PeriodKind.QUICK, questions=["Số xã đã…?"], **base)
    for code, kind in [
        ("2025-13", PeriodKind.MONTH),
        ("2025-Q5", PeriodKind.QUARTER),
        ("2025-09", PeriodKind.MONTH),
    ]:
        with pytest.raises(ValidationError):
            services.create_period(code=code, kind=kind, **base)
    with pytest.raises(PermissionDenied):
        services.create_period(
            code="2025-10", kind=PeriodKind.MONTH, **{**base, "actor": people.reporter}
        )


def test_full_path_is_recorded(people: People, report: UnitReport) -> None:
    report = services.save_report(
        actor=people.reporter, report=report, version=report.version,
        sections=texts(("results", "Đã ban hành kế hoạch"), ("difficulties", "Thiếu nhân lực")),
    )  # fmt: skip
    report = services.submit_report(actor=people.reporter, report=report)
    assert report.first_submitted_at is not None and not report.is_late
    report = services.approve_report(actor=people.head, report=report)
    report = services.receive_report(actor=people.standing, report=report)
    assert report.state == ReportState.RECEIVED
    steps = list(
        Transition.objects.filter(report=report).values_list("to_state", "actor__username")
    )
    assert steps == [("submitted", "bc"), ("approved", "ldx"), ("received", "tt")]
    assert [s.text for s in report.sections.all()] == ["Đã ban hành kế hoạch", "Thiếu nhân lực"]


@pytest.mark.parametrize(
    ("move", "actor", "error"),
    [
        ("submit", "head", PermissionDenied),
        ("submit", "other_reporter", Http404),
        ("submit", "province_viewer", PermissionDenied),
        ("approve", "reporter", PermissionDenied),
        ("approve", "head", ValidationError),  # still a draft
        ("receive", "head", PermissionDenied),
        ("receive", "standing", ValidationError),  # not approved yet
    ],
)
def test_refused_moves_change_nothing(
    people: People, report: UnitReport, move: str, actor: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        getattr(services, f"{move}_report")(actor=getattr(people, actor), report=report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and not report.transitions.exists()


def test_return_needs_a_comment_and_mails_the_reporters(
    people: People, report: UnitReport, django_capture_on_commit_callbacks
) -> None:
    report = services.submit_report(actor=people.reporter, report=report)
    first = report.first_submitted_at
    with pytest.raises(ValidationError):
        services.return_report(actor=people.head, report=report, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.return_report(actor=people.head, report=report, comment="Bổ sung số liệu")
    assert report.state == ReportState.RETURNED
    assert [m.to for m in mail.outbox] == [[people.reporter.email]]
    assert "Bổ sung số liệu" in mail.outbox[0].body
    with time_machine.travel(DUE + timedelta(days=3), tick=False):
        report = services.submit_report(actor=people.reporter, report=report)
    assert report.first_submitted_at == first and not report.is_late  # judged on the first


def test_late_first_submission_is_flagged(people: People, report: UnitReport) -> None:
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        report = services.submit_report(actor=people.reporter, report=report)
    assert report.is_late


def test_received_report_is_locked_until_reopened(people: People, report: UnitReport) -> None:
    for move, actor in [
        ("submit", people.reporter),
        ("approve", people.head),
        ("receive", people.standing),
    ]:
        report = getattr(services, f"{move}_report")(actor=actor, report=report)
    with pytest.raises(ValidationError):
        services.save_report(
            actor=people.reporter, report=report, version=report.version, sections=[]
        )
    with pytest.raises(PermissionDenied):
        services.reopen_report(actor=people.head, report=report, comment="Sửa")
    report = services.reopen_report(actor=people.standing, report=report, comment="Sai số liệu")
    assert report.state == ReportState.RETURNED


def test_second_save_of_a_stale_form_is_refused(people: People, report: UnitReport) -> None:
    opened = report.version
    services.save_report(
        actor=people.reporter,
        report=report,
        version=opened,
        sections=texts(("results", "Bản của A")),
    )
    with pytest.raises(StaleReport):
        services.save_report(
            actor=people.reporter,
            report=report,
            version=opened,
            sections=texts(("results", "Bản của B")),
        )
    assert [s.text for s in report.sections.all()] == ["Bản của A"]


def test_only_required_units_and_their_own_reporters_start_reports(
    people: People, tree: Tree, period
) -> None:
    with pytest.raises(Http404):
        services.start_report(actor=people.reporter, unit=tree.other_commune, period=period)
    with pytest.raises(PermissionDenied):  # the office reads and receives; it does not write
        services.start_report(actor=people.standing, unit=tree.commune, period=period)
    outsider = UserFactory(unit=tree.other_dept, role=Role.REPORTER)
    with pytest.raises(ValidationError):  # SYT is not required to report this period
        services.start_report(actor=outsider, unit=tree.other_dept, period=period)
    assert not UnitReport.objects.exists()


def test_attachments_are_checked_and_only_while_editable(
    people: People, report: UnitReport, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("../../bao cao.pdf", b"%PDF-1.7 body")
    attachment = services.add_attachment(actor=people.reporter, report=report, upload=pdf)
    assert attachment.original_name == "bao cao.pdf"
    assert attachment.file.name.startswith("reports/") and "bao" not in attachment.file.name
    exe = SimpleUploadedFile("bao-cao.pdf", b"MZ\\x90\\x00")
    with pytest.raises(ValidationError):
        services.add_attachment(actor=people.reporter, report=report, upload=exe)
    with pytest.raises(Http404):
        services.add_attachment(actor=people.other_reporter, report=report, upload=pdf)
    report = services.submit_report(actor=people.reporter, report=report)
    with pytest.raises(ValidationError):
        services.remove_attachment(actor=people.reporter, attachment=attachment)
    assert report.attachments.count() == 1


def test_history_loaded_from_records_keeps_its_times(people: People, report: UnitReport) -> None:
    late = DUE + timedelta(days=2)
    report = services.submit_report(actor=people.reporter, report=report, at=late)
    assert report.first_submitted_at == late and report.is_late
    assert report.transitions.get().at == late


def test_return_is_decided_on_the_stored_state(people: People, report: UnitReport) -> None:
    stale = UnitReport.objects.get(pk=report.pk)  # opened while still a draft
    services.submit_report(actor=people.reporter, report=report)
    returned = services.return_report(actor=people.head, report=stale, comment="Thiếu số liệu")
    assert returned.state == ReportState.RETURNED


def test_closing_a_period_stops_reports_and_reminders(people: People, tree: Tree, period) -> None:
    from periods.calendar import open_periods

    with pytest.raises(PermissionDenied):
        services.close_period(actor=people.head, period=period)
    services.close_period(actor=people.standing, period=period)
    period.refresh_from_db()
    assert period.closes_at is not None
    assert period not in open_periods(period.closes_at + timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.close_period(actor=people.standing, period=period)


def _to_state(people: People, report: UnitReport, state: str) -> UnitReport:
    steps = {
        ReportState.DRAFT: [],
        ReportState.SUBMITTED: [("submit", people.reporter)],
        ReportState.APPROVED: [("submit", people.reporter), ("approve", people.head)],
        ReportState.RECEIVED: [
            ("submit", people.reporter),
            ("approve", people.head),
            ("receive", people.standing),
        ],
    }[state]
    for name, actor in steps:
        report = getattr(services, f"{name}_report")(actor=actor, report=report)
    return report


OK = None
# (move, state it starts from) -> actor -> None when allowed, else the refusal expected
MATRIX = {
    ("submit", ReportState.DRAFT): {
        "reporter": OK, "head": PermissionDenied, "other_reporter": Http404,
        "other_head": Http404, "province_viewer": PermissionDenied,
        "communes_admin": PermissionDenied, "standing": PermissionDenied,
    },
    ("approve", ReportState.SUBMITTED): {
        "head": OK, "reporter": PermissionDenied, "other_head": Http404,
        "province_viewer": PermissionDenied, "communes_admin": PermissionDenied,
        "standing": PermissionDenied,
    },
    ("return", ReportState.SUBMITTED): {
        "head": OK, "reporter": PermissionDenied, "other_head": Http404,
        "province_viewer": PermissionDenied, "standing": PermissionDenied,
    },
    ("receive", ReportState.APPROVED): {
        "standing": OK, "head": PermissionDenied, "reporter": PermissionDenied,
        "province_viewer": PermissionDenied, "communes_admin": PermissionDenied,
    },
    ("return", ReportState.APPROVED): {
        "standing": OK, "head": PermissionDenied, "reporter": PermissionDenied,
    },
    ("reopen", ReportState.RECEIVED): {
        "standing": OK, "head": PermissionDenied, "reporter": PermissionDenied,
        "province_viewer": PermissionDenied,
    },
}  # fmt: skip
CASES = [(m, s, a, e) for (m, s), actors in MATRIX.items() for a, e in actors.items()]


@pytest.mark.parametrize(("move", "state", "actor", "expected"), CASES)
def test_every_move_by_every_role(
    people: People, tree: Tree, report: UnitReport, move: str, state: str, actor: str, expected
) -> None:
    people.other_head = UserFactory(unit=tree.other_commune, role=Role.UNIT_HEAD)  # type: ignore[attr-defined]
    report = _to_state(people, report, state)
    steps = report.transitions.count()
    kwargs = {"comment": "Lý do"} if move in ("return", "reopen") else {}
    call = getattr(services, f"{move}_report")
    if expected is OK:
        assert call(actor=getattr(people, actor), report=report, **kwargs).state != state
        return
    with pytest.raises(expected):
        call(actor=getattr(people, actor), report=report, **kwargs)
    report.refresh_from_db()
    assert report.state == state and report.transitions.count() == steps


def test_a_state_change_invalidates_forms_opened_before_it(
    people: People, report: UnitReport
) -> None:
    opened = report.version  # a form opened on the draft
    report = services.submit_report(actor=people.reporter, report=report)
    report = services.return_report(actor=people.head, report=report, comment="Sửa")
    with pytest.raises(StaleReport):
        services.save_report(
            actor=people.reporter, report=report, version=opened, sections=texts(("results", "Cũ"))
        )


def test_a_closed_period_takes_no_more_writing(people: People, report: UnitReport, period) -> None:
    services.close_period(actor=people.standing, period=period)
    with pytest.raises(ValidationError):
        services.save_report(
            actor=people.reporter, report=report, version=report.version, sections=[]
        )
    with pytest.raises(ValidationError):
        services.submit_report(actor=people.reporter, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
