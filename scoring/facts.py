"""The facts a month's scorecards read, for many units at once, each from the app that keeps it —
nothing is derived twice: task verdicts from tasks.queries (the timeliness rule of
tasks.timeliness), reports' first submission against their due time (reporting's UnitReport),
indicator results as of a date (indicators.queries.own_indicators), data-quality violations
(indicators.validation.check_period), product milestones and evaluations (products).

Everything is read as it stood at the end of the cut-off day; a fixed number of queries whatever
the number of units (the national benchmark scores 3.321 communes at once)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, Q, QuerySet

from indicators.queries import own_indicators
from indicators.validation import check_period
from org.models import COMMUNE_TYPES, REPORTING_TYPES, Unit
from periods.calendar import end_of_day, period_dates
from periods.models import Period, PeriodKind
from products.models import Milestone, Product, ProductState, ProductTransition, Rating
from reporting.models import UnitReport
from scoring.models import UnitKind
from tasks import history
from tasks.models import Assignment, Task
from tasks.queries import TaskFilter, assignment_verdicts, counted_assignments, latest_events
from tasks.timeliness import Facts, RiskRules, Schedule, Status, Timeliness, classify_facts

Ids = QuerySet[Any, Any]  # the scored units' ids, as a subquery

KIND_TYPES: dict[str, frozenset[str]] = {
    UnitKind.COMMUNE: COMMUNE_TYPES,
    UnitKind.AGENCY: frozenset(REPORTING_TYPES - COMMUNE_TYPES),
}


def kind_of(unit: Unit) -> str | None:
    """The scheme kind a unit is scored under; None for a unit that is not scored."""
    return next((kind for kind, types in KIND_TYPES.items() if unit.unit_type in types), None)


@dataclass(frozen=True)
class Window:
    """A scored month's data: from `first` to the cut-off (`cutoff`, the data cut-off day, whose
    end is when the facts are read), as the period calendar dates a month's data (calendar
    months, or from the cut-off day of the month before: Decree 09/2019's 15th to 14th). What is
    due in the window is judged; lateness is charged for the days in it, so a day late is
    charged in one month only."""

    month: date  # the first day of the month named (2025-09)
    first: date
    cutoff: date

    @property
    def since(self) -> date:
        """The previous window's cut-off."""
        return self.first - timedelta(days=1)


def window(month: date, cutoff_day: int) -> Window:
    """The month's data window by periods.calendar's rule (`cutoff_day` 1: the calendar month)."""
    first, last = period_dates(f"{month:%Y-%m}", cutoff_day)
    return Window(month.replace(day=1), first, last)


def units_of(kind: str, win: Window) -> QuerySet[Unit]:
    """The units scored under `kind` for the month: its reporting types, active some day of it."""
    return Unit.objects.filter(unit_type__in=KIND_TYPES[kind]).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=win.cutoff),
        Q(active_to__isnull=True) | Q(active_to__gte=win.first),
    )


# --- the facts of one unit -------------------------------------------------------------------


class TaskItem(NamedTuple):
    assignment_id: int
    code: str
    title: str
    start: date | None
    deadline: date
    timeliness: Timeliness
    done_on: date | None = None  # for a completed one, the day of its completing update
    days_late: int = 0  # for a late one: days late after the previous cut-off, up to this one

    @property
    def is_open(self) -> bool:
        """Not completed: finishing it is what a what-if asks about."""
        return self.timeliness not in (Timeliness.COMPLETED_ON_TIME, Timeliness.COMPLETED_LATE)


class ReportItem(NamedTuple):
    period_code: str
    title: str
    due_at: datetime
    submitted_at: datetime | None  # None: not submitted by the cut-off
    days_late: int


class IndicatorItem(NamedTuple):
    period_code: str
    code: str
    name: str
    value: Decimal | None
    target: Decimal
    met: bool


class MilestoneItem(NamedTuple):
    product_id: int
    product_title: str
    title: str
    due_on: date
    done_on: date | None  # as recorded by the cut-off

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


class ViolationItem(NamedTuple):
    period_code: str
    rule: str
    message: str


class ProductItem(NamedTuple):
    product_id: int
    code: str
    title: str


