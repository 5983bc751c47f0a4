"""The one statistics query over tasks: counts by timeliness for any filter, as of any date, with
the tasks behind every count. Pages, exports, reports and the CLI all call `task_stats`; the
grouping and its words are tasks.timeliness's, the filter and its links TaskFilter's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat

from nq57.links import cached_reverse
from org import access
from org.access import Action
from org.models import Unit, User
from tasks import history
from tasks.models import (
    AssigneeChange,
    Assignment,
    DeadlineExtension,
    ExtensionState,
    ProgrammeGroup,
    StatusEvent,
    Task,
    TaskComment,
    active_on,
    given_by,
)
from tasks.timeliness import (
    AT_RISK,
    COMPLETED,
    NO_EVENT,
    STAT_KEYS,
    TOTAL,
    Facts,
    RiskRules,
    Schedule,
    Snapshot,
    Status,
    Timeliness,
    Verdict,
    classify_assignee,
    classify_facts,
    combine,
)

_SEP = "|"  # between the packed facts of an event (no status or number contains it)


class UnitRole(StrEnum):
    ASSIGNEE = "assignee"  # count the unit's own assignments
    LEAD = "lead"  # count the tasks the unit leads, each as a whole


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a count is about. The task list reads one from its query string
    (`tasks.forms.TaskFilterForm.task_filter`: the form checks the codes against the units the
    user sees) and every figure that links to the list writes it (`to_query`, `url`), so a
    figure and its list always apply the same filter."""

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

    def to_query(
        self, *, as_of: date | None = None, state: str | None = None, **overrides: object
    ) -> str:
        """The task list's query string for this filter, as of `as_of`, showing the tasks of
        `state` (a STAT_KEYS key; None: all); `overrides` replace or add parameters (a unit
        row's `unit=<code>`, a bar's `area=<code>`, `sort=`), None leaving a value as it is.
        Only the list's own filters have a parameter: the list counts a unit's subtree as
        assignee, so `subtree`, `unit_role` and `due_from` are not written."""
        params: dict[str, object] = {
            "as_of": as_of,
            "unit": self.unit.code if self.unit else None,
            "bloc": self.bloc.code if self.bloc else None,
            "unit_type": self.unit_type,
            "source": self.source,
            "year": self.year,
            "area": self.area,
            "due_by": self.due_by,
        }
        params.update((key, value) for key, value in overrides.items() if value is not None)
        params["state"] = state
        return "&".join(_pair(key, _text(value)) for key, value in params.items() if value)

    def url(
        self, *, as_of: date | None = None, state: str | None = None, **overrides: object
    ) -> str:
        """The task list behind a figure: see `to_query`."""
        query = self.to_query(as_of=as_of, state=state, **overrides)
        return f"{cached_reverse('tasks:task_list')}?{query}"


def _text(value: object) -> str:
    """A parameter as the task list's form reads it (dates as the page writes them)."""
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else str(value)


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    """One "key=value" encoded once: a dashboard's links repeat the same few hundred pairs
    (its date, unit codes, states), and quoting them was a tenth of its rendering."""
    return urlencode({key: value})


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
        for key in (TOTAL, verdict.timeliness.group.value, verdict.timeliness.value):
            self.items[key].append(task_id)
        if verdict.at_risk:
            self.items[AT_RISK].append(task_id)


