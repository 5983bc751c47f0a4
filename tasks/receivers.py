"""What tasks does when org tells it the tree changed (org.signals)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from org.models import Unit, User
from tasks.models import AssigneeChange, Assignment, StatusEvent
from tasks.queries import latest_events
from tasks.services import close_assignment, open_assignment
from tasks.timeliness import Status

# What a predecessor has finished stays its own: it is not carried.
_FINISHED = (Status.COMPLETED, Status.REMOVED)


def carry_assignments(
    *, moves: tuple[tuple[Unit, Unit], ...], on: date, actor: User, reason: str, **_: Any
) -> None:
    """A merge or split carries the predecessors' open assignments to their successors from
    `on`: each ends the day before (its row and events stay, so figures up to then count as
    they did), and each successor carries the task from `on` — a new assignment, or its own
    one begun earlier or extended back to `on`. A new one starts from the predecessors'
    state the day before (the least advanced when several merge), as an event dated `on`
    noting where it came from. A completed (or removed) assignment stays with its
    predecessor. Updates a predecessor dated on or after `on` stay in its history and no
    longer count. Every change is logged (AssigneeChange). Runs inside the change's
    transaction (org.signals.units_restructured); sealed periods are not asked: the change of
    the tree is the standing office's decision for the days from `on`."""
    successors: dict[int, list[Unit]] = defaultdict(list)
    for predecessor, successor in moves:
        successors[predecessor.pk].append(successor)
    carried = list(
        Assignment.objects.select_for_update()
        .filter(unit_id__in=successors, ended_on__isnull=True)
        .exclude(latest_status__in=_FINISHED)
        .select_related("unit", "task")
        .order_by("task_id", "unit__path")
    )
    if not carried:
        return
    last_day = on - timedelta(days=1)
    before = latest_events(carried, last_day)
    by_target: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    targets: dict[int, Unit] = {}
    for assignment in carried:
        close_assignment(assignment, last_day)
        for successor in successors[assignment.unit_id]:
            by_target[assignment.task_id, successor.pk].append(assignment)
            targets[successor.pk] = successor
    changes = [
        AssigneeChange(
            task_id=a.task_id, unit_id=a.unit_id, kind=AssigneeChange.Kind.REMOVED,
            effective_on=last_day, reason=reason, actor=actor,
        )
        for a in carried
    ]  # fmt: skip
    for (_task_id, successor_id), sources in by_target.items():
        successor = targets[successor_id]
        opened = open_assignment(sources[0].task, successor, on)
        if opened is None:
            continue  # it already carried the task by then, with its own history
        changes.append(
            AssigneeChange(
                task_id=opened.task_id, unit=successor, kind=AssigneeChange.Kind.ADDED,
                effective_on=on, reason=reason, actor=actor,
            )
        )  # fmt: skip
        if opened.latest_date is None:
            _start_from(opened, [before.get(a.pk) for a in sources], sources, on, actor)
    AssigneeChange.objects.bulk_create(changes)


def _start_from(
    assignment: Assignment,
    states: list[StatusEvent | None],
    sources: list[Assignment],
    on: date,
    actor: User,
) -> None:
    """The successor's first event: the least advanced predecessor's state the day before
    (none when one of them had said nothing: not started is the least advanced)."""
    if any(state is None for state in states):
        return
    least = min((s for s in states if s is not None), key=lambda s: s.progress)
    names = ", ".join(a.unit.name for a in sources)
    StatusEvent.objects.create(
        assignment=assignment,
        status=least.status,
        previous_status="",
        effective_date=on,
        progress=least.progress,
        note=_("Tiếp nhận từ: %(units)s.") % {"units": names},
        reason=least.reason,
        entered_by=actor,
    )
    assignment.latest_status, assignment.latest_date = least.status, on
    assignment.latest_progress = least.progress
    assignment.save(update_fields=["latest_status", "latest_date", "latest_progress"])
