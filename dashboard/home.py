"""The home page: the work waiting for the signed-in person, by role, each count opening the list
behind it.

* the standing office: each open period's reports to receive, units returned and units past due
  without a report, then the other queues (`OFFICE_QUEUES`: correction requests and deadline
  extension requests; products to accept join here as their app comes);
* a leader: the headline figures, the red and at-risk lists (the dashboard's, one computation)
  and the way to the dashboard;
* a unit's head: the reports to approve first, then what the unit owes;
* a reporter: the reports sent back, with their comment, first, then what the unit owes by when.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.filters import DashboardFilters, task_filter
from dashboard.queries import Dashboard, ListedTask, dashboard
from indicators.queries import IndicatorResult, unit_indicators
from org import access
from org.access import Action
from org.models import Role, Unit, User
from periods.calendar import current_period, open_periods
from periods.models import Period
from reporting.models import ReportState, UnitReport
from reporting.queries import (
    BOARD_STATES,
    NOT_STARTED,
    OwedItem,
    PeriodQueue,
    ReturnedReport,
    office_queues,
    owed_by,
    pending_corrections,
    report_url,
    returned_reports,
)
from tasks.models import Task
from tasks.queries import (
    Counts,
    TaskFilter,
    TaskStats,
    pending_extensions,
    task_stats,
    units_in_sight,
)
from tasks.timeliness import Group, Timeliness

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DUE_SOON = timedelta(days=30)
LEADER_LIST = 5  # rows of the red and at-risk lists on a leader's home; the dashboard has more


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
class WorkCount:
    """A count of work waiting, and the list it opens."""

    label: StrOrPromise
    count: int
    url: str
    tone: str  # Bootstrap's colour of the figure: danger, warning, primary, success, secondary
    key: str  # names it for tests and styles


@dataclass(frozen=True)
class PeriodWork:
    queue: PeriodQueue
    counts: list[WorkCount]


def _board(period: Period, **params: str) -> str:
    url = reverse("reporting:board", args=[period.code])
    return f"{url}?{urlencode(params)}" if params else url


def period_work(queue: PeriodQueue) -> PeriodWork:
    period = queue.period
    return PeriodWork(
        queue,
        [
            WorkCount(_("Chờ tiếp nhận"), queue.to_receive,
                      _board(period, state=ReportState.APPROVED), "primary", "to_receive"),
            WorkCount(_("Quá hạn, chưa nộp"), queue.overdue, _board(period, overdue="on"),
                      "danger", "overdue"),
            WorkCount(_("Bị trả lại, chờ đơn vị nộp lại"), queue.returned,
                      _board(period, state=ReportState.RETURNED), "warning", "returned"),
            WorkCount(_("Đã tiếp nhận"), queue.received,
                      _board(period, state=ReportState.RECEIVED), "success", "received"),
        ],
    )  # fmt: skip


def _corrections() -> WorkCount:
    return WorkCount(
        _("Đề nghị điều chỉnh chờ duyệt"),
        pending_corrections().count(),
        reverse("reporting:correction_list"),
        "warning",
        "corrections",
    )


def _extensions() -> WorkCount:
    return WorkCount(
        _("Đề nghị gia hạn nhiệm vụ chờ quyết định"),
        pending_extensions().count(),
        reverse("tasks:extension_list"),
        "warning",
        "extensions",
    )


# The standing office's queues beyond the periods' reports, each a count and the list it opens.
# Products to accept are added here by their app's pages.
OFFICE_QUEUES: list[Callable[[], WorkCount]] = [_corrections, _extensions]


@dataclass(frozen=True)
class LeaderView:
    """What a leader reads first: the dashboard's headlines, lists and date."""

    board: Dashboard
    task_filter: TaskFilter

    @property
    def red(self) -> list[ListedTask]:
        return self.board.red[:LEADER_LIST]

    @property
    def at_risk(self) -> list[ListedTask]:
        return self.board.at_risk[:LEADER_LIST]


@dataclass(frozen=True)
class HomeSummary:
    unit: Unit
    role_label: str
    reach: Unit | None  # top of what the user sees; None = the whole province
    visible_units: int
    actions: list[str]  # what the user may do on its own unit, in words
    owed: list[OwedItem]  # the unit's open reports and tasks due soon, soonest first
    work: UnitWork | None  # for a reporting unit's own accounts
    returned: list[ReturnedReport]  # the unit's reports sent back: first, with their comment
    periods: list[PeriodWork]  # the standing office's open periods
    queues: list[WorkCount]  # the standing office's other queues
    leader: LeaderView | None  # a leader's headline figures and lists

    @property
    def approvals(self) -> list[OwedItem]:
        return [item for item in self.owed if item.kind == "approval"]

    @property
    def other_owed(self) -> list[OwedItem]:
        return [item for item in self.owed if item.kind != "approval"]


def home_summary(user: User, today: date) -> HomeSummary:
    now = timezone.now()
    office = access.can_everywhere(user, Action.MANAGE_PROGRAMME)
    reporting_unit = user.unit.is_reporting
    return HomeSummary(
        unit=user.unit,
        role_label=user.get_role_display(),
        reach=access.root_of(user),
        visible_units=access.units_visible_to(user).count(),
        actions=[str(access.ACTION_LABELS[a]) for a in Action if access.can(user, a, user.unit)],
        owed=owed_by(user, today),
        work=unit_work(user.unit, today, units_in_sight(user)) if reporting_unit else None,
        returned=returned_reports(user.unit, now)
        if reporting_unit and access.can_own(user, Action.REPORT, user.unit)
        else [],
        periods=[period_work(q) for q in office_queues(now)] if office else [],
        queues=[queue() for queue in OFFICE_QUEUES] if office else [],
        leader=_leader(user, today) if user.role == Role.VIEWER else None,
    )


def _leader(user: User, today: date) -> LeaderView:
    board = dashboard(user, DashboardFilters(as_of=today))
    return LeaderView(board, task_filter(board.filters, board.scope))


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