@dataclass
class Counts:
    """Tasks by group, each task once, without the lists (`TaskStats` keeps those): what the
    dashboard's tables and the home page show."""

    total: int = 0
    completed: int = 0
    on_time: int = 0
    not_on_time: int = 0
    at_risk: int = 0
    completed_on_time: int = 0

    @classmethod
    def of(cls, stats: TaskStats, task_ids: Iterable[int] | None = None) -> Counts:
        ids = stats.verdicts.keys() if task_ids is None else task_ids
        return cls.of_verdicts(stats.verdicts[task_id] for task_id in ids)

    @classmethod
    def of_verdicts(cls, verdicts: Iterable[Verdict]) -> Counts:
        counts = cls()
        for verdict in verdicts:
            counts.add(verdict)
        return counts

    def add(self, verdict: Verdict) -> None:
        self.total += 1
        group = verdict.timeliness.group
        setattr(self, group.value, getattr(self, group.value) + 1)
        self.completed_on_time += verdict.timeliness is Timeliness.COMPLETED_ON_TIME
        self.at_risk += verdict.at_risk

    @property
    def pct_on_time(self) -> float | None:
        """Completed on time or still within its deadline, of all tasks."""
        if not self.total:
            return None
        return 100 * (self.completed_on_time + self.on_time) / self.total


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


def _then(column: str, values: dict[int, Any]) -> Any:
    """The task's `column` ("start_date", "deadline") as of the date read: its row's, except
    for the tasks of `values` (task id → value then), grouped by value: a handful at most."""
    if not values:
        return F(f"task__{column}")
    by_value: dict[Any, list[int]] = defaultdict(list)
    for task_id, value in values.items():
        by_value[value].append(task_id)
    cases = [When(task_id__in=ids, then=Value(value)) for value, ids in by_value.items()]
    return Case(*cases, default=F(f"task__{column}"), output_field=DateField())


def _with_schedule(
    assignments: QuerySet[Assignment],
    rewrites: history.Rewrites,
    originals: dict[int, date | None] | None = None,
) -> QuerySet[Assignment]:
    """The assignments with their task's start and deadline as of the date read
    (`then_start`, `then_deadline`), or its original deadline (`originals`: before any
    extension)."""
    deadlines = rewrites.changed("deadline") | (originals or {})
    return assignments.annotate(
        then_start=_then("start_date", rewrites.changed("start_date")),
        then_deadline=_then("deadline", deadlines),
    )


def _snapshots(assignments: QuerySet[Assignment], as_of: date) -> QuerySet[Assignment]:
    """Each assignment with the facts of its latest event on or before `as_of` packed in one
    column (`latest_facts`): from the copy kept on the assignment when that event is its latest one
    (always, as of today), else from one index probe of its events. One query on every
    database, and a short string is decoded far faster than JSON for tens of thousands.
    The task's deadline is the one it had on `as_of` (`_with_schedule`, done already by
    `counted_assignments`)."""
    if "then_deadline" not in assignments.query.annotations:
        assignments = _with_schedule(assignments, history.rewrites(as_of))
    after = Q(effective_date__gt=OuterRef("then_deadline"))
    probe = _newest(as_of).annotate(packed=_packed("status", "progress", after))
    stored = _packed("latest_status", "latest_progress", Q(latest_date__gt=F("then_deadline")))
    latest = Case(
        When(latest_date__isnull=True, then=Value(None)),  # no event at all: nothing to probe
        When(latest_date__lte=as_of, then=stored),
        default=Subquery(probe.values("packed")[:1]),
        output_field=CharField(),
    )
    return assignments.annotate(latest_facts=latest)


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
    original_deadlines: bool = False,
    since: date | None = None,
) -> QuerySet[Assignment]:
    """The assignments whose verdicts make up `task_stats` for the same arguments: those
    holding on `as_of` (`active_on`: a unit given the task later or taken off it before does
    not count then); `units` (see `units_in_sight`) keeps only those units' assignments, None
    keeps all. With `since`, also those that held on some day from `since` on, and those of
    the tasks the filter selected on some such day only: what a trend back to `since` reads
    (`read` counts only those holding on `as_of`, of the tasks selected then).

    Each task is read as it was on `as_of` (tasks.history): the tasks revised since are
    filtered on their attributes then, in memory, the others by the database.
    `original_deadlines`: their verdicts against the deadline before any extension (hạn gốc)."""
    flt = flt or TaskFilter()
    rewrites = history.rewrites(as_of)
    conditions = given_by(as_of, "task__") & _task_conditions(flt, "task__")
    if since is not None:
        conditions = _selected_between(conditions, flt, since, as_of)
    elif rewrites:
        held = [t.pk for t in history.then(rewrites) if holds(t, flt, as_of)]
        conditions = (conditions & ~Q(task_id__in=list(rewrites.values))) | Q(task_id__in=held)
    spans = active_on(as_of) if since is None else _held_between(since, as_of)
    originals = history.original_deadlines(as_of) if original_deadlines else None
    assignments = Assignment.objects.filter(conditions & spans)
    assignments = _with_schedule(assignments, rewrites, originals)
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


