"""The one statistics query over tasks: counts by timeliness for any filter, as of any date, with
the tasks behind every count. Pages, exports, reports and the CLI all call `task_stats`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from org import access
from org.models import Unit, User
from tasks.models import Assignment, StatusEvent, Task
from tasks.timeliness import (
    COMPLETED,
    ON_TIME,
    RiskRules,
    Schedule,
    Snapshot,
    Timeliness,
    Verdict,
    classify_assignee,
    combine,
)

STAT_KEYS = (
    "total",
    "completed",
    "completed_on_time",
    "completed_late",
    "on_time",
    "in_progress",
    "recurring",
    "not_started",
    "not_on_time",
    "overdue",
    "paused",
    "proposed_removal",
    "at_risk",
)


_SEP = "|"  # between the packed columns of a snapshot (no status, date or number contains it)


class UnitRole(StrEnum):
    ASSIGNEE = "assignee"  # count the unit's own assignments
    LEAD = "lead"  # count the tasks the unit leads, each as a whole


@dataclass(frozen=True)
class TaskFilter:
    source: str | None = None
    year: int | None = None
    area: str | None = None
    unit: Unit | None = None
    subtree: bool = False
    unit_role: UnitRole = UnitRole.ASSIGNEE
    unit_type: str | None = None  # the assignee's unit type (its own assignments decide)
    bloc: Unit | None = None  # assignees within this unit's subtree (a bloc)
    due_from: date | None = None  # tasks with a deadline on or after this day
    due_by: date | None = None  # tasks with a deadline on or before this day


@dataclass
class TaskStats:
    """Counts under STAT_KEYS and, for each, the ids of the tasks behind it; `verdicts` holds
    each counted task's verdict. Every task counts once, so a count equals its list."""

    items: dict[str, list[int]] = field(default_factory=lambda: {k: [] for k in STAT_KEYS})
    verdicts: dict[int, Verdict] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(ids) for key, ids in self.items.items()}

    def add(self, task_id: int, verdict: Verdict) -> None:
        self.verdicts[task_id] = verdict
        group = _group_of(verdict.timeliness)
        for key in ("total", group, verdict.timeliness.value):
            self.items[key].append(task_id)
        if verdict.at_risk:
            self.items["at_risk"].append(task_id)


def _group_of(timeliness: Timeliness) -> str:
    if timeliness in COMPLETED:
        return "completed"
    return "on_time" if timeliness in ON_TIME else "not_on_time"


def risk_rules() -> RiskRules:
    return RiskRules(**getattr(settings, "TASK_RISK_RULES", {}))


def _units(flt: TaskFilter) -> QuerySet[Unit]:
    assert flt.unit is not None
    if flt.subtree:
        return Unit.objects.filter(path__startswith=flt.unit.path)
    return Unit.objects.filter(pk=flt.unit.pk)


def units_in_sight(user: User) -> QuerySet[Unit] | None:
    """The units whose assignments a user's figures count: those it sees, or None (no limit,
    and no subquery) for whoever sees the whole tree. The dashboard and the task list both pass
    it as `units=` so that a figure and the list it links to count the same assignments."""
    if access.root_of(user) is None:
        return None
    return access.units_visible_to(user)


def tasks_visible_to(user: User) -> QuerySet[Task]:
    """Tasks a user may read: those its visible units lead, carry out or coordinate."""
    units = access.units_visible_to(user)
    return Task.objects.filter(
        Q(lead_unit__in=units)
        | Q(pk__in=Assignment.objects.filter(unit__in=units).values("task"))
        | Q(coordinating_units__in=units)
    ).distinct()


def filtered_tasks(flt: TaskFilter, tasks: QuerySet[Task] | None = None) -> QuerySet[Task]:
    tasks = Task.objects.all() if tasks is None else tasks
    if flt.source:
        tasks = tasks.filter(source__code=flt.source)
    if flt.year:
        tasks = tasks.filter(year=flt.year)
    if flt.area:
        tasks = tasks.filter(area__code=flt.area)
    if flt.due_from:
        tasks = tasks.filter(deadline__gte=flt.due_from)
    if flt.due_by:
        tasks = tasks.filter(deadline__lte=flt.due_by)
    if flt.unit is not None and flt.unit_role is UnitRole.LEAD:
        tasks = tasks.filter(lead_unit__in=_units(flt))
    return tasks


def _newest(as_of: date | None) -> QuerySet[StatusEvent]:
    """Each assignment's events, newest first (on or before `as_of` when given): the first row
    is one probe of the (assignment, effective_date, id) index."""
    events = StatusEvent.objects.filter(assignment=OuterRef("pk"))
    if as_of is not None:
        events = events.filter(effective_date__lte=as_of)
    return events.order_by("-effective_date", "-id")


def _snapshots(assignments: QuerySet[Assignment], as_of: date) -> QuerySet[Assignment]:
    """Each assignment with its latest event on or before `as_of` packed in ONE correlated
    subquery as "status|date|progress" (`s_latest`, read back by `_snapshot`): one index probe
    per assignment instead of one per column, in a single query on every database, and a plain
    string is decoded far faster than JSON for tens of thousands of rows."""
    # yyyy-mm-dd on SQLite, and on PostgreSQL under the ISO DateStyle psycopg needs anyway
    effective = Cast("effective_date", CharField())
    packed = Concat(
        "status", Value(_SEP), effective, Value(_SEP), "progress", output_field=CharField()
    )
    latest = _newest(as_of).annotate(packed=packed).values("packed")[:1]
    return assignments.annotate(s_latest=Subquery(latest))


