"""What the home page and the Steering Committee's dashboard read.

The dashboard reads ONE snapshot of the assignments in scope (each with its latest status event
on or before the date asked about: `tasks.queries.assignment_verdicts`, the computation behind
`task_stats`) and groups it in memory by source, area, state and unit. Its query count is fixed
whatever the number of units, tasks or events: a province and the whole country cost the same
number of queries, only bigger ones.
"""

from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, Model, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import DataElement, DataValue, Indicator, Target
from indicators.queries import IndicatorResult, indicator_values, unit_indicators
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.calendar import current_period, open_periods
from periods.models import Period
from reporting.models import Transition, UnitReport
from reporting.queries import (
    BOARD_STATES,
    NOT_STARTED,
    OwedItem,
    owed_by,
    report_url,
)
from tasks.models import Area, Assignment, Source, StatusEvent, Task
from tasks.queries import (
    AssignmentVerdict,
    TaskFilter,
    TaskStats,
    assignment_verdicts,
    combined_by_task,
    counted_assignments,
    latest_reasons,
    task_stats,
    task_verdicts,
    units_in_sight,
)
from tasks.timeliness import COMPLETED, NOT_ON_TIME, Status, Timeliness, Verdict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COMMUNE_TYPES = frozenset({UnitType.COMMUNE, UnitType.WARD})
LIST_LIMIT = 20  # rows of the red and at-risk lists; "xem tất cả" opens the full task list
TREND_MONTHS = 12
DUE_SOON = timedelta(days=30)
CACHE_SECONDS = 24 * 3600  # entries never go stale (see `dashboard`): this only frees memory


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFilters:
    as_of: date
    unit: Unit | None = None  # the drill-down unit; None: the top of what the user sees
    bloc: Unit | None = None
    unit_type: str | None = None
    source: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class TaskGroup:
    """A headline: the tasks of a source, of every year or of the as-of date's year only."""

    label: StrOrPromise
    source: str
    this_year: bool = False

    def title(self, as_of: date) -> str:
        return str(self.label).format(year=as_of.year)

    def holds(self, task: Task, as_of: date) -> bool:
        return task.source.code == self.source and (not self.this_year or task.year == as_of.year)


# The Steering Committee's four headlines; a dataset with none of these sources gets one
# headline per source it has instead (see `_groups`).
TASK_GROUPS = (
    TaskGroup(_("Nhiệm vụ của tỉnh"), "NQ57-TINH"),
    TaskGroup(_("Nhiệm vụ năm {year}"), "NQ57-TINH", this_year=True),
    TaskGroup(_("Nghị quyết 71/NQ-CP"), "NQ71"),
    TaskGroup(_("Đảng, Mặt trận"), "CDS-DANG"),
)


# --- results ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """Tasks by the dashboard's colours, each task once."""

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
            counts.add(verdict.timeliness, verdict.at_risk)
        return counts

    def add(self, timeliness: Timeliness, at_risk: bool) -> None:
        self.total += 1
        if timeliness in COMPLETED:
            self.completed += 1
            self.completed_on_time += timeliness is Timeliness.COMPLETED_ON_TIME
        elif timeliness in NOT_ON_TIME:
            self.not_on_time += 1
        else:
            self.on_time += 1
        self.at_risk += at_risk

    @property
    def pct_on_time(self) -> float | None:
        """Completed on time or still within its deadline, of all tasks."""
        if not self.total:
            return None
        return 100 * (self.completed_on_time + self.on_time) / self.total


@dataclass(frozen=True)
class Headline:
    title: str
    source: str
    year: int | None
    counts: Counts


@dataclass(frozen=True)
class AreaRow:
    area: Area
    counts: Counts


@dataclass
class UnitRow:
    unit: Unit
    counts: Counts
    report_state: str | None = None  # a BOARD_STATES key; None: not required this period
    rank: int = 0

    @property
    def report_label(self) -> StrOrPromise:
        return BOARD_STATES[self.report_state] if self.report_state else "—"


@dataclass(frozen=True)
class ListedTask:
    task: Task
    timeliness: Timeliness
    reason: str


@dataclass(frozen=True)
class TrendPoint:
    on: date
    completed: int
    not_on_time: int


