"""The home page: who the user is, what it owes, and its own unit's accounts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from indicators.queries import IndicatorResult, unit_indicators
from org import access
from org.access import Action
from org.models import Unit, User
from periods.calendar import current_period, open_periods
from periods.models import Period
from reporting.models import UnitReport
from reporting.queries import BOARD_STATES, NOT_STARTED, OwedItem, owed_by, report_url
from tasks.models import Task
from tasks.queries import Counts, TaskFilter, TaskStats, task_stats, units_in_sight
from tasks.timeliness import Group, Timeliness

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DUE_SOON = timedelta(days=30)


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

    tasks: TaskFilter  # the task list's filter of `counts` and `overdue`
    counts: Counts
    overdue: int
    due_soon: int
    due: TaskFilter  # the tasks whose deadline `due_soon` counts: the list's on-time ones
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
    due_by = today + DUE_SOON
    return UnitWork(
        tasks=flt,
        counts=Counts.of(stats),
        overdue=len(stats.items[Timeliness.OVERDUE]),
        due_soon=_due_soon(stats, unit, due_by),
        due=replace(flt, due_by=due_by),
        reports=_open_reports(unit),
        period=period,
        indicators=unit_indicators(period, unit, as_of=today) if period else [],
    )


def _due_soon(stats: TaskStats, unit: Unit, due_by: date) -> int:
    """Tasks still on time whose deadline is on or before `due_by`: the task list's on-time
    tasks filtered with `TaskFilter(due_by=...)`. One query whatever the verdicts: the ids of
    the subtree's tasks due by then, of which the on-time ones count."""
    due = Task.objects.filter(assignments__unit__path__startswith=unit.path, deadline__lte=due_by)
    ids = due.values_list("pk", flat=True).distinct()  # a task of many units joins each
    return len(set(stats.items[Group.ON_TIME]).intersection(ids))


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
