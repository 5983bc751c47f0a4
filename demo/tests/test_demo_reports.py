"""The demo reports: the Q3/2025 quarter and the three monthly periods, written through the
reporting services by the right accounts, with on time and late coming out of the data.

Loading takes seconds, so one test loads once and checks everything through helpers."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from demo.reports import FATES, LATE, RETURN_COMMENTS, Fate
from notifications.models import Notification
from org.models import REPORTING_TYPES, Unit, User
from periods.models import Period
from reporting.models import Section, Transition, UnitReport
from reporting.queries import board, owed_by
from tasks.models import Area, StatusEvent
from tasks.queries import TaskFilter, task_stats

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The demo's Q4/2025 task events must not lie in the future of the test's clock.
pytestmark = pytest.mark.clock("2026-01-05T09:00")


@pytest.mark.django_db
def test_demo_reports(demo_output: str) -> None:
    # the session's load committed as it went, so the return notices were sent
    assert "Demo reports: 615 unit reports created." in demo_output
    check_periods()
    check_quarter()
    check_months()
    check_actors_and_returns()
    check_texts()

    before = [m.objects.count() for m in (Period, UnitReport, Section, Transition)]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo reports: 0 unit reports created." in out.getvalue()
    assert [m.objects.count() for m in (Period, UnitReport, Section, Transition)] == before


def check_periods() -> None:
    reporting = set(Unit.objects.filter(unit_type__in=REPORTING_TYPES).values_list("pk", flat=True))
    assert len(reporting) == 155
    periods = {p.code: p for p in Period.objects.all()}
    # the province's own year and half-year reports (demo.documents) are owed by no unit
    own = {code: periods.pop(code) for code in ("2025", "2026-H1", "2026-9M", "2026")}
    assert all(not p.required_units.exists() for p in own.values())
    assert sorted(periods) == ["2025-07", "2025-08", "2025-09", "2025-Q3"]
    quarter = periods["2025-Q3"]
    assert (quarter.kind, quarter.title) == ("quarter", "Quý III/2025")
    assert quarter.due_at == datetime(2025, 10, 5, 17, 0, tzinfo=TZ)
    assert periods["2025-09"].due_at == datetime(2025, 9, 25, 17, 0, tzinfo=TZ)
    for period in periods.values():
        assert set(period.required_units.values_list("pk", flat=True)) == reporting


def check_quarter() -> None:
    rows = board(Period.objects.get(code="2025-Q3"))
    states = Counter(row.state for row in rows)
    assert states == {
        "received": 141, "not_started": 5, "draft": 2, "submitted": 2, "approved": 3,
        "returned": 2,
    }  # fmt: skip
    by_code = {row.unit.code: row for row in rows}
    assert by_code["16681"].state == "not_started"  # left for the browser test
    for code, fate in FATES["2025-Q3"].items():
        expected = "not_started" if fate is Fate.MISSING else fate.value.split("_by_")[0]
        assert by_code[code].state == expected
    late = {row.unit.code for row in rows if row.first_submitted_at and row.is_late}
    assert late == LATE["2025-Q3"] and len(late) == 11
    # on 02/10/2025, the day the province's report was signed, 16681 owes the open quarter
    reporter = User.objects.get(username="bc.16681")
    with time_machine.travel(datetime(2025, 10, 2, 9, 0, tzinfo=TZ), tick=False):
        owed = [item for item in owed_by(reporter, date(2025, 10, 2)) if item.kind == "report"]
    assert [(item.title, item.overdue) for item in owed] == [("Quý III/2025", False)]
    assert owed[0].url == "/reports/2025-Q3/16681/"


def check_months() -> None:
    closed = Period.objects.filter(closes_at__isnull=False).values_list("code", flat=True)
    assert sorted(closed) == ["2025-07", "2025-08", "2025-09"]  # the quarter stays open
    for code, received in [("2025-07", 155), ("2025-08", 155), ("2025-09", 151)]:
        rows = board(Period.objects.get(code=code))
        assert sum(row.state == "received" for row in rows) == received
        late = {row.unit.code for row in rows if row.first_submitted_at and row.is_late}
        assert late == LATE[code]
    rows = {row.unit.code: row for row in board(Period.objects.get(code="2025-09"))}
    assert rows["16885"].state == "submitted" and rows["17728"].state == "approved"


def check_actors_and_returns() -> None:
    """Every move by the account whose job it is, at the time it carries."""
    moves = Transition.objects.values_list(
        "to_state", "actor__username", "report__unit__code", "report__first_submitted_at", "at"
    )
    for to_state, username, code, first, at in moves:
        expected = {
            "submitted": f"bc.{code.lower()}",
            "approved": f"ld.{code.lower()}",
            "received": "thuongtruc",
        }.get(to_state)
        if expected:
            assert username == expected
        if to_state == "submitted":
            assert at == first  # the first submission is the one judged
    returns = Transition.objects.filter(to_state="returned").order_by("report__unit__code")
    assert [(t.report.unit.code, t.actor.username, t.comment) for t in returns] == [
        ("16969", "ld.16969", RETURN_COMMENTS[Fate.RETURNED_BY_HEAD]),
        ("SCT", "thuongtruc", RETURN_COMMENTS[Fate.RETURNED_BY_OFFICE]),
    ]
    # Of the reports, only the returns tell anyone (the demo's products and scoring tell others).
    about_reports = Notification.objects.filter(url__startswith="/reports/")
    notices = about_reports.values_list("recipient__username", flat=True)
    assert sorted(notices) == ["bc.16969", "bc.sct"]


def check_texts() -> None:
    """Sections for results, difficulties and proposals, tagged with the demo task areas, and
    quoting the task data."""
    areas = set(Area.objects.values_list("pk", flat=True))
    assert len(areas) == 11
    quarter = UnitReport.objects.filter(period__code="2025-Q3")
    for report in quarter.prefetch_related("sections"):
        sections = list(report.sections.all())
        assert {s.kind for s in sections} == {"results", "difficulties", "proposals"}
        assert all(s.area_id in areas and s.text.strip() for s in sections)
    assert not Section.objects.filter(area__isnull=True).exists()

    # a commune that issued its "Bình dân học vụ số" plan quotes that document
    ward = quarter.get(unit__code="16690")
    plan = StatusEvent.objects.filter(
        assignment__task__code="BDHVS-001", assignment__unit__code="16690"
    ).get(effective_date__lte=date(2025, 9, 30))
    text = ward.sections.get(area__code="NNL").text
    assert plan.evidence_number in text and f"{plan.evidence_date:%d/%m/%Y}" in text
    assert "16/16 nhiệm vụ giai đoạn 1" in ward.sections.get(area__code="HTCN", kind="results").text
    # an agency quotes its task counts as task_stats gives them
    dept = Unit.objects.get(code="SKHCN")
    counts = task_stats(as_of=date(2025, 9, 30), flt=TaskFilter(unit=dept)).counts
    summary = quarter.get(unit=dept).sections.get(area__code="CDDH", kind="results").text
    numbers = [int(n) for n in re.findall(r"\d+", summary.split(":", 1)[1])]
    assert numbers[:2] == [counts["completed"], counts["on_time"]]
    assert f"được giao {counts['total']} nhiệm vụ" in summary
