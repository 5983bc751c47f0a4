"""Completed and not-on-time tasks at the ends of past months, as `task_stats` would have counted
them then: the dashboard's trend. Its verdicts are the verdict rule's (`timeliness_of`), read
for every point from one query of status changes.

An assignee's part in its task's point is three flags (present, red, unfinished), the groups of
its verdict there: a task is completed when every present assignee is, not on time when any is
(`combine`), so summing its assignees' flags gives its group. The at-risk test, which the trend
does not show, is left out.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, QuerySet

from tasks import history
from tasks.models import Assignment, StatusEvent, Task
from tasks.queries import Reading, holds
from tasks.timeliness import NO_EVENT, Facts, Group, Status, timeliness_of

TREND_MONTHS = 12

PRESENT, RED, UNFINISHED = 1, 2, 4
FLAGS = (PRESENT, RED, UNFINISHED)
GROUP_FLAGS = {
    None: 0,  # removed: leaves every count
    Group.COMPLETED: PRESENT,
    Group.ON_TIME: PRESENT | UNFINISHED,
    Group.NOT_ON_TIME: PRESENT | UNFINISHED | RED,
}

# A change in the run of points of a status change: (the first point it holds at, status).
Change = tuple[int, str]
# Whether a task counts at each point, and whether each point is past its deadline then.
Masks = tuple[list[bool], list[bool]]


def assignee_flags(status: str | None, past_deadline: bool) -> int:
    """The flags of an assignee whose latest status at a point is `status` (None: it has said
    nothing yet), the point being after its task's deadline or not. Whether a completion came
    late does not change its group, so the event's date is not needed."""
    facts = Facts(status, 0, False) if status else NO_EVENT
    timeliness = timeliness_of(facts, past_deadline)
    return GROUP_FLAGS[timeliness.group if timeliness else None]


# Every status at every point, worked out once: the engine looks flags up per run of points.
_FLAGS_OF = {
    (status, past): assignee_flags(status, past)
    for status in (None, *Status.values)
    for past in (False, True)
}


@dataclass(frozen=True)
class TrendPoint:
    on: date
    completed: int
    not_on_time: int


def trend_points(as_of: date, months: int = TREND_MONTHS) -> list[date]:
    """The ends of the `months - 1` months before `as_of`'s month, then `as_of` itself."""
    points = [as_of]
    first = as_of.replace(day=1)
    for _month in range(months - 1):
        points.append(first - timedelta(days=1))
        first = points[-1].replace(day=1)
    return points[::-1]


def past_points(reading: Reading, points: list[date]) -> list[TrendPoint]:
    """The points of `points` (all before `reading.as_of`) for what was read. One query for all
    points (`_status_runs`). In memory, each assignee adds its flags over the runs of points
    where they hold (a status change, its deadline, its source's date or its task's leaving or
    joining the reading's selection starts a run), and each task sums its assignees'. Assignees
    of a task whose statuses change between the same points run alike (a commune task's
    hundred): each pattern is added once, weighted. A task revised after the first point counts
    at each point as it was then: where the reading's filter selected it, late by its deadline
    then (one query more, only when there is one, and one per kind of related row changed)."""
    first_status, changes = _status_runs(reading, points)
    n = len(points)
    tasks = reading.tasks | reading.past_tasks
    masks = {
        task_id: _masks_then(reading, history.at_points(states, points), points)
        for task_id, states in history.versions(tasks.values(), points[0]).items()
    }
    spans = _spans(reading, points)
    held = [(r.pk, r.task_id, r.status) for r in (*reading.rows, *reading.unselected)]
    # ended before the date read: not among the rows, held up to their last day only
    held += [
        (s.pk, s.task_id, s.status)
        for s in reading.spans
        if s.ended_on is not None and s.ended_on < reading.as_of
    ]
    patterns: Counter[tuple[int, str | None, tuple[Change, ...], tuple[int, int]]] = Counter()
    for pk, task_id, status in held:
        span = spans.get(pk, (0, n))
        patterns[task_id, first_status.get(pk, status), changes.get(pk, ()), span] += 1
    runs: dict[int, list[int]] = {}  # task id -> per flag, differences along the points
    for (task_id, status, changed, span), weight in patterns.items():
        steps = runs.setdefault(task_id, [0] * (len(FLAGS) * (n + 1)))
        if task_id not in masks:
            masks[task_id] = _masks(tasks[task_id], points)
        counted, late = masks[task_id]
        _add_runs(status, changed, steps, weight, counted, late, span)
    return _summed(runs.values(), points)


def _masks(task: Task, points: list[date]) -> Masks:
    """A task as read counts from its source's date (`Task.counts_from`) on."""
    counts_from = task.counts_from
    counted = [counts_from is None or point >= counts_from for point in points]
    return counted, _late([task.deadline] * len(points), points)