@dataclass
class Dashboard:
    filters: DashboardFilters
    scope: Unit | None  # None: several roots (the whole country)
    drill_path: list[Unit]  # from the top the user sees down to the scope
    groups: list[Headline]
    overall: Counts
    by_state: dict[str, int]  # Timeliness value -> tasks
    by_area: list[AreaRow]
    agencies: list[UnitRow]
    communes: list[UnitRow]
    rows_label: StrOrPromise  # what the unit rows are: reporting units, or provinces
    period: Period | None
    red: list[ListedTask]
    at_risk: list[ListedTask]
    indicators: list[IndicatorResult]
    trend: list[TrendPoint]

    @property
    def indicators_met(self) -> int:
        return sum(1 for r in self.indicators if r.achieved == "met")


# --- the dashboard ---------------------------------------------------------------------------


def scope_units(user: User, unit: Unit | None) -> tuple[Unit | None, list[Unit]]:
    """(scope, path from the user's top to it). A `unit` out of sight raises PermissionDenied
    (views answer 404 before asking). With no unit, the top of what the user sees; None when
    that is several roots (the whole country)."""
    scope: Unit | None = unit
    if unit is not None:
        if not access.can(user, Action.VIEW, unit):
            raise PermissionDenied
    else:
        tops = list(access.units_visible_to(user).order_by("depth", "path")[:2])
        several = len(tops) > 1 and tops[1].depth == tops[0].depth
        scope = None if several or not tops else tops[0]
    if scope is None:
        return None, []
    top = access.root_of(user)
    top_depth = top.depth if top is not None else 1
    prefixes = [scope.path[: d * Unit.steplen] for d in range(top_depth, scope.depth + 1)]
    return scope, list(Unit.objects.filter(path__in=prefixes).order_by("depth"))


def task_filter(filters: DashboardFilters, scope: Unit | None) -> TaskFilter:
    """The task_stats filter of the dashboard's figures (the task list applies the same one)."""
    return TaskFilter(
        source=filters.source,
        year=filters.year,
        unit=scope,
        subtree=True,
        unit_type=filters.unit_type,
        bloc=filters.bloc,
    )


@dataclass(frozen=True)
class Reading:
    """Assignments with their verdicts, their tasks (with sources) and their units' paths."""

    as_of: date
    assignments: QuerySet[Assignment]  # what was read: the trend reads its past from it
    rows: list[AssignmentVerdict]
    tasks: dict[int, Task]
    paths: dict[int, str]


def read(assignments: QuerySet[Assignment], as_of: date) -> Reading:
    """Three queries whatever the size: the snapshot (as tuples, not model instances: tens of
    thousands across a country), then the tasks and units it names, by their ids (a few
    thousand at most: cheaper than filtering the assignments again in a subquery)."""
    rows = assignment_verdicts(assignments, as_of)
    tasks = Task.objects.filter(pk__in={r.task_id for r in rows}).select_related("source")
    tasks = tasks.only(
        "code", "title", "year", "area", "lead_unit", "start_date", "deadline",
        "source__code", "source__name", "source__issued_on",
    )  # fmt: skip
    units = Unit.objects.filter(pk__in={r.unit_id for r in rows})
    return Reading(
        as_of=as_of,
        assignments=assignments,
        rows=rows,
        tasks={task.pk: task for task in tasks},
        paths=dict(units.values_list("pk", "path")),
    )


def dashboard(user: User, filters: DashboardFilters) -> Dashboard:
    """Everything the dashboard shows, for `user` (who sees only `units_visible_to`).

    Computing it for a whole country takes seconds, so the result is cached under the data's
    version (`data_version`): any committed write to what it shows changes the key, so a cached
    dashboard is never stale and no service has to remember to invalidate it. Inside a
    transaction the data may be uncommitted (and rolled back), so it is computed, not cached."""
    scope, drill_path = scope_units(user, filters.unit)
    if connection.in_atomic_block:
        return _dashboard(user, filters, scope, drill_path, None)
    version = data_version()
    key = _cache_key("dashboard", user, filters, scope, version)
    found = cache.get(key)
    if found is None:
        found = _dashboard(user, filters, scope, drill_path, version)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _cache_key(
    kind: str, user: User, filters: DashboardFilters, scope: Unit | None, version: object
) -> str:
    """Users who see the same units share an entry: the role and the top unit decide that."""
    root = access.root_of(user)
    asked = (
        user.role,
        root.pk if root else None,
        scope.pk if scope else None,
        filters.as_of,
        filters.bloc.pk if filters.bloc else None,
        filters.unit_type,
        filters.source,
        filters.year,
    )
    digest = hashlib.sha256(repr((asked, version)).encode()).hexdigest()
    return f"{kind}:{digest}"


