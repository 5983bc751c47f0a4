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
from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat

from org import access
from org.models import Unit, User
from tasks.models import Assignment, StatusEvent, Task
from tasks.timeliness import (
    COMPLETED,
    NO_EVENT,
    ON_TIME,
    Facts,
    RiskRules,
    Schedule,
    Timeliness,
    Verdict,
    classify_facts,
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


_SEP = "|"  # between the packed facts of an event (no status or number contains it)


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


def _in_unit(flt: TaskFilter, relation: str) -> Q:
    """`relation` (a path to a unit) is the filter's unit, or within its subtree: a join on
    the unit's path, no subquery."""
    assert flt.unit is not None
    if flt.subtree:
        return Q(**{f"{relation}__path__startswith": flt.unit.path})
    return Q(**{relation: flt.unit})


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
    return tasks.filter(_task_conditions(flt))


def _task_conditions(flt: TaskFilter, task: str = "") -> Q:
    """The filter's conditions on tasks, from where `task` ("task__" from an assignment)
    leads to them."""
    wanted = {
        "source__code": flt.source,
        "year": flt.year,
        "area__code": flt.area,
        "deadline__gte": flt.due_from,
        "deadline__lte": flt.due_by,
    }
    conditions = Q(**{task + k: v for k, v in wanted.items() if v})
    if flt.unit is not None and flt.unit_role is UnitRole.LEAD:
        conditions &= _in_unit(flt, task + "lead_unit")
    return conditions


def _newest(as_of: date | None) -> QuerySet[StatusEvent]:
    """Each assignment's events, newest first (on or before `as_of` when given): the first row
    is one probe of the (assignment, effective_date, id) index."""
    events = StatusEvent.objects.filter(assignment=OuterRef("pk"))
    if as_of is not None:
        events = events.filter(effective_date__lte=as_of)
    return events.order_by("-effective_date", "-id")


def _packed(status: str, progress: str, after: Q) -> Concat:
    """An event's `Facts` in one column: "status|progress|1" (1: dated after the deadline,
    else 0), read back by `_facts`."""
    flag = Case(When(after, then=Value("1")), default=Value("0"))
    return Concat(status, Value(_SEP), progress, Value(_SEP), flag, output_field=CharField())


def _snapshots(assignments: QuerySet[Assignment], as_of: date) -> QuerySet[Assignment]:
    """Each assignment with the facts of its latest event on or before `as_of` packed in one
    column (`s_latest`): from the copy kept on the assignment when that event is its latest one
    (always, as of today), else from one index probe of its events. One query on every
    database, and a short string is decoded far faster than JSON for tens of thousands."""
    after = Q(effective_date__gt=OuterRef("task__deadline"))
    probe = _newest(as_of).annotate(packed=_packed("status", "progress", after))
    stored = _packed("latest_status", "latest_progress", Q(latest_date__gt=F("task__deadline")))
    latest = Case(
        When(latest_date__isnull=True, then=Value(None)),  # no event at all: nothing to probe
        When(latest_date__lte=as_of, then=stored),
        default=Subquery(probe.values("packed")[:1]),
        output_field=CharField(),
    )
    return assignments.annotate(s_latest=latest)


def _facts(packed: str | None) -> Facts | None:
    if not packed:
        return None
    status, progress, after = packed.split(_SEP)
    return Facts(status, int(progress), after == "1")


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
    assignments = Assignment.objects.filter(given, _task_conditions(flt, "task__"))
    if tasks is not None:
        assignments = assignments.filter(task__in=tasks)
    if flt.unit is not None and flt.unit_role is UnitRole.ASSIGNEE:
        # The unit's (or subtree's) own assignments decide; each task still counts once.
        assignments = assignments.filter(_in_unit(flt, "unit"))
    if flt.unit_type:
        assignments = assignments.filter(unit__unit_type=flt.unit_type)
    if flt.bloc is not None:
        assignments = assignments.filter(unit__path__startswith=flt.bloc.path)
    if units is not None:
        assignments = assignments.filter(unit__in=units)
    return assignments


class AssignmentVerdict(NamedTuple):
    """One assignment's status and verdict as of a date (None: no event yet; verdict None once
    removed): what grouping needs."""

    pk: int
    task_id: int
    unit_id: int
    status: str | None
    verdict: Verdict | None


class _Classifier:
    """Verdicts (with the status they come from) of packed facts as of one date. Many
    assignments share their facts and schedule (a commune task's hundred assignees): each
    combination is classified once."""

    def __init__(self, as_of: date) -> None:
        self.as_of, self.rules = as_of, risk_rules()
        self.seen: dict[tuple[Any, ...], tuple[str | None, Verdict | None]] = {}

    def __call__(
        self, packed: str | None, start: date | None, deadline: date | None
    ) -> tuple[str | None, Verdict | None]:
        key = (start, deadline, packed)
        if key not in self.seen:
            facts = _facts(packed)
            schedule = Schedule(start, deadline)
            verdict = classify_facts(facts or NO_EVENT, schedule, self.as_of, self.rules)
            self.seen[key] = (facts.status if facts else None, verdict)
        return self.seen[key]


_VERDICT_INPUTS = ("s_latest", "task__start_date", "task__deadline")


def assignment_verdicts(assignments: QuerySet[Assignment], as_of: date) -> list[AssignmentVerdict]:
    """Every assignment's verdict as of `as_of`, in one query and without a model instance per
    row: what the dashboard groups by area, unit, source... as well as by task."""
    classify = _Classifier(as_of)
    rows = _snapshots(assignments, as_of).order_by("task__code", "unit__path")
    return [
        AssignmentVerdict(pk, task_id, unit_id, *classify(packed, start, deadline))
        for pk, task_id, unit_id, packed, start, deadline in rows.values_list(
            "pk", "task_id", "unit_id", *_VERDICT_INPUTS
        )
    ]


def combined_by_task(rows: Iterable[AssignmentVerdict]) -> TaskStats:
    """Each task once: its assignees' verdicts combined."""
    return _combined((row.task_id, row.verdict) for row in rows)


def task_verdicts(verdicts: Iterable[tuple[int, Verdict | None]]) -> dict[int, Verdict]:
    """Each task's verdict from its assignees' (task id, verdict) pairs; a task whose every
    assignee was removed is left out."""
    by_task: dict[int, list[Verdict | None]] = defaultdict(list)
    for task_id, verdict in verdicts:
        by_task[task_id].append(verdict)
    combined = {task_id: combine(found) for task_id, found in by_task.items()}
    return {task_id: verdict for task_id, verdict in combined.items() if verdict is not None}


def _combined(verdicts: Iterable[tuple[int, Verdict | None]]) -> TaskStats:
    stats = TaskStats()
    for task_id, verdict in task_verdicts(verdicts).items():
        stats.add(task_id, verdict)
    return stats


def task_stats(
    *,
    as_of: date,
    flt: TaskFilter | None = None,
    tasks: QuerySet[Task] | None = None,
    units: QuerySet[Unit] | None = None,
) -> TaskStats:
    """Counts as of `as_of`. `tasks` narrows to what a user may see (org.access decides that),
    `units` to the assignments of the units the user sees (`units_in_sight`).

    Assignees of a task with the same facts count alike (`combine` reads which verdicts occur,
    not how often), so the database returns each such group once: a few rows per task of a
    hundred communes instead of a hundred."""
    classify = _Classifier(as_of)
    assignments = counted_assignments(as_of=as_of, flt=flt, tasks=tasks, units=units)
    ordered = _snapshots(assignments, as_of).order_by("task__code")
    rows = ordered.values_list("task_id", *_VERDICT_INPUTS).distinct()
    return _combined(
        (task_id, classify(packed, start, deadline)[1]) for task_id, packed, start, deadline in rows
    )


class Completion(NamedTuple):
    """Of a task's `assigned` units, the `present` ones (not removed) and those `done`."""

    done: int
    present: int
    assigned: int


def completion_by_task(assignments: QuerySet[Assignment], as_of: date) -> dict[int, Completion]:
    """Each task's completion by its assignees as of `as_of`, in one query."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in assignment_verdicts(assignments, as_of):
        done, present, assigned = counts[row.task_id]
        finished = row.verdict is not None and row.verdict.timeliness in COMPLETED
        counts[row.task_id] = [done + finished, present + (row.verdict is not None), assigned + 1]
    return {task_id: Completion(*found) for task_id, found in counts.items()}


def completion_by_assignee(task: Task, as_of: date) -> tuple[int, int]:
    """(k, n): how many of the task's n assignees had completed it by `as_of`."""
    found = completion_by_task(task.assignments.all(), as_of).get(task.pk)
    return (found.done, found.present) if found else (0, 0)


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
