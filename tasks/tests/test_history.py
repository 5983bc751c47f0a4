"""Task attributes over time: an edit is a dated revision, and every figure as of an earlier
day reads the task as it was then (issue 14: moving a deadline or a year today must not
change the Q3/2025 report)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from org.models import User
from tasks import history, services
from tasks.models import Area, Source, Task, TaskRevision
from tasks.queries import TaskFilter, counted_assignments, read, task_stats
from tasks.timeliness import Group
from tasks.trend import past_points, trend_points

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


def test_the_trend_reads_each_point_with_the_deadline_then(people: Any, tree: Any) -> None:
    """The dashboard's past points equal task_stats at each point when deadlines moved between
    them (back and forth, and today): each point is late by the deadline it had."""
    source = Source.objects.create(code="S", name="Nguồn")
    area = Area.objects.create(code="A", name="Lĩnh vực")
    fields = {"source": source, "area": area, "year": 2025, "start_date": date(2025, 1, 1)}
    tasks = [
        services.create_task(
            actor=people.standing,
            lead_unit=tree.dept,
            code=f"M{i}",
            title=f"Nhiệm vụ {i}",
            deadline=deadline,
            **fields,
        )
        for i, deadline in enumerate([date(2025, 3, 31), date(2025, 8, 31), None])
    ]
    office = people.standing
    moves = [
        (tasks[0], date(2025, 5, 10), date(2025, 6, 30)),
        (tasks[0], date(2025, 8, 15), date(2025, 12, 31)),
        (tasks[1], date(2025, 9, 5), date(2025, 4, 30)),
        (tasks[2], date(2025, 10, 2), date(2025, 5, 31)),
        (tasks[1], date(2025, 10, 2), None),
    ]
    for task, effective, deadline in moves:
        task.refresh_from_db()
        services.update_task(
            actor=office, task=task, deadline=deadline, effective_on=effective, reason="Dời hạn"
        )
    as_of = date(2025, 10, 2)
    reading = read(counted_assignments(as_of=as_of), as_of)
    points = past_points(reading, trend_points(as_of)[:-1])
    assert any(p.not_on_time for p in points)
    for point in points:
        counts = task_stats(as_of=point.on).counts
        assert (point.completed, point.not_on_time) == (
            counts[Group.COMPLETED],
            counts[Group.NOT_ON_TIME],
        ), point.on
    # task_stats itself read those deadlines: M0 late on 30/04 (due 31/03 then), on time on
    # 30/09 (due 31/12 since 15/08); M1 late on 30/09 (due 30/04 since 05/09).
    april = task_stats(as_of=date(2025, 4, 30)).items["overdue"]
    september = task_stats(as_of=date(2025, 9, 30)).items["overdue"]
    assert tasks[0].pk in april and tasks[0].pk not in september and tasks[1].pk in september