# What the dashboard shows, by how a write to it shows (see `data_version`). Unit reports are
# never deleted (their state moves by transitions), a period's required units are set when it is
# created; assignments, units and owners of figures come and go.
_APPENDED = (
    Transition,
    UnitReport,
    Period.required_units.through,
    Unit.history.model,
    DataValue,
    DataValue.history.model,
)
_ADDED_OR_REMOVED = (Assignment, Task, Unit, DataElement.reporting_units.through)
_CHANGED_IN_PLACE: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Source, ()),
    (Area, ()),
    (Period, ()),
    (Indicator, ()),
    (Target, ()),
    (DataElement, ()),
)


@dataclass(frozen=True)
class DataVersion:
    events: int  # the newest status event's id
    rest: str  # a digest of everything else


def data_version() -> DataVersion:
    """A version that changes with every committed write to what the dashboard shows: the
    newest id of the tables that only grow (status events, report transitions, the history of
    units and figures), the newest id and the count of those rows are added to or removed from,
    the sum of the tasks' edit counters (tasks are edited in place), and the content of the small
    tables edited in place without history (sources, periods, indicators...). One statement and
    a few small reads, against a second for a country's dashboard."""
    parts = [f"(SELECT MAX({_pk(m)}) FROM {_table(m)})" for m in (StatusEvent, *_APPENDED)]
    parts += [f"(SELECT MAX({_pk(m)}) FROM {_table(m)})" for m in _ADDED_OR_REMOVED]
    parts += [f"(SELECT COUNT(*) FROM {_table(m)})" for m in _ADDED_OR_REMOVED]
    parts.append(f"(SELECT SUM(version) FROM {_table(Task)})")  # tasks edited in place
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        events, *counters = cursor.fetchone()
    digest = hashlib.sha256(repr(counters).encode())
    for model, fields in _CHANGED_IN_PLACE:
        names = fields or tuple(f.attname for f in model._meta.concrete_fields)
        rows = model._default_manager.order_by("pk").values_list("pk", *names)
        digest.update(repr(list(rows)).encode())
    return DataVersion(events or 0, digest.hexdigest())


def _pk(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.pk.column)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _dashboard(
    user: User,
    filters: DashboardFilters,
    scope: Unit | None,
    drill_path: list[Unit],
    version: DataVersion | None,  # None: cache nothing
) -> Dashboard:
    # The assignments of the units the user sees, as the task list counts them (one rule:
    # `units_in_sight`), read once for every figure, the unit tables and the trend.
    sight = units_in_sight(user)
    flt = task_filter(filters, scope)
    reading = read(counted_assignments(as_of=filters.as_of, flt=flt, units=sight), filters.as_of)
    stats = combined_by_task(reading.rows)
    overall = Counts.of(stats)
    period = current_period(filters.as_of)
    agencies, communes, rows_label = unit_rows(scope, filters, reading, period, sight)
    listed = _listed(stats, reading)
    return Dashboard(
        filters=filters,
        scope=scope,
        drill_path=drill_path,
        groups=_headlines(stats, reading.tasks, filters.as_of),
        overall=overall,
        by_state=_by_state(stats),
        by_area=_by_area(stats, reading.tasks),
        agencies=agencies,
        communes=communes,
        rows_label=rows_label,
        period=period,
        red=listed["red"],
        at_risk=listed["at_risk"],
        indicators=indicator_values(period, scope) if period and scope else [],
        trend=trend(reading, overall, past=_past_key(user, filters, scope, version)),
    )


def _groups(tasks: dict[int, Task]) -> Sequence[TaskGroup]:
    sources = {task.source.code: task.source for task in tasks.values()}
    declared = [g for g in TASK_GROUPS if g.source in sources]
    if declared:
        return declared
    return [TaskGroup(s.name or code, code) for code, s in sorted(sources.items())]


