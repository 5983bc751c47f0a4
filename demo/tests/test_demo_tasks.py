"""The demo tasks reproduce the Q3/2025 report's figures, through the query and the CLI.

Loading takes a few seconds, so one test loads once and checks everything through helpers."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from demo.tasks import DIGITAL_TWIN, TWIN_REASON, VINH_HEALTH, VINH_REASON
from org.models import Unit, User
from tasks.models import StatusEvent, Task
from tasks.queries import STAT_KEYS, TaskFilter, completion_by_task, task_stats
from tasks.timeliness import Status

# The demo's Q4/2025 events must not lie in the future of the test's clock.
pytestmark = pytest.mark.clock("2026-01-05T09:00")

A = date(2025, 9, 30)  # the report's date
B = date(2026, 1, 2)  # after Q4: nothing late any more


def done_of(task: Task, as_of: date) -> tuple[int, int]:
    """(k, n): how many of the task's n assignees had completed it by `as_of`."""
    found = completion_by_task(task.assignments.all(), as_of)[task.pk]
    return found.done, found.present


def stats(cot=0, late=0, ip=0, rec=0, ns=0, overdue=0, paused=0, proposed=0, risk=0) -> dict:
    """The 13 counts from their parts (the identities task_stats keeps)."""
    counts = {
        "completed_on_time": cot,
        "completed_late": late,
        "in_progress": ip,
        "recurring": rec,
        "not_started": ns,
        "overdue": overdue,
        "paused": paused,
        "proposed_removal": proposed,
        "at_risk": risk,
    }
    counts["completed"] = cot + late
    counts["on_time"] = ip + rec + ns
    counts["not_on_time"] = overdue + paused + proposed
    counts["total"] = counts["completed"] + counts["on_time"] + counts["not_on_time"]
    return {key: counts[key] for key in STAT_KEYS}


# (as of, source, year) -> expected counts
EXPECTED = {
    # "40/102, 53/102, 9/102"
    (A, "NQ57-TINH", None): stats(cot=38, late=2, ip=36, ns=17, overdue=8, paused=1, risk=7),
    # "38/82, 43/82, 01/82 (tạm dừng)"; 44 unfinished of which 08 late or at risk (1 + 7)
    (A, "NQ57-TINH", 2025): stats(cot=36, late=2, ip=31, ns=12, paused=1, risk=7),
    (A, "NQ57-TINH", 2024): stats(cot=2, overdue=8),
    (A, "NQ57-TINH", 2026): stats(ip=5, ns=5),
    # "10/21, 10/21, 01/21" (proposed for removal)
    (A, "NQ71", None): stats(cot=10, ip=10, proposed=1),
    # "07/43 hoàn thành; 08/43 thường xuyên; 16/43 đang triển khai; 12/43 trong Quý IV"
    (A, "CDS-DANG", None): stats(cot=7, rec=8, ip=16, ns=12),
    (A, "KH02-GD1", None): stats(cot=16),
    (A, "BDHVS", None): stats(ip=1),
    # after Q4: the overdue ones completed late, the paused one resumed and done, the proposed
    # one removed (it leaves the count), the 2025 deadlines met
    (B, "NQ57-TINH", None): stats(cot=80, late=12, ip=5, ns=5),
    (B, "NQ57-TINH", 2025): stats(cot=78, late=4),
    (B, "NQ71", None): stats(cot=15, ip=5),
    (B, "CDS-DANG", None): stats(cot=29, rec=8, ip=6),
    (B, "KH02-GD1", None): stats(cot=16),
    (B, "BDHVS", None): stats(cot=1),
}


def cli(as_of: date, source: str, year: int | None) -> dict:
    out = io.StringIO()
    args = ["--as-of", as_of.isoformat(), "--source", source, "--json"]
    if year is not None:
        args += ["--year", str(year)]
    call_command("task_stats", *args, stdout=out)
    return json.loads(out.getvalue())


def check_counts() -> None:
    for (as_of, source, year), expected in EXPECTED.items():
        flt = TaskFilter(source=source, year=year)
        assert task_stats(as_of=as_of, flt=flt).counts == expected, (as_of, source, year)
        from_cli = cli(as_of, source, year)
        assert len(from_cli) == 13
        assert from_cli == expected, (as_of, source, year)


def latest(task: Task, as_of: date) -> StatusEvent:
    events = StatusEvent.objects.filter(assignment__task=task, effective_date__lte=as_of)
    return events.order_by("-effective_date", "-id").select_related("entered_by").first()


def check_footnotes() -> None:
    vinh = Task.objects.get(title=VINH_HEALTH)
    assert (vinh.source.code, vinh.year, vinh.lead_unit.code) == ("NQ57-TINH", 2025, "SYT")
    paused = latest(vinh, A)
    assert (paused.status, paused.reason) == (Status.PAUSED, VINH_REASON)
    assert paused.entered_by.username == "bc.syt"
    assert latest(vinh, B).status == Status.COMPLETED

    twin = Task.objects.get(title=DIGITAL_TWIN)
    assert twin.source.code == "NQ71"
    proposed = latest(twin, A)
    assert (proposed.status, proposed.reason) == (Status.PROPOSED_REMOVAL, TWIN_REASON)
    removed = latest(twin, B)
    assert removed.status == Status.REMOVED
    assert removed.entered_by.username == "thuongtruc"
    assert date(2025, 10, 1) <= removed.effective_date <= date(2025, 12, 31)


def check_communes() -> None:
    phase1 = Task.objects.filter(source__code="KH02-GD1")
    assert phase1.count() == 16
    for task in phase1:
        assert done_of(task, date(2025, 9, 8)) == (130, 130), task.code
        assert done_of(task, A) == (130, 130)
    plan = Task.objects.get(source__code="BDHVS")
    assert plan.title == "Ban hành Kế hoạch triển khai phong trào Bình dân học vụ số"
    assert plan.deadline == date(2025, 12, 31)
    assert done_of(plan, A) == (111, 130)
    assert done_of(plan, B) == (130, 130)
    # each commune's events are its own reporter's, with evidence for each completion
    event = StatusEvent.objects.filter(assignment__task=plan, assignment__unit__code="16681").last()
    assert event.entered_by.username == "bc.16681"
    assert event.evidence_number and event.evidence_date == event.effective_date


@pytest.mark.django_db
def test_demo_tasks_give_the_q3_report_figures(demo_output: str) -> None:
    assert "183 tasks created" in demo_output
    check_counts()
    check_footnotes()
    check_communes()

    # loading again adds nothing: no unit, account, task or event
    models = (Unit, User, Task, StatusEvent)
    before = [m.objects.count() for m in models]
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 units, 0 accounts and 0 tasks created" in out.getvalue()
    assert [m.objects.count() for m in models] == before