def _selected_between(conditions: Q, flt: TaskFilter, first: date, last: date) -> Q:
    """`conditions` (the filter's, on the tasks' rows) with the tasks revised after `first`
    judged in memory instead: those the filter selected as they were on some day from `first`
    to `last`. Two queries, and one per kind of related row changed, when there are any."""
    revised = Task.objects.filter(revised_on__gt=first).select_related(
        "source", "area", "lead_unit"
    )
    found = history.versions(revised, first)
    if not found:
        return conditions
    held = [pk for pk, states in found.items() if _selected_some_day(states, flt, last)]
    return (conditions & ~Q(task_id__in=list(found))) | Q(task_id__in=held)


def _selected_some_day(states: list[tuple[date, Task]], flt: TaskFilter, last: date) -> bool:
    """Whether the filter selects a task on some day up to `last`, from its `versions`. A
    state holds up to the day before the next; the source's date only admits more tasks as
    days pass, so a state is judged on its last day."""
    ends = [day - timedelta(days=1) for day, _task in states[1:]] + [last]
    return any(
        holds(task, flt, min(end, last))
        for (day, task), end in zip(states, ends, strict=True)
        if day <= last
    )


def holds(task: Task, flt: TaskFilter, as_of: date) -> bool:
    """`given_by` and `_task_conditions` on a task read in memory (as it was on `as_of`)."""
    counts_from = task.counts_from
    deadline = task.deadline
    checks = (
        counts_from is None or counts_from <= as_of,
        not flt.source or task.source.code == flt.source,
        not flt.year or task.year == flt.year,
        not flt.area or task.area.code == flt.area,
        not flt.due_from or (deadline is not None and deadline >= flt.due_from),
        not flt.due_by or (deadline is not None and deadline <= flt.due_by),
    )
    if not all(checks):
        return False
    if flt.unit is None or flt.unit_role is not UnitRole.LEAD:
        return True
    if flt.subtree:
        return task.lead_unit.path.startswith(flt.unit.path)
    return task.lead_unit_id == flt.unit.pk


def _held_between(first: date, last: date) -> Q:
    """Assignments holding on some day from `first` to `last`."""
    begun = Q(active_from__isnull=True) | Q(active_from__lte=last)
    return begun & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


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


_VERDICT_INPUTS = ("latest_facts", "then_start", "then_deadline")


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


class Span(NamedTuple):
    """An assignment read for the trend whose span does not cover every point: its task, its
    first and last day (None: open on that side) and its status as of the date read."""

    pk: int
    task_id: int
    active_from: date | None
    ended_on: date | None
    status: str | None


@dataclass(frozen=True)
class Reading:
    """Assignments with their verdicts, their tasks (with sources) and their units' paths: what
    the dashboard groups in memory and the trend reads its past from."""

    as_of: date
    assignments: QuerySet[Assignment]  # what was read (with `since`, those held before too)
    rows: list[AssignmentVerdict]  # those holding on `as_of`
    tasks: dict[int, Task]  # the rows' tasks
    paths: dict[int, str]
    # For the trend: the assignments with a first or last day (given later, or ended before
    # `as_of`: these are not among the rows), the rows of the tasks the filter selected before
    # `as_of` only (revised since: `counted_assignments` with `since`), the tasks only those
    # name, and the filter that selects the tasks (`holds`) at each of its points.
    spans: list[Span] = field(default_factory=list)
    unselected: list[AssignmentVerdict] = field(default_factory=list)
    past_tasks: dict[int, Task] = field(default_factory=dict)
    flt: TaskFilter = field(default_factory=TaskFilter)