def _headlines(stats: TaskStats, tasks: dict[int, Task], as_of: date) -> list[Headline]:
    headlines = []
    for group in _groups(tasks):
        ids = [t for t in stats.verdicts if group.holds(tasks[t], as_of)]
        if ids:
            year = as_of.year if group.this_year else None
            counts = Counts.of(stats, ids)
            headlines.append(Headline(group.title(as_of), group.source, year, counts))
    return headlines


def _by_state(stats: TaskStats) -> dict[str, int]:
    counted = Counter(v.timeliness.value for v in stats.verdicts.values())
    return {t.value: counted[t.value] for t in Timeliness if counted[t.value]}


def _by_area(stats: TaskStats, tasks: dict[int, Task]) -> list[AreaRow]:
    by_area: dict[int, Counts] = defaultdict(Counts)
    for task_id, verdict in stats.verdicts.items():
        by_area[tasks[task_id].area_id].add(verdict.timeliness, verdict.at_risk)
    return [AreaRow(a, by_area[a.pk]) for a in Area.objects.filter(pk__in=list(by_area))]


def _row_units(
    scope: Unit | None, filters: DashboardFilters, sight: QuerySet[Unit] | None
) -> QuerySet[Unit]:
    """At a province (or below): its reporting units; across several roots: the roots. Only
    units the user sees (`sight`, None: all): a reporter's unit shows no unit below it."""
    if scope is None:
        units = Unit.objects.filter(depth=1)
    else:
        units = Unit.objects.filter(path__startswith=scope.path, unit_type__in=REPORTING_TYPES)
        if filters.bloc is not None:
            units = units.filter(path__startswith=filters.bloc.path)
        if filters.unit_type:
            units = units.filter(unit_type=filters.unit_type)
    if sight is not None:
        units = units.filter(pk__in=sight)
    return units.order_by("path")


def unit_rows(
    scope: Unit | None,
    filters: DashboardFilters,
    reading: Reading,
    period: Period | None,
    sight: QuerySet[Unit] | None = None,
) -> tuple[list[UnitRow], list[UnitRow], StrOrPromise]:
    """(agencies, communes, label): each unit's tasks as task_stats counts them for its
    subtree, with its report state for `period`, each table ranked on its own (`_rank`)."""
    units = {u.path: u for u in _row_units(scope, filters, sight)}
    by_unit = _by_row_unit(reading, units)
    result = [UnitRow(u, _unit_counts(by_unit[p])) for p, u in units.items()]
    if scope is None:
        _rank(result)
        return result, [], _("Tỉnh, thành phố")
    _report_states(result, period)
    agencies = [r for r in result if r.unit.unit_type not in COMMUNE_TYPES]
    communes = [r for r in result if r.unit.unit_type in COMMUNE_TYPES]
    _rank(agencies)
    _rank(communes)
    return agencies, communes, _("Đơn vị báo cáo")


def _unit_counts(rows: list[AssignmentVerdict]) -> Counts:
    """A row unit's counts: its assignments' tasks each once, without their lists (a
    province's table has some 150 rows)."""
    return Counts.of_verdicts(task_verdicts((r.task_id, r.verdict) for r in rows).values())