def _snapshot(packed: str | None) -> Snapshot | None:
    if not packed:
        return None
    status, effective, progress = packed.split(_SEP)
    return Snapshot(status, date.fromisoformat(effective), int(progress))


def statuses_on(assignments: QuerySet[Assignment], on: date) -> dict[int, str | None]:
    """Each assignment's status on `on` (None: no event yet), in one query."""
    latest = _newest(on).values("status")[:1]
    return dict(assignments.annotate(s_status=Subquery(latest)).values_list("pk", "s_status"))


def counted_assignments(
    *,
    as_of: date,
    flt: TaskFilter | None = None,
    tasks: QuerySet[Task] | None = None,
    units: QuerySet[Unit] | None = None,
) -> QuerySet[Assignment]:
    """The assignments whose verdicts make up `task_stats` for the same arguments; `units`
    (see `units_in_sight`) keeps only those units' assignments, None keeps all."""
    flt = flt or TaskFilter()
    # A task counts from the date of the document that gave it (its source), not before.
    given = Q(task__source__issued_on__isnull=True) | Q(task__source__issued_on__lte=as_of)
    assignments = Assignment.objects.filter(given, task__in=filtered_tasks(flt, tasks))
    if flt.unit is not None and flt.unit_role is UnitRole.ASSIGNEE:
        # The unit's (or subtree's) own assignments decide; each task still counts once.
        assignments = assignments.filter(unit__in=_units(flt))
    if flt.unit_type:
        assignments = assignments.filter(unit__unit_type=flt.unit_type)
    if flt.bloc is not None:
        assignments = assignments.filter(unit__path__startswith=flt.bloc.path)
    if units is not None:
        assignments = assignments.filter(unit__in=units)
    return assignments


class AssignmentVerdict(NamedTuple):
    """One assignment's verdict as of a date (None once removed): what grouping needs."""

    pk: int
    task_id: int
    unit_id: int
    verdict: Verdict | None


def assignment_verdicts(assignments: QuerySet[Assignment], as_of: date) -> list[AssignmentVerdict]:
    """Every assignment's verdict as of `as_of`, in one query and without a model instance per
    row: what task_stats and the dashboard both group (the dashboard by area, unit, source...
    as well as by task)."""
    rules = risk_rules()
    rows = _snapshots(assignments, as_of).order_by("task__code", "unit__path")
    fields = ("pk", "task_id", "unit_id", "s_latest", "task__start_date", "task__deadline")
    # A verdict depends on nothing else than these values, and many assignments share them (a
    # commune task's hundred assignees, monthly updates): classify each combination once.
    seen: dict[tuple[Any, ...], Verdict | None] = {}
    result = []
    for pk, task_id, unit_id, packed, start, deadline in rows.values_list(*fields):  # type: ignore[misc]
        key = (start, deadline, packed)
        if key not in seen:
            seen[key] = classify_assignee(
                _snapshot(packed), Schedule(start, deadline), as_of, rules
            )
        result.append(AssignmentVerdict(pk, task_id, unit_id, seen[key]))
    return result


def combined_by_task(rows: Iterable[AssignmentVerdict]) -> TaskStats:
    """Each task once: its assignees' verdicts combined."""
    stats = TaskStats()
    by_task: dict[int, list[Verdict | None]] = defaultdict(list)
    for row in rows:
        by_task[row.task_id].append(row.verdict)
    for task_id, verdicts in by_task.items():
        combined = combine(verdicts)
        if combined is not None:
            stats.add(task_id, combined)
    return stats


def task_stats(
    *,
    as_of: date,
    flt: TaskFilter | None = None,
    tasks: QuerySet[Task] | None = None,
    units: QuerySet[Unit] | None = None,
) -> TaskStats:
    """Counts as of `as_of`. `tasks` narrows to what a user may see (org.access decides that),
    `units` to the assignments of the units the user sees (`units_in_sight`)."""
    assignments = counted_assignments(as_of=as_of, flt=flt, tasks=tasks, units=units)
    return combined_by_task(assignment_verdicts(assignments, as_of))


def completion_by_assignee(task: Task, as_of: date) -> tuple[int, int]:
    """(k, n): how many of the task's n assignees had completed it by `as_of`."""
    rows = assignment_verdicts(task.assignments.all(), as_of)
    present = [row.verdict for row in rows if row.verdict is not None]
    done = sum(1 for v in present if v.timeliness in COMPLETED)
    return done, len(present)


def latest_events(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None = None
) -> dict[int, StatusEvent]:
    """The latest event of each assignment (on or before `as_of` when given), in one query."""
    return {event.assignment_id: event for event in _latest(assignments, as_of)}


def latest_reasons(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None = None
) -> dict[int, str]:
    """The reason given with each assignment's latest event, where there is one: what lists of
    late tasks show, without reading whole events."""
    latest = _latest(assignments, as_of).exclude(reason="")
    return dict(latest.values_list("assignment_id", "reason"))


def _latest(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None
) -> QuerySet[StatusEvent]:
    """One index probe per assignment for its latest event's id, then those events only."""
    if isinstance(assignments, QuerySet):
        chosen = Assignment.objects.filter(pk__in=assignments.values("pk"))
    else:
        chosen = Assignment.objects.filter(pk__in=[a.pk for a in assignments])
    ids = chosen.annotate(latest=Subquery(_newest(as_of).values("id")[:1])).values("latest")
    return StatusEvent.objects.filter(pk__in=ids)
