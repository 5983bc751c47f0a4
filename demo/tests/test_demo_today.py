"""The demo alive on the day it is loaded (demo.today): the session's demo was loaded at the
tests' demo clock, 05/01/2026 09:00, so "today" is that day."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from demo.today import load_today
from notifications.models import Notification
from org.models import User
from periods.models import Period
from reporting.models import ReminderLog, Transition, UnitReport
from reporting.queries import board
from tasks.models import Task
from tasks.queries import TaskFilter, task_stats

pytestmark = pytest.mark.clock("2026-01-05T09:00")

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 1, 5)


def test_this_months_and_quarters_reports_are_under_way(db: None, demo_data: None) -> None:
    month, quarter = Period.objects.get(code="2026-01"), Period.objects.get(code="2026-Q1")
    assert (month.title, quarter.title) == ("Tháng 1/2026", "Quý I/2026")
    assert month.opens_at == datetime(2025, 12, 30, 7, tzinfo=TZ)
    assert month.due_at == datetime(2026, 1, 8, 17, tzinfo=TZ)  # due in three days
    assert quarter.due_at == datetime(2026, 1, 17, 17, tzinfo=TZ)
    states = Counter(row.state for row in board(month))
    assert states == {
        "received": 12, "approved": 5, "submitted": 4, "returned": 2, "draft": 14,
        "not_started": 118,
    }  # fmt: skip
    assert Counter(row.state for row in board(quarter)) == {
        "draft": 8,
        "submitted": 2,
        "approved": 1,
        "not_started": 144,
    }
    ward = {row.unit.code: row for row in board(month)}["16681"]
    assert ward.state == "not_started" and not ward.overdue  # its reporter has three days
    returned = Transition.objects.filter(report__period=month, to_state="returned")
    assert sorted(returned.values_list("actor__username", flat=True))[0].startswith("ld.")
    assert "thuongtruc" in returned.values_list("actor__username", flat=True)


def test_the_next_one_to_act_was_told(db: None, demo_data: None) -> None:
    office = Notification.objects.get(recipient__username="thuongtruc", read_at__isnull=True,
                                      key="report-approved:2026-01")  # fmt: skip
    assert office.count == 2 and office.text.startswith("2 báo cáo Tháng 1/2026")
    submitted_now = UnitReport.objects.filter(period__code="2026-01", state="submitted").filter(
        transitions__actor__username__startswith="bc.",
        transitions__at__date=TODAY,
    )
    heads = [f"ld.{code.lower()}" for code in submitted_now.values_list("unit__code", flat=True)]
    assert len(heads) == 2
    assert Notification.objects.filter(recipient__username__in=heads).count() >= 2
    returned = UnitReport.objects.filter(period__code="2026-01", state="returned")
    for report in returned:
        reporter = User.objects.get(username=f"bc.{report.unit.code.lower()}")
        note = Notification.objects.get(recipient=reporter, key=f"report-returned:{report.pk}")
        assert "Ý kiến: Đề nghị" in note.text
    # the reminder run: every unit that has not submitted the month, reminded three days ahead
    reminded = ReminderLog.objects.filter(period__code="2026-01", trigger="before-3")
    assert reminded.count() == 118 + 14 + 2
    assert Notification.objects.filter(key="reminder:2026-01:16681").count() == 2  # bc and ld


def test_tasks_fall_due_in_the_next_30_days(db: None, demo_data: None) -> None:
    plan = Task.objects.filter(source__code="KH-BCD-202601")
    assert plan.count() == 7
    deadlines = sorted(plan.values_list("deadline", flat=True))
    assert deadlines[0] == TODAY + timedelta(days=5) and deadlines[-1] == TODAY + timedelta(28)
    every_commune = plan.get(code="KH202601-01")
    assert every_commune.assignments.count() == 130
    stats = task_stats(as_of=TODAY, flt=TaskFilter(source="KH-BCD-202601"))
    assert stats.counts["total"] == 7 and stats.counts["not_on_time"] == 0
    # the seed's report stays what it was: nothing of today counts on 30/09/2025
    assert (
        task_stats(as_of=date(2025, 9, 30), flt=TaskFilter(source="KH-BCD-202601")).counts["total"]
        == 0
    )


def test_loading_again_the_same_day_adds_nothing(db: None, demo_data: None) -> None:
    before = (UnitReport.objects.count(), Task.objects.count(), Notification.objects.count())
    admin = User.objects.get(username="admin")
    assert load_today(admin, TODAY) == 0
    after = (UnitReport.objects.count(), Task.objects.count(), Notification.objects.count())
    assert after == before
