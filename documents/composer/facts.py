"""The figures a report states, gathered once (`ReportFacts`): one task statistics query per
date, the tasks, the reasons, the received reports' texts, the indicator values. Each part of
the body reads them; none queries on its own, so the number of queries does not depend on the
number of tasks, units or reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from documents.composer.links import indicator_url, task_list_url, task_page_url
from documents.composer.programmes import ACHIEVEMENT_KINDS
from documents.content import Kind, Link
from documents.wording import decimal, period_label, upto
from indicators.expressions import Ratio, Ref, parse
from indicators.models import DataElement, IndicatorSet
from indicators.queries import (
    IndicatorResult,
    Overview,
    indicator_overview,
    indicator_sets,
    stored_values,
)
from org.models import Unit, UnitType
from periods.models import Period, PeriodKind
from products.queries import DeliveryOverview, delivery_by_area
from reporting.models import ReportState, Section, SectionKind
from reporting.queries import report_url
from scoring.facts import KIND_TYPES
from tasks import history
from tasks.models import Area, Assignment, Task
from tasks.queries import (
    AssignmentVerdict,
    Programme,
    TaskFilter,
    TaskStats,
    assignment_verdicts,
    combined_by_task,
    counted_assignments,
    latest_reasons,
    programme_groups,
    task_stats,
)


def figures_as_of(period: Period, as_of: date) -> date | None:
    """The day a report dated `as_of` reads the period's indicator figures as stored on: that
    day once the period is over (a Q3 report dated 15/10 gives the same figures when rebuilt a
    year later), else None, the figures as they stand when it is built. A period's figures are
    entered after it ends (Q3's in October), so read as of a day inside it, the default date of
    a finished period's report (its last day) included, there would be none."""
    return as_of if as_of > period.ends_on else None


@dataclass
class ReportFacts:
    """What a report of `kind` for `unit` and `period` is computed from, as of `as_of`; each
    figure read on first use and kept. `figures_now` reads the indicator figures as they are
    stored now rather than as of the report's date: what a kept report is compared with
    (documents.changes), corrections approved since included."""

    kind: Kind
    period: Period
    unit: Unit
    as_of: date
    figures_now: bool = False
    report_links: dict[tuple[int, str], Link] = field(default_factory=dict, init=False, repr=False)

    @property
    def own_only(self) -> bool:
        """A unit's own report counts its own assignments; the province's, its whole tree."""
        return self.kind is Kind.UNIT

    @property
    def end(self) -> date:
        """The last day "in the period" counts: the period's end, or the report's date before."""
        return min(self.as_of, self.period.ends_on)

    @property
    def figures_as_of(self) -> date | None:
        """The date the indicator figures are read as of (`figures_as_of`), None: now."""
        period = self.indicator_period
        if self.figures_now or period is None:
            return None
        return figures_as_of(period, self.as_of)

    @cached_property
    def indicator_period(self) -> Period | None:
        """Whose figures the indicators are read from: a month's or a quarter's own; for a
        longer span (six or nine months, a year) the latest quarter inside it for which figures
        were entered (the province's figures are quarterly), None when there is none yet."""
        if self.period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.QUICK):
            return self.period
        quarters = Period.objects.filter(
            kind=PeriodKind.QUARTER,
            starts_on__gte=self.period.starts_on,
            ends_on__lte=self.period.ends_on,
            starts_on__lte=self.as_of,
            data_values__isnull=False,
        )
        return quarters.order_by("-ends_on").first()

    def codes(self, task_ids: Iterable[int]) -> frozenset[str]:
        """The codes of tasks the report has read (its statements keep codes, not ids)."""
        return frozenset(self.tasks[t].code for t in task_ids if t in self.tasks)

    @property
    def label(self) -> str:
        return period_label(self.period)

    @property
    def upto(self) -> str:
        """ "QUÝ III NĂM 2025" (documents.wording.upto)."""
        return upto(self.period)

    # --- tasks -------------------------------------------------------------------------------

    @property
    def task_filter(self) -> TaskFilter:
        return TaskFilter(unit=self.unit, subtree=not self.own_only)

    def stats_on(self, on: date, among: Sequence[int] | None = None) -> TaskStats:
        """The statistics on `on`, of the tasks `among` only when given (a task's verdict
        depends on its own assignments alone, so narrowing changes no verdict)."""
        tasks = None if among is None else Task.objects.filter(pk__in=among)
        return task_stats(as_of=on, flt=self.task_filter, tasks=tasks)

    @cached_property
    def verdict_rows(self) -> list[AssignmentVerdict]:
        """Each counted assignment's verdict at the report's date, in one query: the task
        statistics and the communes' completion are both grouped from these rows."""
        assignments = counted_assignments(as_of=self.as_of, flt=self.task_filter)
        return assignment_verdicts(assignments, self.as_of)

    @cached_property
    def stats(self) -> TaskStats:
        return combined_by_task(self.verdict_rows)

    def before(self, among: Sequence[int]) -> TaskStats:
        """The statistics of the tasks `among` on the eve of the period: a sentence comparing
        with the eve speaks of a few tasks (those completed, or late, now), and reading only
        theirs spares the probes of every other assignment."""
        return self.stats_on(self.period.starts_on - timedelta(days=1), among)

    @cached_property
    def completed_in_period(self) -> list[int]:
        """Tasks completed between the period's start and its end (or the report's date)."""
        at_end = self.stats if self.end == self.as_of else self.stats_on(self.end)
        completed = at_end.items["completed"]
        before = set(self.before(completed).items["completed"])
        return [t for t in completed if t not in before]

    @cached_property
    def steering(self) -> Unit | None:
        """The Steering Committee under the report's unit (the province's)."""
        units = Unit.objects.filter(path__startswith=self.unit.path, unit_type=UnitType.STEERING)
        return units.order_by("path").first()

    @cached_property
    def tasks(self) -> dict[int, Task]:
        ids = set(self.stats.items["total"]) | set(self.completed_in_period)
        rows = Task.objects.filter(pk__in=ids).select_related("source", "area", "lead_unit")
        # Each task as it was on the report's date: an edit since changes nothing it says.
        return {t.pk: t for t in history.as_they_were(rows.order_by("code"), self.as_of)}

    @cached_property
    def programmes(self) -> dict[str, Programme]:
        """The programme groups the standing office configured, by code (one query)."""
        return {p.code: p for p in programme_groups()}

    def programme(self, code: str) -> Programme:
        """A group the report speaks of; one not configured (yet) counts no task."""
        return self.programmes.get(code) or Programme(code, code, ())

    def subset(self, programme: Programme, *, year: int | None = None) -> TaskStats:
        """The statistics of the tasks of a programme group's sources (and of a year), from the
        one query."""
        out = TaskStats()
        for task_id in self.stats.items["total"]:
            task = self.tasks[task_id]
            if task.source.code in programme.sources and (year is None or task.year == year):
                out.add(task_id, self.stats.verdicts[task_id])
        return out

    def programme_name(self, programme: Programme) -> str:
        """What the report calls a group: its source's name when it has one source ("Nghị quyết
        số 71/NQ-CP"), else the group's own name."""
        if len(programme.sources) == 1:
            return self.source_name(programme.sources[0])
        return programme.name

    @staticmethod
    def programme_filter(programme: Programme) -> str | None:
        """The source a link to a group's tasks narrows the task list to: the list narrows by
        one source, so a group of several sources links to the unit's whole list."""
        return programme.sources[0] if len(programme.sources) == 1 else None

    def source_name(self, code: str) -> str:
        """A source's name ("Nghị quyết số 71/NQ-CP") from the tasks read, else its code."""
        return next((t.source.name for t in self.tasks.values() if t.source.code == code), code)

    def reasons(self, task_ids: Sequence[int]) -> dict[int, str]:
        """Each of these not-on-time tasks' reason, from its assignees' latest events as of the
        date: those of every task not on time read once for all (footnotes and the areas' late
        lists ask for some of them each), others on their own."""
        wanted = set(task_ids)
        if wanted <= set(self.stats.items["not_on_time"]):
            return {t: reason for t, reason in self.late_reasons.items() if t in wanted}
        return self._reasons(task_ids)

    @cached_property
    def late_reasons(self) -> dict[int, str]:
        return self._reasons(self.stats.items["not_on_time"])

    def _reasons(self, task_ids: Sequence[int]) -> dict[int, str]:
        if not task_ids:
            return {}
        assignments = Assignment.objects.filter(task__in=task_ids)
        if self.own_only:
            assignments = assignments.filter(unit=self.unit)
        reasons: dict[int, str] = {}
        given = latest_reasons(assignments.order_by(), self.as_of)
        task_of_assignment = dict(assignments.values_list("pk", "task_id"))
        for assignment_id, reason in sorted(given.items()):
            task_id = task_of_assignment[assignment_id]
            wanted = self.stats.verdicts[task_id].timeliness
            if task_id not in reasons or reason.status == wanted:
                reasons[task_id] = reason.text.strip()
        return reasons

    # --- products ----------------------------------------------------------------------------

    @cached_property
    def products(self) -> DeliveryOverview:
        """The report year's products registered by the tree's agencies and communes (the units
        scored), as they stood at `end`, by area: read once for every statement of them."""
        units = Unit.objects.filter(
            path__startswith=self.unit.path, unit_type__in=set().union(*KIND_TYPES.values())
        )
        return delivery_by_area(self.period.ends_on.year, self.end, units)

    # --- areas, indicators, texts --------------------------------------------------------------

    @cached_property
    def areas(self) -> list[Area]:
        return list(Area.objects.all())

    @cached_property
    def area_ranks(self) -> dict[int, int]:
        return {area.pk: n for n, area in enumerate(self.areas, start=1)}

    def area_rank(self, section: Section) -> int:
        """0 for a text without an area, else its area's place among the areas, from 1."""
        return self.area_ranks.get(section.area_id or 0, 0)

    @cached_property
    def overview(self) -> Overview:
        """The indicators' values and, for the report kinds that state them, the sets'
        achievement: one evaluation for both."""
        period = self.indicator_period
        if period is None:
            return Overview(values=[], achievement={})
        sets = [s.code for s in self.achievement_sets]
        return indicator_overview(
            period,
            self.unit,
            subtree=not self.own_only,
            sets=sets,
            as_of=self.figures_as_of,
        )

    @cached_property
    def achievement_sets(self) -> list[IndicatorSet]:
        """The indicator sets covering the period's year, for the kinds that state them."""
        if self.kind not in ACHIEVEMENT_KINDS:
            return []
        return list(indicator_sets(year=self.period.ends_on.year))

    @property
    def indicators(self) -> list[IndicatorResult]:
        return self.overview.values

    @cached_property
    def quantity_labels(self) -> dict[str, str]:
        """What a ratio indicator's numerator counts ("đảng viên"), by indicator code, when the
        numerator is a single data element."""
        element_of: dict[str, str] = {}
        for result in self.indicators:
            expr = parse(result.indicator.formula)
            if isinstance(expr, Ratio) and isinstance(expr.numerator, Ref):
                element_of[result.code] = expr.numerator.code
        labels = dict(
            DataElement.objects.filter(code__in=element_of.values()).values_list(
                "code", "unit_label"
            )
        )
        return {code: labels.get(element, "") for code, element in element_of.items()}

    @property
    def text_periods(self) -> Q:
        """Whose received reports the units' texts come from: the period's own, or for a longer
        span (six or nine months, a year) the quarters' inside it (identical texts merge)."""
        if self.period.kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.QUICK):
            return Q(report__period=self.period)
        return Q(
            report__period__kind=PeriodKind.QUARTER,
            report__period__starts_on__gte=self.period.starts_on,
            report__period__ends_on__lte=self.period.ends_on,
        )

    @cached_property
    def said(self) -> list[Section]:
        """Every text of the received reports (results, difficulties, proposals), tree order,
        read once for the report and its composer."""
        sections = Section.objects.filter(
            self.text_periods,
            report__state=ReportState.RECEIVED,
            report__unit__path__startswith=self.unit.path,
            kind__in=(SectionKind.RESULTS, SectionKind.DIFFICULTIES, SectionKind.PROPOSALS),
        )
        return list(
            sections.select_related("report__unit", "report__period").order_by(
                "report__unit__path", "report__period__ends_on", "order", "id"
            )
        )

    @property
    def sections(self) -> list[Section]:
        """The difficulties and proposals of the received reports."""
        wanted = (SectionKind.DIFFICULTIES, SectionKind.PROPOSALS)
        return [s for s in self.said if s.kind in wanted]

    # --- links -------------------------------------------------------------------------------

    def report_link(self, unit: Unit, period: Period | None = None) -> Link:
        """The unit's report for the period (or the one its text came from); a unit that raised
        several texts is linked from each, its URL reversed once."""
        code = (period or self.period).code
        if (unit.pk, code) not in self.report_links:
            self.report_links[unit.pk, code] = Link(unit.name, report_url(code, unit.code))
        return self.report_links[unit.pk, code]

    def task_link(
        self,
        label: str,
        state: str = "total",
        *,
        source: str | None = None,
        year: int | None = None,
    ) -> Link:
        """The report's tasks in `state` (of a source, a year), as of the report's date."""
        url = task_list_url(as_of=self.as_of, unit=self.unit, state=state, source=source, year=year)
        return Link(label, url)

    def detail_link(self, task: Task) -> Link:
        """The task's own page as of the report's date (its assignees, each one's state)."""
        return Link(task.code, task_page_url(task.code, self.as_of))

    def indicator_link(self, result: IndicatorResult) -> Link:
        period = self.indicator_period or self.period
        url = indicator_url(result.code, period, self.unit, self.figures_as_of)
        return Link(result.indicator.name, url)

    def element_totals(self, codes: set[str]) -> dict[str, str]:
        """Data elements' figures summed over the report's units, as written ("28"): the
        indicator period's own values, or for an element entered monthly its latest month
        inside that period. One read; for the figures a prose names (documents.composer.prose)."""
        period = self.indicator_period
        if not codes or period is None:
            return {}
        wanted = (
            Q(element__code__in=codes, unit__path__startswith=self.unit.path)
            & Q(period__starts_on__gte=period.starts_on, period__ends_on__lte=period.ends_on)
            & Q(value__isnull=False)
        )
        rows = stored_values(wanted, self.figures_as_of).values_list(
            "element__code", "period__ends_on", "value"
        )
        latest: dict[str, date] = {}
        totals: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        for code, ends_on, value in rows:
            latest[code] = max(latest.get(code, ends_on), ends_on)
            totals[code, ends_on] += value
        return {code: decimal(totals[code, ends_on]) for code, ends_on in latest.items()}
