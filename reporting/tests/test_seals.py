"""Sealed periods (periods.seals, one rule): once a unit's report for a period has left the unit,
or the period is closed, no status of the unit's tasks dated inside the period changes — through
the service, the task page, the XLSX import or its command — and the figures stay locked (see
test_figure_lock). A returned report lifts the seal; an open period takes everything legitimate.

The break this pins (issue 14): a commune reporter set a completed task back to "in progress 90%"
dated 30/09/2025 after the commune's Q3/2025 report had been submitted, and the report's figures
moved with nobody told."""

from __future__ import annotations

import importlib
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from nq57.xlsx import ImportRejected
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods import seals
from periods.models import Period, PeriodKind, Seal
from reporting import services
from reporting.models import ReportState, UnitReport
from reporting.tests import test_views as base
from reporting.tests.test_views import TZ, move
from tasks import services as task_services
from tasks.interchange import import_task_rows, parse_task_file
from tasks.models import Assignment, StatusEvent
from tasks.tests.test_interchange import line, workbook
from tasks.tests.test_views import HTMX, PROOF, Work, status_data, status_url
from tasks.tests.test_views import work as work  # the fixture

pytestmark = pytest.mark.django_db

period = base.period
report = base.report

SEALED = "Kỳ Quý III/2025 của đơn vị đã được niêm phong (đã nộp báo cáo)"
ON_30_09 = "không sửa được trạng thái ngày 30/09/2025; hãy gửi đề nghị điều chỉnh."


@pytest.fixture
def completed(people: People, work: Work) -> Assignment:
    """16681's part of the communes' task, completed on 20/09/2025 while Q3 was still open; 16690
    completed its part too, so the task counts as completed."""
    for assignment in work.commune_task.assignments.all():
        task_services.record_status(
            actor=people.standing, assignment=assignment, status="completed",
            effective_date=date(2025, 9, 20), **PROOF,
        )  # fmt: skip
    return work.mine()


def stats() -> dict[str, int]:
    out = io.StringIO()
    call_command("task_stats", "--as-of", "2025-09-30", "--json", stdout=out)
    return json.loads(out.getvalue())


def back_to_90(people: People, assignment: Assignment, on: date = date(2025, 9, 30)) -> None:
    task_services.record_status(
        actor=people.reporter, assignment=assignment, status="in_progress",
        effective_date=on, progress=90,
    )  # fmt: skip