_READ_INPUTS = ("pk", "task_id", "unit_id", *_VERDICT_INPUTS, "active_from", "ended_on")


def read(assignments: QuerySet[Assignment], as_of: date, flt: TaskFilter | None = None) -> Reading:
    """Three queries whatever the size: the snapshot (as tuples, not model instances: tens of
    thousands across a country), then the tasks (with their sources and areas) and units it
    names, by their ids (a few thousand at most: cheaper than filtering the assignments again
    in a subquery). The rows are the assignments holding on `as_of` of the tasks `flt` (what
    `assignments` were counted with) selects then; `assignments` may hold more
    (counted_assignments' `since`), which only the trend reads: those ended before, and those
    of the tasks revised since that the filter selected before only."""
    flt = flt or TaskFilter()
    classify = _Classifier(as_of)
    snapshot = _snapshots(assignments, as_of).order_by("task__code", "unit__path")
    rows, spans = [], []
    for pk, task_id, unit_id, packed, start, deadline, begun, ended in snapshot.values_list(
        *_READ_INPUTS
    ):
        status, verdict = classify(packed, start, deadline)
        if begun is not None or ended is not None:
            spans.append(Span(pk, task_id, begun, ended, status))
        if ended is None or ended >= as_of:
            rows.append(AssignmentVerdict(pk, task_id, unit_id, status, verdict))
    tasks = Task.objects.filter(pk__in={r.task_id for r in rows} | {s.task_id for s in spans})
    tasks = tasks.select_related("source", "area", "lead_unit").only(
        "code", "title", "year", "lead_unit__path", "start_date", "deadline", "revised_on",
        "source__code", "source__name", "source__issued_on",
        "area__code", "area__name", "area__order",
    )  # fmt: skip
    found = {t.pk: t for t in history.as_they_were(tasks, as_of)}
    # The database selected the others as they are on `as_of` already.
    outside = {
        pk for pk, t in found.items() if t.revised_on is not None and not holds(t, flt, as_of)
    }
    unselected = [r for r in rows if r.task_id in outside]
    rows = [r for r in rows if r.task_id not in outside]
    row_tasks = {r.task_id for r in rows}
    units = Unit.objects.filter(pk__in={r.unit_id for r in rows})
    return Reading(
        as_of=as_of,
        assignments=assignments,
        rows=rows,
        tasks={pk: task for pk, task in found.items() if pk in row_tasks},
        paths=dict(units.values_list("pk", "path")),
        spans=spans,
        unselected=unselected,
        past_tasks={pk: task for pk, task in found.items() if pk not in row_tasks},
        flt=flt,
    )


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
    original_deadlines: bool = False,
) -> TaskStats:
    """Counts as of `as_of`, each task as it was then. `tasks` narrows to what a user may see
    (org.access decides that), `units` to the assignments of the units the user sees
    (`units_in_sight`). `original_deadlines`: completed on time and overdue against the
    deadlines before any extension (theo hạn gốc) instead of the extended ones.

    Assignees of a task with the same facts count alike (`combine` reads which verdicts occur,
    not how often), so the database returns each such group once: a few rows per task of a
    hundred communes instead of a hundred."""
    classify = _Classifier(as_of)
    assignments = counted_assignments(
        as_of=as_of, flt=flt, tasks=tasks, units=units, original_deadlines=original_deadlines
    )
    ordered = _snapshots(assignments, as_of).order_by("task__code")
    rows = ordered.values_list("task_id", *_VERDICT_INPUTS).distinct()
    return _combined(
        (task_id, classify(packed, start, deadline)[1]) for task_id, packed, start, deadline in rows
    )