def _by_row_unit(reading: Reading, units: dict[str, Unit]) -> dict[str, list[AssignmentVerdict]]:
    """Each row unit's assignments: those of its subtree. The row units above an assignee are
    found once per assignee unit, not once per assignment."""
    above: dict[int, list[str]] = {}
    for unit_id, path in reading.paths.items():
        prefixes = (path[: d * Unit.steplen] for d in range(1, len(path) // Unit.steplen + 1))
        above[unit_id] = [p for p in prefixes if p in units]
    by_unit: dict[str, list[AssignmentVerdict]] = defaultdict(list)
    for row in reading.rows:
        for prefix in above[row.unit_id]:
            by_unit[prefix].append(row)
    return by_unit


def _report_states(result: list[UnitRow], period: Period | None) -> None:
    if period is None or not result:
        return
    pks = [r.unit.pk for r in result]
    required = set(period.required_units.filter(pk__in=pks).values_list("pk", flat=True))
    states = dict(
        UnitReport.objects.filter(period=period, unit__in=pks).values_list("unit_id", "state")
    )
    for row in result:
        if row.unit.pk in required:
            row.report_state = states.get(row.unit.pk, NOT_STARTED)


def _rank_key(row: UnitRow) -> tuple[float, int]:
    """What ranks units, best first: % on time (completed on time or still within the
    deadline, of all tasks), then the number of completed tasks."""
    return (row.counts.pct_on_time or 0, row.counts.completed)


def _rank(rows: list[UnitRow]) -> None:
    """Competition ranking within one table (1, 2, 2, 4): units with the same key share a
    place and the next one skips; units with no task are not ranked (rank 0)."""
    keys = sorted((_rank_key(r) for r in rows if r.counts.total), reverse=True)
    place: dict[tuple[float, int], int] = {}
    for index, key in enumerate(keys, start=1):
        place.setdefault(key, index)
    for row in rows:
        row.rank = place[_rank_key(row)] if row.counts.total else 0


def _listed(stats: TaskStats, reading: Reading) -> dict[str, list[ListedTask]]:
    """The first rows of the red and at-risk lists (soonest deadline first), each with the
    reason given by an assignee whose verdict put the task there: two queries."""
    wanted = {"red": stats.items["not_on_time"], "at_risk": stats.items["at_risk"]}
    chosen = {key: _soonest(ids, reading.tasks) for key, ids in wanted.items()}
    shown = set().union(*chosen.values())
    reasons = _reasons(_deciding(stats, reading, shown), reading.as_of)
    full = Task.objects.select_related("lead_unit").in_bulk(list(shown))
    return {
        key: [ListedTask(full[t], stats.verdicts[t].timeliness, reasons.get(t, "")) for t in ids]
        for key, ids in chosen.items()
    }


def _soonest(ids: list[int], tasks: dict[int, Task]) -> list[int]:
    by_deadline = sorted(ids, key=lambda t: (tasks[t].deadline or date.max, tasks[t].code))
    return by_deadline[:LIST_LIMIT]


def _deciding(stats: TaskStats, reading: Reading, shown: set[int]) -> dict[int, int]:
    """assignment id -> task id, for the assignees that put a shown task on its list (the
    red and at-risk lists never share a task: at risk is for tasks still on time)."""
    return {
        row.pk: row.task_id
        for row in reading.rows
        if row.task_id in shown and _decides(row.verdict, stats.verdicts[row.task_id])
    }


def _decides(assignee: Verdict | None, task: Verdict) -> bool:
    """On the red list the least advanced unfinished assignees decide (`combine`): those as
    late as the task; on the at-risk list the unfinished assignees at risk. A completed
    assignee's old note never explains its task's state."""
    if assignee is None:
        return False
    if task.timeliness in NOT_ON_TIME:
        return assignee.timeliness is task.timeliness
    return assignee.at_risk and assignee.timeliness not in COMPLETED


def _reasons(task_of: dict[int, int], as_of: date) -> dict[int, str]:
    """Each task's reason: the one given by its deciding assignee with the smallest id."""
    given = latest_reasons(Assignment.objects.filter(pk__in=list(task_of)), as_of)
    reasons: dict[int, str] = {}
    for assignment_id in sorted(given):
        reasons.setdefault(task_of[assignment_id], given[assignment_id])
    return reasons


# --- the trend -------------------------------------------------------------------------------


def trend_points(as_of: date, months: int = TREND_MONTHS) -> list[date]:
    """The ends of the `months - 1` months before `as_of`'s month, then `as_of` itself."""
    points = [as_of]
    first = as_of.replace(day=1)
    for _month in range(months - 1):
        points.append(first - timedelta(days=1))
        first = points[-1].replace(day=1)
    return points[::-1]


# An assignee's part in its task's point of the trend: the groups classify_assignee and combine
# put it in (a task is completed when every present assignee is, not on time when any is),
# without the at-risk test the trend does not show.
PRESENT, RED, UNFINISHED = 1, 2, 4
FLAGS = (PRESENT, RED, UNFINISHED)
_ON_TIME, _LATE = PRESENT | UNFINISHED, PRESENT | UNFINISHED | RED
_SETTLED: dict[str | None, int] = {
    Status.REMOVED: 0,  # leaves every count
    Status.COMPLETED: PRESENT,
    Status.PAUSED: _LATE,
    Status.PROPOSED_REMOVAL: _LATE,
}


@dataclass(frozen=True)
class PastKey:
    """Where the trend's past points are cached, and the data's version they were read at."""

    key: str
    version: DataVersion


def _past_key(
    user: User, filters: DashboardFilters, scope: Unit | None, version: DataVersion | None
) -> PastKey | None:
    if version is None:
        return None
    # Every version of the data but its newest status event: see `trend`.
    return PastKey(_cache_key("trend", user, filters, scope, version.rest), version)


def trend(reading: Reading, overall: Counts, past: PastKey | None = None) -> list[TrendPoint]:
    """Completed and not-on-time tasks at the ends of the months before `as_of`, as task_stats
    would count them then, and at `as_of` (the overall counts). The past points change only
    when an event is dated back to them or something else changes, so with `past` they are
    cached and reused while no status event entered since is dated on or before them."""
    before = trend_points(reading.as_of)[:-1]
    counted = _cached_past(past, before[-1]) if past else None
    if counted is None:
        counted = _past_points(reading, before)
        if past:
            cache.set(past.key, (past.version.events, counted), CACHE_SECONDS)
    return [*counted, TrendPoint(reading.as_of, overall.completed, overall.not_on_time)]


def _cached_past(past: PastKey, last: date) -> list[TrendPoint] | None:
    """The cached past points, unless a status event entered since is dated on or before
    `last` (one EXISTS on the primary key's index)."""
    found = cache.get(past.key)
    if found is None:
        return None
    newest, counted = found
    if StatusEvent.objects.filter(pk__gt=newest, effective_date__lte=last).exists():
        return None
    return list(counted)


def _past_points(reading: Reading, points: list[date]) -> list[TrendPoint]:
    """One query for all points (`_moves`). In memory, each assignee adds its flags over the
    runs of points where they hold (a status change, its deadline or its source's date starts
    a run), and each task sums its assignees'. Assignees of a task whose statuses change between
    the same points run alike (a commune task's hundred): each pattern is added once, weighted."""
    before, moves = _moves(reading, points)
    patterns: Counter[tuple[int, str | None, tuple[tuple[int, str], ...]]] = Counter()
    for row in reading.rows:
        patterns[row.task_id, before.get(row.pk, row.status), moves.get(row.pk, ())] += 1
    runs: dict[int, list[int]] = {}  # task id -> per flag, differences along the points
    for (task_id, status, changes), weight in patterns.items():
        steps = runs.setdefault(task_id, [0] * (len(FLAGS) * (len(points) + 1)))
        _add_runs(reading.tasks[task_id], status, changes, points, steps, weight)
    return _summed(runs.values(), points)


def _moves(
    reading: Reading, points: list[date]
) -> tuple[dict[int, str | None], dict[int, tuple[tuple[int, str], ...]]]:
    """From the status changes after the first point up to the date read: each changed
    assignee's status at the first point (what its first change replaced; the others have kept
    the status read as of the date), and its changes up to the last point, each as (the first
    point it holds at, status)."""
    before: dict[int, str | None] = {}
    moves: dict[int, list[tuple[int, str]]] = defaultdict(list)
    changes = _status_changes(reading.assignments, points[0], reading.as_of)
    for assignment_id, status, previous, effective in changes:
        before.setdefault(assignment_id, previous or None)
        if effective <= points[-1]:
            moves[assignment_id].append((bisect_left(points, effective), status))
    return before, {pk: tuple(changed) for pk, changed in moves.items()}


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
    task: Task,
    status: str | None,
    changes: tuple[tuple[int, str], ...],
    points: list[date],
    steps: list[int],
    weight: int,
) -> None:
    """Add `weight` assignees' flags to their task's differences, run by run."""
    n, late_from = len(points), _late_from(task, points)
    step = 0
    for first, end in itertools.pairwise(_cuts(task, changes, points, late_from)):
        while step < len(changes) and changes[step][0] <= first:
            status = changes[step][1]
            step += 1
        bits = _SETTLED.get(status)
        if bits is None:
            bits = _LATE if first >= late_from else _ON_TIME
        for k, flag in enumerate(FLAGS):
            if bits & flag:
                steps[k * (n + 1) + first] += weight
                steps[k * (n + 1) + end] -= weight


def _late_from(task: Task, points: list[date]) -> int:
    """The first point after the task's deadline (len(points): none)."""
    return bisect_right(points, task.deadline) if task.deadline else len(points)


def _cuts(
    task: Task, changes: tuple[tuple[int, str], ...], points: list[date], late_from: int
) -> list[int]:
    """Where the assignee's runs start and end: from the first point on or after its source's
    date, at each status change and at its deadline, up to the end."""
    issued, n = task.source.issued_on, len(points)
    given = bisect_left(points, issued) if issued else 0
    starts = {given, late_from, n, *(at for at, _status in changes)}
    return sorted(c for c in starts if given <= c <= n)


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


# --- the home page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenReport:
    period: Period
    state: str
    url: str

    @property
    def label(self) -> StrOrPromise:
        return BOARD_STATES[self.state]


@dataclass(frozen=True)
class UnitWork:
    """The user's own unit as an assignee: counts as of today, open reports, indicators."""

    counts: Counts
    overdue: int
    due_soon: int
    due_by: date  # the last deadline `due_soon` counts (the task list's `due_by` filter)
    reports: list[OpenReport]
    period: Period | None
    indicators: list[IndicatorResult]


@dataclass(frozen=True)
class HomeSummary:
    unit: Unit
    role_label: str
    reach: Unit | None  # top of what the user sees; None = the whole province
    visible_units: int
    actions: list[str]  # what the user may do on its own unit, in words
    owed: list[OwedItem]  # the unit's open reports and tasks due soon, soonest first
    work: UnitWork | None  # for a reporting unit's own accounts


def home_summary(user: User, today: date) -> HomeSummary:
    return HomeSummary(
        unit=user.unit,
        role_label=user.get_role_display(),
        reach=access.root_of(user),
        visible_units=access.units_visible_to(user).count(),
        actions=[str(access.ACTION_LABELS[a]) for a in Action if access.can(user, a, user.unit)],
        owed=owed_by(user, today),
        work=unit_work(user.unit, today, units_in_sight(user)) if user.unit.is_reporting else None,
    )


def unit_work(unit: Unit, today: date, units: QuerySet[Unit] | None = None) -> UnitWork:
    """The counts behind the task list's `?unit=<code>` link (the list counts the unit's
    subtree, within the units the user sees: `units`, see `units_in_sight`), its open reports
    and the current period's indicators. A fixed number of queries."""
    flt = TaskFilter(unit=unit, subtree=True)
    stats = task_stats(as_of=today, flt=flt, units=units)
    period = current_period(today)
    return UnitWork(
        counts=Counts.of(stats),
        overdue=len(stats.items["overdue"]),
        due_soon=_due_soon(stats, unit, today + DUE_SOON),
        due_by=today + DUE_SOON,
        reports=_open_reports(unit),
        period=period,
        indicators=unit_indicators(period, unit) if period else [],
    )


def _due_soon(stats: TaskStats, unit: Unit, due_by: date) -> int:
    """Tasks still on time whose deadline is on or before `due_by`: the task list's on-time
    tasks filtered with `TaskFilter(due_by=...)`. One query whatever the verdicts: the ids of
    the subtree's tasks due by then, of which the on-time ones count."""
    due = Task.objects.filter(assignments__unit__path__startswith=unit.path, deadline__lte=due_by)
    ids = due.values_list("pk", flat=True).distinct()  # a task of many units joins each
    return len(set(stats.items["on_time"]).intersection(ids))


def _open_reports(unit: Unit) -> list[OpenReport]:
    """The open periods that require the unit, each with its report's state: one query."""
    state = UnitReport.objects.filter(unit=unit, period=OuterRef("pk")).values("state")[:1]
    periods = (
        open_periods(timezone.now())
        .filter(required_units=unit)
        .annotate(unit_state=Subquery(state))
        .order_by("due_at")
    )
    return [
        OpenReport(p, p.unit_state or NOT_STARTED, report_url(p.code, unit.code)) for p in periods
    ]