@dataclass
class UnitFacts:
    """What one unit's scorecard for a month is computed from."""

    unit: Unit
    due: list[TaskItem] = field(default_factory=list)  # due in the month, not removed
    late: list[TaskItem] = field(default_factory=list)  # overdue, or completed late, in window
    has_tasks: bool = False  # something due by the month's end: the overdue criterion applies
    reports: list[ReportItem] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)
    milestones: list[MilestoneItem] = field(default_factory=list)
    violations: list[ViolationItem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # periods whose figures were checked
    exceeded: list[ProductItem] = field(default_factory=list)


def gather(scope: QuerySet[Unit], win: Window) -> dict[int, UnitFacts]:
    """Every unit's facts for the month (the units of `scope`, which the queries read as a
    subquery: a country's communes are no list of ids), as stored at the end of the cut-off
    day."""
    units = list(scope.order_by("path"))
    facts = {u.pk: UnitFacts(unit=u) for u in units}
    if not facts:
        return facts
    ids = scope.values("pk")
    _tasks(facts, ids, win)
    due, dated = _periods(win)
    required = _required(due, ids)
    _reports(facts, ids, due, required, win)
    _figures(facts, units, ids, dated, required, win)
    _products(facts, ids, win)
    return facts


def _tasks(facts: dict[int, UnitFacts], ids: Ids, win: Window) -> None:
    """The units' assignments due by the month's end, with their verdicts as of the cut-off
    (tasks.queries: one query), the tasks' names (one) and the completing update of those
    completed late (one)."""
    assignments = counted_assignments(
        as_of=win.cutoff,
        flt=TaskFilter(due_by=win.cutoff),
        units=Unit.objects.filter(pk__in=ids),
    )
    rows = [r for r in assignment_verdicts(assignments, win.cutoff) if r.verdict is not None]
    late_rows = [r for r in rows if r.verdict and r.verdict.timeliness is Timeliness.COMPLETED_LATE]
    tasks = Task.objects.filter(pk__in={r.task_id for r in rows}).only(
        "code", "title", "start_date", "deadline", "revised_on"
    )
    by_id = {t.pk: t for t in history.as_they_were(tasks, win.cutoff)}
    done = _completed_on([r.pk for r in late_rows], win.cutoff)
    for row in rows:
        task, unit_facts = by_id[row.task_id], facts[row.unit_id]
        assert task.deadline is not None and row.verdict is not None
        unit_facts.has_tasks = True
        item = TaskItem(
            assignment_id=row.pk,
            code=task.code,
            title=task.title,
            start=task.start_date,
            deadline=task.deadline,
            timeliness=row.verdict.timeliness,
            done_on=done.get(row.pk),
        )
        if task.deadline >= win.first:
            unit_facts.due.append(item)
        late = late_item(item, win)
        if late is not None:
            unit_facts.late.append(late)


def _completed_on(completed: list[int], cutoff: date) -> dict[int, date]:
    """The day each completed assignment's completing update is dated: the copy of the latest
    update kept on the assignment when it is dated by the cut-off (it is then the state as of
    the cut-off: tasks.models.Assignment), else its latest update by then (tasks.queries)."""
    rows = Assignment.objects.filter(pk__in=completed).values_list("pk", "latest_date")
    done = {pk: day for pk, day in rows if day is not None and day <= cutoff}
    later = [pk for pk in completed if pk not in done]
    if later:
        events = latest_events(Assignment.objects.filter(pk__in=later), cutoff)
        done |= {pk: event.effective_date for pk, event in events.items()}
    return done


def late_item(item: TaskItem, win: Window) -> TaskItem | None:
    """The item as the overdue criterion charges it, or None: overdue at the cut-off, or
    completed late after the previous cut-off; days late counted after the later of the
    deadline and the previous cut-off (a day is charged in one month only)."""
    start = max(item.deadline, win.since)
    if item.timeliness is Timeliness.OVERDUE:
        return item._replace(days_late=(win.cutoff - start).days)
    if item.timeliness is Timeliness.COMPLETED_LATE and item.done_on and item.done_on > win.since:
        return item._replace(days_late=max((item.done_on - start).days, 0))
    return None


def projected(item: TaskItem, on: date) -> TaskItem:
    """The item as it will stand on `on` if nothing more is done: an unfinished task whose
    deadline passes by then becomes overdue (the verdict is tasks.timeliness's)."""
    if not item.is_open or item.timeliness in (Timeliness.PAUSED, Timeliness.PROPOSED_REMOVAL):
        return item
    status = Status.NOT_STARTED if item.timeliness is Timeliness.NOT_STARTED else Status.IN_PROGRESS
    if item.timeliness is Timeliness.RECURRING:
        status = Status.RECURRING
    verdict = classify_facts(
        Facts(status, 0, after_deadline=False), Schedule(item.start, item.deadline), on,
        RiskRules(),
    )  # fmt: skip
    assert verdict is not None
    return item._replace(timeliness=verdict.timeliness)


def finished(item: TaskItem, on: date, win: Window) -> TaskItem:
    """The item as it would stand at the cut-off had it been completed on `on`: the verdict is
    tasks.timeliness's, never worked out here (the what-if)."""
    verdict = classify_facts(
        Facts(Status.COMPLETED, 100, after_deadline=on > item.deadline),
        Schedule(item.start, item.deadline),
        max(on, win.cutoff),
        RiskRules(),  # risk plays no part in a completed task's verdict
    )
    assert verdict is not None
    return item._replace(timeliness=verdict.timeliness, done_on=on, days_late=0)


def _periods(win: Window) -> tuple[list[Period], list[Period]]:
    """The periods whose reports fall due in the window (quick ones included), and those of them
    whose figures are judged (indicators and data quality: the dated kinds): one query."""
    due = list(
        Period.objects.filter(
            due_at__gte=end_of_day(win.since), due_at__lt=end_of_day(win.cutoff)
        ).order_by("due_at", "code")
    )
    return due, [p for p in due if p.kind != PeriodKind.QUICK]


def _required(periods: list[Period], ids: Ids) -> set[tuple[int, int]]:
    """(period id, unit id) of the units that must report each period: one query."""
    through = Period.required_units.through._default_manager
    pairs = through.filter(period__in=[p.pk for p in periods], unit_id__in=ids)
    return set(pairs.values_list("period_id", "unit_id"))


def _reports(
    facts: dict[int, UnitFacts],
    ids: Ids,
    due: list[Period],
    required: set[tuple[int, int]],
    win: Window,
) -> None:
    """Each report due in the month: submitted (first submission, reporting's rule) by the
    cut-off, how many days late (a day begun counts), or not submitted: one query."""
    if not due:
        return
    sent = UnitReport.objects.filter(
        period__in=due, unit_id__in=ids, first_submitted_at__lt=end_of_day(win.cutoff)
    ).values_list("period_id", "unit_id", "first_submitted_at")
    first = {(period, unit): at for period, unit, at in sent}
    for period in due:
        for unit_id in facts:
            if (period.pk, unit_id) not in required:
                continue
            at = first.get((period.pk, unit_id))
            facts[unit_id].reports.append(
                ReportItem(
                    period_code=period.code,
                    title=period.title,
                    due_at=period.due_at,
                    submitted_at=at,
                    days_late=days_late(period.due_at, at),
                )
            )


def days_late(due_at: datetime, submitted_at: datetime | None) -> int:
    """Whole days after the due time, a day begun counting as one; 0 when on time or unsent."""
    if submitted_at is None or submitted_at <= due_at:
        return 0
    return math.ceil((submitted_at - due_at) / timedelta(days=1))


def _figures(
    facts: dict[int, UnitFacts],
    units: Sequence[Unit],
    ids: Ids,
    dated: list[Period],
    required: set[tuple[int, int]],
    win: Window,
) -> None:
    """For each dated period due in the window: the units' own indicators (those with a target) as
    of the cut-off, and the errors the data rules find in their figures as of then."""
    codes = {u.code: u.pk for u in units}
    for period in dated:
        evaluated = own_indicators(period, units, as_of=win.cutoff, scope=ids)
        for unit_id, results in evaluated.items():
            facts[unit_id].indicators += [
                IndicatorItem(
                    period_code=period.code,
                    code=r.code,
                    name=r.indicator.name,
                    value=r.value,
                    target=r.target,
                    met=r.achieved == "met",
                )
                for r in results
                if r.target is not None
            ]
        for unit_id in (u.pk for u in units if (period.pk, u.pk) in required):
            facts[unit_id].checked.append(period.code)
        for violation in check_period(period, as_of=win.cutoff):
            found = codes.get(violation.unit_code)
            if found is not None and violation.severity == "error":
                facts[found].violations.append(
                    ViolationItem(period.code, violation.rule, violation.message)
                )


def _products(facts: dict[int, UnitFacts], ids: Ids, win: Window) -> None:
    """The milestones due in the month of products accepted by the cut-off, done as recorded by
    then (one query), and the products the standing office rated "vượt" after the previous
    cut-off up to this one (one query)."""
    end = end_of_day(win.cutoff)
    accepted = ProductTransition.objects.filter(
        product=OuterRef("product"), to_state=ProductState.ACCEPTED, at__lt=end
    )
    milestones = (
        Milestone.objects.filter(
            product__unit_id__in=ids, due_on__gte=win.first, due_on__lte=win.cutoff
        )
        .filter(Exists(accepted))
        .select_related("product")
        .order_by("due_on", "product__code", "order")
    )
    for m in milestones:
        recorded = m.done_recorded_at is not None and m.done_recorded_at < end
        facts[m.product.unit_id].milestones.append(
            MilestoneItem(
                m.product_id, m.product.title, m.title, m.due_on, m.done_on if recorded else None
            )
        )
    exceeded = Product.objects.filter(
        unit_id__in=ids,
        rating=Rating.EXCEEDED,
        evaluated_at__gte=end_of_day(win.since),
        evaluated_at__lt=end,
    ).order_by("code")
    for product in exceeded:
        facts[product.unit_id].exceeded.append(ProductItem(product.pk, product.code, product.title))
