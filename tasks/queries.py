"""The one statistics query over tasks: counts by timeliness for any filter, as of any date, with
the tasks behind every count. Pages, exports, reports and the CLI all call `task_stats`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery

from org import access
from org.models import Unit, User
from tasks.models import Assignment, StatusEvent, Task
from tasks.timeliness import (
    COMPLETED,
    ON_TIME,
    RiskRules,
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
    if flt.unit is not None and flt.unit_role is UnitRole.LEAD:
        tasks = tasks.filter(lead_unit__in=_units(flt))
    return tasks


def _snapshots(assignments: QuerySet[Assignment], as_of: date) -> QuerySet[Assignment]:
    """Each assignment with its latest event on or before `as_of` (correlated subqueries)."""
    latest = StatusEvent.objects.filter(
        assignment=OuterRef("pk"), effective_date__lte=as_of
    ).order_by("-effective_date", "-id")
    return assignments.annotate(
        s_status=Subquery(latest.values("status")[:1]),
        s_date=Subquery(latest.values("effective_date")[:1]),
        s_progress=Subquery(latest.values("progress")[:1]),
    ).select_related("task")


def _verdict(assignment: Assignment, as_of: date, rules: RiskRules) -> Verdict | None:
    status = getattr(assignment, "s_status", None)
    state = None
    if status:
        state = Snapshot(status, assignment.s_date, assignment.s_progress)  # type: ignore[attr-defined]
    return classify_assignee(state, assignment.task.schedule, as_of, rules)


def task_stats(
    *, as_of: date, flt: TaskFilter | None = None, tasks: QuerySet[Task] | None = None
) -> TaskStats:
    """Counts as of `as_of`. `tasks` narrows to what a user may see (org.access decides that)."""
    flt = flt or TaskFilter()
    rules = risk_rules()
    # A task counts from the date of the document that gave it (its source), not before.
    given = Q(task__source__issued_on__isnull=True) | Q(task__source__issued_on__lte=as_of)
    assignments = Assignment.objects.filter(given, task__in=filtered_tasks(flt, tasks))
    if flt.unit is not None and flt.unit_role is UnitRole.ASSIGNEE:
        # The unit's (or subtree's) own assignments decide; each task still counts once.
        assignments = assignments.filter(unit__in=_units(flt))
    stats = TaskStats()
    by_task: dict[int, list[Verdict | None]] = defaultdict(list)
    for assignment in _snapshots(assignments, as_of).order_by("task__code", "unit__path"):
        by_task[assignment.task_id].append(_verdict(assignment, as_of, rules))
    for task_id, verdicts in by_task.items():
        combined = combine(verdicts)
        if combined is not None:
            stats.add(task_id, combined)
    return stats


def completion_by_assignee(task: Task, as_of: date) -> tuple[int, int]:
    """(k, n): how many of the task's n assignees had completed it by `as_of`."""
    rules = risk_rules()
    verdicts = [_verdict(a, as_of, rules) for a in _snapshots(task.assignments.all(), as_of)]
    present = [v for v in verdicts if v is not None]
    done = sum(1 for v in present if v.timeliness in COMPLETED)
    return done, len(present)


def latest_events(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None = None
) -> dict[int, StatusEvent]:
    """The latest event of each assignment (on or before `as_of` when given), in one query."""
    events = StatusEvent.objects.filter(assignment__in=assignments)
    if as_of is not None:
        events = events.filter(effective_date__lte=as_of)
    latest: dict[int, StatusEvent] = {}
    for event in events.order_by("assignment_id", "effective_date", "id"):
        latest[event.assignment_id] = event
    return latest