def test_the_break_a_status_dated_in_a_submitted_quarter_is_refused(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    before = stats()
    assert before["completed"] == 1
    move(people, report, "submit")
    with pytest.raises(ValidationError) as refused:
        back_to_90(people, completed)
    message = refused.value.message_dict["effective_date"][0]
    assert message.startswith(SEALED) and message.endswith(ON_30_09)
    assert StatusEvent.objects.filter(assignment=completed).count() == 1
    assert stats() == before


@pytest.mark.parametrize("steps", [("submit", "approve"), ("submit", "approve", "receive")])
def test_approved_and_received_reports_keep_the_seal(
    people: People, report: UnitReport, completed: Assignment, steps: tuple[str, ...]
) -> None:
    move(people, report, *steps)
    with pytest.raises(ValidationError, match="niêm phong"):
        back_to_90(people, completed)


def test_the_standing_office_is_refused_too(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    move(people, report, "submit")
    with pytest.raises(ValidationError, match="niêm phong"):
        task_services.record_status(
            actor=people.standing, assignment=completed, status="in_progress",
            effective_date=date(2025, 9, 30), progress=90,
        )  # fmt: skip


def test_the_task_page_shows_the_refusal(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    move(people, report, "submit")
    data = status_data(completed, effective_date="30/09/2025", progress="90")
    response = client_for(people.reporter).post(status_url(completed), data, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert SEALED in content and "30/09/2025" in content
    assert StatusEvent.objects.filter(assignment=completed).count() == 1


def test_a_day_after_the_sealed_period_is_still_open(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    move(people, report, "submit")
    back_to_90(people, completed, on=date(2025, 10, 1))
    assert completed.events.count() == 2


def test_other_units_are_not_sealed_by_one_units_report(
    people: People, report: UnitReport, work: Work, completed: Assignment
) -> None:
    move(people, report, "submit")
    theirs = work.commune_task.assignments.get(unit__code="16690")
    task_services.record_status(
        actor=people.standing, assignment=theirs, status="in_progress",
        effective_date=date(2025, 9, 30), progress=50,
    )  # fmt: skip
    assert theirs.events.count() == 2


def test_an_open_period_takes_the_same_update(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    back_to_90(people, completed)  # the report is still a draft
    assert completed.events.count() == 2
    assert stats()["completed"] == 0


def test_a_returned_report_lifts_the_seal(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    move(people, report, "submit")
    assert Seal.objects.filter(unit=report.unit, period=report.period).exists()
    services.return_report(actor=people.head, report=report, comment="Bổ sung số liệu")
    assert not Seal.objects.exists()
    back_to_90(people, completed)
    assert completed.events.count() == 2
    move(people, report, "submit")  # submitted again: sealed again
    with pytest.raises(ValidationError, match="niêm phong"):
        back_to_90(people, completed, on=date(2025, 9, 30))


def test_a_reopened_report_lifts_the_seal(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    move(people, report, "submit", "approve", "receive")
    services.reopen_report(actor=people.standing, report=report, comment="Sai số liệu")
    back_to_90(people, completed)
    assert completed.events.count() == 2


def test_a_closed_period_seals_every_unit(
    people: People, period: Period, completed: Assignment
) -> None:
    services.close_period(actor=people.standing, period=period)
    with pytest.raises(ValidationError, match=r"Quý III/2025 .*kỳ đã đóng"):
        back_to_90(people, completed)


def test_a_quick_report_seals_no_days(people: People, tree: Tree, completed: Assignment) -> None:
    quick = services.create_period(
        actor=people.standing, code="NHANH-AI", kind=PeriodKind.QUICK, title="Báo cáo nhanh AI",
        starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, tzinfo=TZ),
        units=[tree.commune],
    )  # fmt: skip
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=quick)
    services.submit_report(actor=people.reporter, report=report)
    assert seals.figures_sealed(tree.commune, quick)  # its own figures are locked
    assert seals.sealing_period(tree.commune, date(2025, 9, 30)) is None
    back_to_90(people, completed)


def test_the_message_names_the_quarter_when_its_month_is_sealed_too(
    people: People, tree: Tree, report: UnitReport
) -> None:
    month = Period.objects.create(
        code="2025-09", kind=PeriodKind.MONTH, title="Tháng 9/2025",
        starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, tzinfo=TZ),
    )  # fmt: skip
    seals.seal(tree.commune, month, since=datetime(2025, 10, 1, tzinfo=TZ))
    assert seals.sealing_period(tree.commune, date(2025, 9, 30)) == month
    move(people, report, "submit")
    assert seals.sealing_period(tree.commune, date(2025, 9, 30)) == report.period


# --- the import and its command --------------------------------------------------------------


@pytest.fixture
def dept_sealed(people: People, tree: Tree, period: Period, work: Work) -> UnitReport:
    """The department's Q3 report, submitted; its single-unit task S1 was imported before
    (`work` brings the source and area)."""
    import_task_rows(actor=people.standing, rows=parse_task_file(workbook([line("S1")])))
    report = services.start_report(actor=people.dept_reporter, unit=tree.dept, period=period)
    return services.submit_report(actor=people.dept_reporter, report=report)


SEALED_ROW = line("S1", **{"Ngày cập nhật": "30/09/2025", "Tiến độ (%)": 90})


@pytest.mark.parametrize("dry_run", [False, True])
def test_an_import_row_dated_in_a_sealed_period_is_refused(
    people: People, dept_sealed: UnitReport, dry_run: bool
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        rows = parse_task_file(workbook([SEALED_ROW]))
        import_task_rows(actor=people.standing, rows=rows, dry_run=dry_run)
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "Ngày cập nhật")]
    assert "Dòng 2, cột “Ngày cập nhật”: Kỳ Quý III/2025" in str(rejected.value)
    assert list(StatusEvent.objects.values_list("progress", flat=True)) == [60]


def test_the_import_command_is_refused(
    people: People, dept_sealed: UnitReport, tmp_path: Path
) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(workbook([SEALED_ROW]).getvalue())
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_tasks", str(source), "--user", "tt", stderr=errors)
    assert "Dòng 2, cột “Ngày cập nhật”: Kỳ Quý III/2025" in errors.getvalue()
    assert list(StatusEvent.objects.values_list("progress", flat=True)) == [60]


def test_an_import_after_the_sealed_period_goes_through(
    people: People, dept_sealed: UnitReport
) -> None:
    row = line("S1", **{"Ngày cập nhật": "01/10/2025", "Tiến độ (%)": 90})
    import_task_rows(actor=people.standing, rows=parse_task_file(workbook([row])))
    assert StatusEvent.objects.count() == 2


# --- existing databases ----------------------------------------------------------------------


def test_the_migration_seals_reports_already_sent(
    people: People, tree: Tree, report: UnitReport
) -> None:
    sent = datetime(2025, 10, 1, 8, tzinfo=TZ)
    UnitReport.objects.filter(pk=report.pk).update(
        state=ReportState.RECEIVED, first_submitted_at=sent
    )
    draft = services.start_report(actor=people.other_reporter, unit=tree.other_commune,
                                  period=report.period)  # fmt: skip
    migration = importlib.import_module("reporting.migrations.0006_seal_sent_reports")
    migration.seal_sent_reports(apps, None)
    assert list(Seal.objects.values_list("unit", "since")) == [(report.unit_id, sent)]
    assert draft.state == ReportState.DRAFT
