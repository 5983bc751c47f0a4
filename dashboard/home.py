"""The home page: the work waiting for the signed-in person, by role, each count opening the list
behind it.

* the standing office: each open period's reports to receive, units returned and units past due
  without a report, then the other queues (`OFFICE_QUEUES`: correction requests, products to
  accept and to evaluate, contested scores, units without a product while registration is open);
* a leader: the headline figures, the red and at-risk lists (the dashboard's, one computation)
  and the way to the dashboard;
* a unit's head: the reports and products to approve first, then the unit's latest monthly
  scorecard (with the window to explain or contest it while open) and its products, then what
  the unit owes;
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
from products import queries as product_queries
from products.models import Product, ProductState
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
from scoring import queries as scoring_queries
from scoring.models import Scorecard
from tasks.models import Task
from tasks.queries import Counts, TaskFilter, TaskStats, task_stats, units_in_sight
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


def _corrections(_today: date) -> list[WorkCount]:
    return [
        WorkCount(
            _("Đề nghị điều chỉnh chờ duyệt"),
            pending_corrections().count(),
            reverse("reporting:correction_list"),
            "warning",
            "corrections",
        )
    ]


# What each product state waiting for the office is called on its home, with its tone and key.
_PRODUCT_QUEUES: dict[str, tuple[StrOrPromise, StrOrPromise, str, str]] = {
    ProductState.APPROVED: (
        _("Sản phẩm chờ tiếp nhận"),
        _("Sản phẩm năm %(year)s chờ tiếp nhận"),
        "primary",
        "products_to_accept",
    ),
    ProductState.DELIVERED: (
        _("Sản phẩm đã hoàn thành, chờ đánh giá"),
        _("Sản phẩm năm %(year)s đã hoàn thành, chờ đánh giá"),
        "primary",
        "products_to_evaluate",
    ),
}


def _products(_today: date) -> list[WorkCount]:
    """Registrations approved by their heads, to accept or return, and deliveries to evaluate:
    a count for each year that has some (the list opens on one year), or a nought."""
    waiting = product_queries.waiting_for_office()
    counts = []
    for state, (label, of_year, tone, key) in _PRODUCT_QUEUES.items():
        years = sorted(year for found, year in waiting if found == state)
        counts += [
            WorkCount(
                of_year % {"year": year},
                waiting[state, year],
                product_queries.list_url(year=year, state=state),
                tone,
                key,
            )
            for year in years
        ] or [WorkCount(label, 0, product_queries.list_url(state=state), "secondary", key)]
    return counts


def _contests(_today: date) -> list[WorkCount]:
    """The heads' explanations and objections to answer, by month: each opens the month with
    only the units still waiting."""
    months = scoring_queries.contested()
    return [
        WorkCount(
            _("Giải trình điểm tháng %(month)s chờ trả lời") % {"month": f"{c.round.month:%m/%Y}"},
            c.count,
            f"{reverse('scoring:round', args=[c.round.code])}?contested=on",
            "warning",
            "contests",
        )
        for c in months
    ] or [
        WorkCount(
            _("Giải trình điểm chờ trả lời"), 0, reverse("scoring:index"), "secondary", "contests"
        )
    ]


def _without_product(today: date) -> list[WorkCount]:
    """While a registration window is open: the reporting units with no product accepted yet,
    opening the board of units without a product."""
    window = product_queries.open_window(today)
    if window is None:
        return []
    rows = product_queries.board(window.year, Unit.objects.all())
    return [
        WorkCount(
            _("Đơn vị chưa có sản phẩm năm %(year)s") % {"year": window.year},
            sum(row.without_product for row in rows),
            f"{reverse('products:board')}?year={window.year}",
            "danger",
            "without_product",
        )
    ]


# The standing office's queues beyond the periods' reports, each a count and the list it opens.
OFFICE_QUEUES: list[Callable[[date], list[WorkCount]]] = [
    _corrections,
    _products,
    _contests,
    _without_product,
]


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
class HeadView:
    """What a unit's head follows: the unit's latest monthly scorecard (draft or published) and
    its products with their state; those sent to him for approval join his approvals."""

    scorecard: Scorecard | None
    contest_open: bool  # the month is a draft and its window for explanations still open
    products: list[Product]

    @property
    def scorecard_url(self) -> str:
        assert self.scorecard is not None
        return reverse(
            "scoring:scorecard", args=[self.scorecard.round.code, self.scorecard.unit.code]
        )

    @property
    def approvals(self) -> list[OwedItem]:
        return [
            OwedItem(
                kind="approval",
                title=str(_("Chờ duyệt sản phẩm: %(title)s") % {"title": p.title}),
                due=None,
                url=reverse("products:detail", args=[p.pk]),
                overdue=False,
            )
            for p in self.products
            if p.state == ProductState.SUBMITTED
        ]


def _head(user: User, today: date) -> HeadView | None:
    """For the head of a reporting unit (who approves for it): three queries."""
    unit = user.unit
    if not (unit.is_reporting and access.can_own(user, Action.APPROVE, unit)):
        return None
    card = scoring_queries.latest_scorecard(unit)
    return HeadView(
        scorecard=card,
        contest_open=card is not None and scoring_queries.contest_window_open(card.round, today),
        products=product_queries.unit_products(unit, today),
    )


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
    head: HeadView | None  # a unit head's scorecard and products

    @property
    def approvals(self) -> list[OwedItem]:
        reports = [item for item in self.owed if item.kind == "approval"]
        return reports + (self.head.approvals if self.head else [])

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
        queues=[c for queue in OFFICE_QUEUES for c in queue(today)] if office else [],
        leader=_leader(user, today) if user.role == Role.VIEWER else None,
        head=_head(user, today),
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