def _masks_then(reading: Reading, then: list[Task], points: list[date]) -> Masks:
    """A task as it was at each point (`then`) counts where the reading's filter selected it
    (its source's date included: `holds`)."""
    counted = [holds(task, reading.flt, point) for task, point in zip(then, points, strict=True)]
    return counted, _late([task.deadline for task in then], points)


def _spans(reading: Reading, points: list[date]) -> dict[int, tuple[int, int]]:
    """The points each assignee with a first or last day holds its task at: from the first
    point on or after its first day to the first point after its last day."""
    n = len(points)
    return {
        s.pk: (
            bisect_left(points, s.active_from) if s.active_from else 0,
            bisect_right(points, s.ended_on) if s.ended_on else n,
        )
        for s in reading.spans
    }


def _status_runs(
    reading: Reading, points: list[date]
) -> tuple[dict[int, str | None], dict[int, tuple[Change, ...]]]:
    """From the status changes after the first point up to the date read: each changed
    assignee's status at the first point (what its first change replaced; the others have kept
    the status read as of the date), and its changes up to the last point."""
    first_status: dict[int, str | None] = {}
    changes: dict[int, list[Change]] = defaultdict(list)
    events = _status_changes(reading.assignments, points[0], reading.as_of)
    for assignment_id, status, previous, effective in events:
        first_status.setdefault(assignment_id, previous or None)
        if effective <= points[-1]:
            changes[assignment_id].append((bisect_left(points, effective), status))
    return first_status, {pk: tuple(changed) for pk, changed in changes.items()}


def _summed(runs: Iterable[list[int]], points: list[date]) -> list[TrendPoint]:
    """Each task's flags at each point from its differences, counted as the trend shows them."""
    completed, late = [0] * len(points), [0] * len(points)
    width = len(points) + 1
    for steps in runs:
        present = red = unfinished = 0
        for i in range(len(points)):
            present += steps[i]
            red += steps[width + i]
            unfinished += steps[2 * width + i]
            completed[i] += bool(present and not unfinished)
            late[i] += bool(red)
    return [TrendPoint(on, c, n) for on, c, n in zip(points, completed, late, strict=True)]


def _add_runs(
    status: str | None,
    changes: tuple[Change, ...],
    steps: list[int],
    weight: int,
    counted: list[bool],
    late: list[bool],
    span: tuple[int, int],
) -> None:
    """Add `weight` assignees' flags to their task's differences, run by run, over the points
    of `span` (where the assignees hold the task: the first, and the first after it) where the
    task counts (`counted`); `late`: whether each point is past the task's deadline (as it was
    then)."""
    n = len(late)
    step = 0
    for first, end in itertools.pairwise(_cuts(changes, counted, late, span)):
        while step < len(changes) and changes[step][0] <= first:
            status = changes[step][1]
            step += 1
        if not counted[first]:
            continue
        bits = _FLAGS_OF[status, late[first]]
        for k, flag in enumerate(FLAGS):
            if bits & flag:
                steps[k * (n + 1) + first] += weight
                steps[k * (n + 1) + end] -= weight


def _late(deadlines: list[date | None], points: list[date]) -> list[bool]:
    """Whether each point is after the task's deadline at that point (None: recurring)."""
    return [d is not None and p > d for p, d in zip(points, deadlines, strict=True)]


def _cuts(
    changes: tuple[Change, ...], counted: list[bool], late: list[bool], span: tuple[int, int]
) -> list[int]:
    """Where the assignee's runs start and end: from the first point of its span, at each
    status change, wherever its task starts or stops counting (its source's date; its joining
    or leaving the selection) and wherever it turns late (or back: a deadline moved later), up
    to the end of its span."""
    first, last = span
    turns = {
        i for i in range(1, len(late)) if late[i] != late[i - 1] or counted[i] != counted[i - 1]
    }
    starts = {first, last, *turns, *(at for at, _status in changes)}
    return sorted(c for c in starts if first <= c <= last)


def _status_changes(
    assignments: QuerySet[Assignment], after: date, until: date
) -> QuerySet[StatusEvent, tuple[int, str, str, date]]:
    """The events in (after, until] that change their assignment's status, with the status
    they replace: monthly progress updates repeat the status, and the partial indexes
    tasks_event_change_date and tasks_event_change_assignee leave them out unread."""
    events = StatusEvent.objects.filter(
        assignment__in=assignments.values("pk"), effective_date__gt=after, effective_date__lte=until
    ).exclude(status=F("previous_status"))
    return events.order_by("assignment_id", "effective_date", "id").values_list(
        "assignment_id", "status", "previous_status", "effective_date"
    )
