"""The Steering Committee's dashboard.

It reads ONE snapshot of the assignments in scope (each with its latest status event on or
before the date asked about: `tasks.queries.read`, the computation behind `task_stats`) and
groups it in memory by programme group, area, state and unit. Its query count is fixed whatever
the number of units, tasks or events: a province and the whole country cost the same number of
queries, only bigger ones. Its filters are in dashboard.filters, its cache in dashboard.cache,
its trend in tasks.trend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dashboard.cache import CACHE_SECONDS, DataVersion, cache_key, data_version, past_key, trend
from dashboard.filters import DashboardFilters, scope_units, task_filter
from indicators.queries import IndicatorResult, indicator_overview, indicator_sets
from org.models import COMMUNE_TYPES, REPORTING_TYPES, Unit, User
from periods.calendar import current_period
from periods.models import Period
from reporting.models import UnitReport
from reporting.queries import BOARD_STATES, NOT_STARTED
from tasks.models import Area, Assignment, Task
from tasks.queries import (
    AssignmentVerdict,
    Counts,
    Programme,
    Reading,
    TaskStats,
    combined_by_task,
    counted_assignments,
    latest_reasons,
    programme_groups,
    read,
    task_verdicts,
    units_in_sight,
)
from tasks.timeliness import COMPLETED, NOT_ON_TIME, Timeliness, Verdict
from tasks.trend import TrendPoint, trend_points

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIST_LIMIT = 20  # rows of the red and at-risk lists; "xem tất cả" opens the full task list


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    title: str
    source: str | None  # what its link filters the task list by
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
    days_overdue: int | None  # days past its deadline on the dashboard's date; None: not past


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
    # (the set's years, met, size) for each indicator set: what the indicator page counts
    achievement: list[tuple[str, int, int]]
    trend: list[TrendPoint]


# --- the dashboard ---------------------------------------------------------------------------


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
    key = cache_key("dashboard", user, filters, scope, version)
    found = cache.get(key)
    if found is None:
        found = _dashboard(user, filters, scope, drill_path, version)
        cache.set(key, found, CACHE_SECONDS)
    return found


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
    # Back to the trend's first point: assignees given up since count at the points they held.
    since = trend_points(filters.as_of)[0]
    counted = counted_assignments(as_of=filters.as_of, flt=flt, units=sight, since=since)
    reading = read(counted, filters.as_of, flt)
    stats = combined_by_task(reading.rows)
    overall = Counts.of(stats)
    period = current_period(filters.as_of)
    agencies, communes, rows_label = unit_rows(scope, filters, reading, period, sight)
    listed = _listed(stats, reading)
    sets = list(indicator_sets())
    overview = (
        indicator_overview(period, scope, sets=[s.code for s in sets], as_of=filters.as_of)
        if period and scope
        else None
    )
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
        indicators=overview.values if overview else [],
        achievement=[(s.years, *overview.achievement[s.code]) for s in sets] if overview else [],
        trend=trend(reading, overall, past=past_key(user, filters, scope, version)),
    )


def _groups(tasks: dict[int, Task]) -> list[Programme]:
    """The standing office's programme groups that hold a task read; with none (a dataset
    without those sources), one headline per source."""
    sources = {task.source.code: task.source for task in tasks.values()}
    declared = [g for g in programme_groups() if sources.keys() & set(g.sources)]
    if declared:
        return declared
    return [Programme(code, s.name or code, (code,)) for code, s in sorted(sources.items())]


def _headlines(stats: TaskStats, tasks: dict[int, Task], as_of: date) -> list[Headline]:
    headlines = []
    for group in _groups(tasks):
        ids = [t for t in stats.verdicts if group.holds(tasks[t], as_of)]
        if ids:
            year = as_of.year if group.this_year_only else None
            # The task list filters by one source: a group of several links to them all.
            source = group.sources[0] if len(group.sources) == 1 else None
            counts = Counts.of(stats, ids)
            headlines.append(Headline(group.title(as_of), source, year, counts))
    return headlines


def _by_state(stats: TaskStats) -> dict[str, int]:
    counted = Counter(v.timeliness.value for v in stats.verdicts.values())
    return {t.value: counted[t.value] for t in Timeliness if counted[t.value]}


def _by_area(stats: TaskStats, tasks: dict[int, Task]) -> list[AreaRow]:
    """Each area of the tasks counted, in the areas' order, from the areas read with them."""
    by_area: dict[int, Counts] = defaultdict(Counts)
    areas: dict[int, Area] = {}
    for task_id, verdict in stats.verdicts.items():
        area = tasks[task_id].area
        areas[area.pk] = area
        by_area[area.pk].add(verdict)
    ordered = sorted(areas.values(), key=lambda a: (a.order, a.code))  # Area.Meta.ordering
    return [AreaRow(a, by_area[a.pk]) for a in ordered]


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
        return _by_rank(result), [], _("Tỉnh, thành phố")
    _report_states(result, period)
    agencies = [r for r in result if r.unit.unit_type not in COMMUNE_TYPES]
    communes = [r for r in result if r.unit.unit_type in COMMUNE_TYPES]
    _rank(agencies)
    _rank(communes)
    return _by_rank(agencies), _by_rank(communes), _("Đơn vị báo cáo")


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


def _by_rank(rows: list[UnitRow]) -> list[UnitRow]:
    """Best first; units with the same place in tree order; units with no task last."""
    return sorted(rows, key=lambda r: (r.rank == 0, r.rank))  # a stable sort keeps tree order


def _listed(stats: TaskStats, reading: Reading) -> dict[str, list[ListedTask]]:
    """The first rows of the red and at-risk lists (soonest deadline first), each with the
    reason given by an assignee whose verdict put the task there: two queries."""
    wanted = {"red": stats.items["not_on_time"], "at_risk": stats.items["at_risk"]}
    chosen = {key: _soonest(ids, reading.tasks) for key, ids in wanted.items()}
    shown = set().union(*chosen.values())
    reasons = _reasons(_deciding(stats, reading, shown), reading.as_of)
    full = Task.objects.select_related("lead_unit").in_bulk(list(shown))
    return {
        key: [
            ListedTask(
                full[t],
                stats.verdicts[t].timeliness,
                reasons.get(t, ""),
                _days_past(reading.tasks[t].deadline, reading.as_of),  # as it was then
            )
            for t in ids
        ]
        for key, ids in chosen.items()
    }


def _days_past(deadline: date | None, as_of: date) -> int | None:
    return (as_of - deadline).days if deadline is not None and deadline < as_of else None


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
        reasons.setdefault(task_of[assignment_id], given[assignment_id].text)
    return reasons