class Completion(NamedTuple):
    """Of a task's `assigned` units, the `present` ones (not removed) and those `done`: the
    "k/n" of the task list, the task page and the annexes."""

    done: int
    present: int
    assigned: int

    @classmethod
    def of(cls, verdicts: Iterable[Verdict | None]) -> Completion:
        """From the verdicts of a task's assignees (None: removed)."""
        found = list(verdicts)
        present = [v for v in found if v is not None]
        done = sum(1 for v in present if v.timeliness in COMPLETED)
        return cls(done, len(present), len(found))


def completion_by_task(assignments: QuerySet[Assignment], as_of: date) -> dict[int, Completion]:
    """Each task's completion by its assignees holding on `as_of`, in one query."""
    by_task: dict[int, list[Verdict | None]] = defaultdict(list)
    for row in assignment_verdicts(assignments.filter(active_on(as_of)), as_of):
        by_task[row.task_id].append(row.verdict)
    return {task_id: Completion.of(found) for task_id, found in by_task.items()}


def latest_events(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None = None
) -> dict[int, StatusEvent]:
    """The latest event of each assignment (on or before `as_of` when given), in one query."""
    return {event.assignment_id: event for event in _latest(assignments, as_of)}


class Reason(NamedTuple):
    """The reason given with an assignment's latest event, and the status it came with."""

    status: str
    text: str


def latest_reasons(
    assignments: Iterable[Assignment] | QuerySet[Assignment], as_of: date | None = None
) -> dict[int, Reason]:
    """The reason given with each assignment's latest event, where there is one: what lists of
    late tasks and the reports' footnotes show, without reading whole events (a province's
    late tasks have thousands)."""
    latest = _latest(assignments, as_of).exclude(reason="")
    rows = latest.values_list("assignment_id", "status", "reason")
    return {assignment_id: Reason(status, text) for assignment_id, status, text in rows}


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


# --- programme groups ------------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """A programme group as its readers need it (the dashboard's headlines, the reports):
    its words and its sources' codes."""

    code: str
    name: str
    sources: tuple[str, ...]
    this_year_only: bool = False

    def title(self, as_of: date) -> str:
        return self.name.replace("{year}", str(as_of.year))

    def holds(self, task: Task, as_of: date) -> bool:
        return task.source.code in self.sources and (
            not self.this_year_only or task.year == as_of.year
        )


def programme_groups() -> list[Programme]:
    """The standing office's programme groups in their order, each with its sources' codes,
    in one query; a group with no source holds no task and is left out."""
    links = ProgrammeGroup.sources.through._default_manager.order_by(
        "programmegroup__order", "programmegroup__code", "source__code"
    ).values_list(
        "programmegroup__code", "programmegroup__name", "programmegroup__this_year_only",
        "source__code",
    )  # fmt: skip
    sources: dict[tuple[str, str, bool], list[str]] = {}
    for code, name, this_year_only, source in links:
        sources.setdefault((code, name, this_year_only), []).append(source)
    return [Programme(c, n, tuple(found), this) for (c, n, this), found in sources.items()]


# --- one task's page -------------------------------------------------------------------------


@dataclass
class AssigneeState:
    assignment: Assignment
    event: StatusEvent | None  # the latest on or before the date asked about
    verdict: Verdict | None  # None: removed


def assignee_states(task: Task, as_of: date) -> list[AssigneeState]:
    """Each assignee of the task holding on `as_of` (by unit path) with its latest event and
    verdict then: two queries."""
    held = task.assignments.filter(active_on(as_of)).select_related("unit")
    assignments = list(held.order_by("unit__path"))
    latest, rules = latest_events(assignments, as_of), risk_rules()
    schedule = history.as_of(task, as_of).schedule
    states = []
    for assignment in assignments:
        event = latest.get(assignment.pk)
        verdict = _assignee_verdict(event, schedule, as_of, rules)
        states.append(AssigneeState(assignment, event, verdict))
    return states


