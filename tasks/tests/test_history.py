"""Task attributes over time: an edit is a dated revision, and every figure as of an earlier
day reads the task as it was then (issue 14: moving a deadline or a year today must not
change the Q3/2025 report)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from org.models import User
from tasks import history, services
from tasks.models import Source, Task, TaskRevision
from tasks.queries import TaskFilter, task_stats

A = date(2025, 9, 30)  # the Q3/2025 report's date


def cli_counts(*args: str) -> dict[str, int]:
    out = io.StringIO()
    call_command("task_stats", "--as-of", A.isoformat(), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.clock("2026-01-05T09:00")
def test_demo_q3_figures_stay_when_a_deadline_moves_today(db: None, demo_data: None) -> None:
    office = User.objects.get(username="thuongtruc")
    before = cli_counts("--source", "NQ57-TINH")
    stats = task_stats(as_of=A, flt=TaskFilter(source="NQ57-TINH"))
    late = Task.objects.get(pk=stats.items["overdue"][0])
    old_deadline = late.deadline
    assert services.update_task(
        actor=office, task=late, deadline=date(2026, 12, 31), reason="Điều chỉnh kế hoạch"
    )
    revision = TaskRevision.objects.get(task=late)
    assert revision.changes == {"deadline": [old_deadline.isoformat(), "2026-12-31"]}
    assert revision.effective_on == date(2026, 1, 5)
    assert revision.recorded_by == office and revision.reason == "Điều chỉnh kế hoạch"
    late.refresh_from_db()
    assert late.deadline == date(2026, 12, 31) and late.revised_on == date(2026, 1, 5)
    # The report's date reads the old deadline: still overdue, nothing moved.
    assert cli_counts("--source", "NQ57-TINH") == before
    # From the edit's day on, the new deadline counts.
    today = task_stats(as_of=date(2026, 1, 5), flt=TaskFilter(source="NQ57-TINH"))
    assert late.pk not in today.items["overdue"]


@pytest.mark.clock("2026-01-05T09:00")
def test_demo_q3_figures_stay_when_a_year_changes_today(db: None, demo_data: None) -> None:
    office = User.objects.get(username="thuongtruc")
    before_2025 = cli_counts("--source", "NQ57-TINH", "--year", "2025")
    before_2026 = cli_counts("--source", "NQ57-TINH", "--year", "2026")
    assert before_2025["total"] == 82
    task = Task.objects.filter(source__code="NQ57-TINH", year=2025).order_by("code").first()
    assert task is not None
    services.update_task(actor=office, task=task, year=2026, reason="Chuyển sang năm 2026")
    assert cli_counts("--source", "NQ57-TINH", "--year", "2025") == before_2025
    assert cli_counts("--source", "NQ57-TINH", "--year", "2026") == before_2026
    now = task_stats(as_of=date(2026, 1, 5), flt=TaskFilter(source="NQ57-TINH", year=2025))
    assert task.pk not in now.verdicts


@pytest.mark.clock("2026-01-05T09:00")
def test_demo_source_change_reads_the_old_source_before(db: None, demo_data: None) -> None:
    office = User.objects.get(username="thuongtruc")
    before = cli_counts("--source", "NQ57-TINH")
    task = Task.objects.filter(source__code="NQ57-TINH").order_by("code").first()
    assert task is not None
    other = Source.objects.exclude(pk=task.source_id).order_by("code").first()
    old_title = task.title
    services.update_task(actor=office, task=task, source=other, title="Tên mới")
    assert cli_counts("--source", "NQ57-TINH") == before
    then = history.as_of(Task.objects.get(pk=task.pk), A)
    assert (then.source.code, then.title) == ("NQ57-TINH", old_title)
    assert history.as_of(Task.objects.get(pk=task.pk), date(2026, 1, 5)).title == "Tên mới"


@pytest.mark.clock("2026-01-05T09:00")
def test_edits_are_appended_in_date_order(db: None, demo_data: None) -> None:
    office = User.objects.get(username="thuongtruc")
    task = Task.objects.filter(source__code="NQ57-TINH").order_by("code").first()
    assert task is not None
    with pytest.raises(ValidationError) as future:
        services.update_task(actor=office, task=task, year=2030, effective_on=date(2026, 2, 1))
    assert "effective_on" in future.value.message_dict
    with pytest.raises(ValidationError) as no_reason:
        services.update_task(actor=office, task=task, year=2030, effective_on=date(2025, 12, 1))
    assert "reason" in no_reason.value.message_dict
    services.update_task(actor=office, task=task, year=2030, reason="Sửa")
    with pytest.raises(ValidationError) as earlier:
        services.update_task(
            actor=office, task=task, year=2031, effective_on=date(2026, 1, 4), reason="Sửa"
        )
    assert "effective_on" in earlier.value.message_dict
    assert TaskRevision.objects.filter(task=task).count() == 1
    assert not services.update_task(actor=office, task=task, year=2030)  # nothing changed


@pytest.mark.clock("2026-01-05T09:00")
def test_an_edit_cannot_reach_into_a_sealed_period(db: None, demo_data: None) -> None:
    """The demo's Q3/2025 reports were sent: an edit applying from a day inside Q3 would change
    what they said."""
    office = User.objects.get(username="thuongtruc")
    task = Task.objects.filter(source__code="NQ57-TINH").order_by("code").first()
    assert task is not None
    with pytest.raises(ValidationError) as sealed:
        services.update_task(
            actor=office, task=task, year=2030, effective_on=date(2025, 8, 1), reason="Sửa"
        )
    assert "niêm phong" in sealed.value.message_dict["effective_on"][0]
    assert not TaskRevision.objects.filter(task=task).exists()