def current_assignees(task: Task) -> QuerySet[Unit]:
    """The units whose assignment of the task is open (not ended; some may begin later), in
    tree order, each with the day it began (`assigned_from`, None: from the start)."""
    open_spans = Assignment.objects.filter(task=task, unit=OuterRef("pk"), ended_on__isnull=True)
    return (
        Unit.objects.filter(assignments__task=task, assignments__ended_on__isnull=True)
        .annotate(assigned_from=Subquery(open_spans.values("active_from")[:1]))
        .order_by("path")
    )


def assignee_log(task: Task, limit: int = 100) -> list[AssigneeChange]:
    """The task's changes of assignees, newest first, with their units and who made them."""
    changes = AssigneeChange.objects.filter(task=task).select_related("unit", "actor")
    return list(changes[:limit])


def oversees(user: User, task: Task) -> bool:
    """THE rule of a task's assignees in sight: whoever sees the task's lead unit (its own
    people, and those above it) sees every assignee's state, evidence and reasons, since the
    lead unit answers for the task as a whole; anyone else sees the assignees among the units
    it sees. The task page, its timeline and the evidence files all ask here."""
    return access.can(user, Action.VIEW, task.lead_unit)


def assignee_in_sight(user: User, task: Task, unit: Unit) -> bool:
    """Whether the user sees this assignee's part of the task (see `oversees`)."""
    return oversees(user, task) or access.can(user, Action.VIEW, unit)


def _assignee_verdict(
    event: StatusEvent | None, schedule: Schedule, as_of: date, rules: RiskRules
) -> Verdict | None:
    snapshot = Snapshot(event.status, event.effective_date, event.progress) if event else None
    return classify_assignee(snapshot, schedule, as_of, rules)


def verdict_against(
    states: Iterable[AssigneeState], schedule: Schedule, as_of: date
) -> Verdict | None:
    """The task's verdict from its assignees' latest events against another `schedule`: its
    original deadline, before the extensions (theo hạn gốc), next to the extended one."""
    rules = risk_rules()
    return combine([_assignee_verdict(s.event, schedule, as_of, rules) for s in states])


def timeline(user: User, task: Task) -> QuerySet[StatusEvent]:
    """The task's events the user may see (see `oversees`), newest first."""
    events = StatusEvent.objects.filter(assignment__task=task)
    if not oversees(user, task):
        events = events.filter(assignment__unit__in=access.units_visible_to(user))
    return events.select_related("assignment__unit", "entered_by").order_by(
        "-effective_date", "-id"
    )


def is_late(verdict: Verdict | None) -> bool:
    """An assignee the lead unit reminds: overdue, or still in time but at risk of being late
    (a paused one has said why; a removed or finished one has nothing left to do)."""
    return verdict is not None and (verdict.timeliness is Timeliness.OVERDUE or verdict.at_risk)


def late_assignees(task: Task, as_of: date) -> list[Assignment]:
    """The task's late assignees as of `as_of` (see `is_late`), by unit path."""
    return [s.assignment for s in assignee_states(task, as_of) if is_late(s.verdict)]


def comments(task: Task) -> QuerySet[TaskComment]:
    """The words on a task, newest first: everyone who reads the task reads them."""
    return task.comments.select_related("unit", "author").order_by("-created_at", "-id")


def pending_removals(user: User) -> QuerySet[Assignment]:
    """Assignments whose latest status is a proposal to remove them, where the user decides,
    each with the proposal's date and reason."""
    reason = Subquery(_newest(None).values("reason")[:1])
    return (
        Assignment.objects.filter(
            unit__in=access.units_where(user, Action.MANAGE_PROGRAMME),
            latest_status=Status.PROPOSED_REMOVAL,
        )
        .annotate(proposed_on=F("latest_date"), proposal_reason=reason)
        .select_related("task", "unit")
        .order_by("proposed_on", "task__code", "unit__path")
    )


def pending_extensions() -> QuerySet[DeadlineExtension]:
    """The deadline extensions waiting for the standing office's decision, oldest first."""
    return DeadlineExtension.objects.filter(state=ExtensionState.PENDING).order_by(
        "requested_at", "id"
    )
