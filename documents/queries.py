"""What a report says, computed from stored data as of a date (see documents.content).

`build_content` gathers the figures once (`_Facts`: one task statistics query per date, the
tasks, the reasons, the received reports' texts, the indicator values) and each part of the body
is a short function turning them into paragraphs. Every computed sentence carries a stable key and
links to the list behind its figures, as of the report's date. The number of queries does not
depend on the number of tasks, units or reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from directives.queries import directive_counts, list_url
from documents import wording as w
from documents.content import Kind, Link, Paragraph, ReportContent, Style
from indicators.expressions import Ratio, Ref, parse
from indicators.models import DataElement
from indicators.queries import IndicatorResult, IndicatorSet, Overview, indicator_overview
from nq57.links import cached_reverse
from nq57.text import fold
from org.models import Unit, UnitType
from periods.models import Period, PeriodKind
from reporting.models import ReportState, Section, SectionKind, UnitReport
from reporting.queries import board, report_url
from tasks.models import Area, Assignment, Task
from tasks.queries import (
    AssignmentVerdict,
    TaskFilter,
    TaskStats,
    assignment_verdicts,
    combined_by_task,
    counted_assignments,
    latest_events,
    task_stats,
)
from tasks.timeliness import COMPLETED, Timeliness

TITLE = "BÁO CÁO"
RESOLUTION = "Nghị quyết số 57-NQ/TW"


@dataclass(frozen=True)
class CommuneProgramme:
    """A programme every commune carries out: the report counts the communes that completed all
    of its tasks; `done` says what they did ({tasks}: how many tasks the programme has)."""

    source: str
    done: str


@dataclass(frozen=True)
class Programmes:
    """The task sources the province report speaks of, by code (demo.tasks.SOURCES)."""

    province: str = "NQ57-TINH"  # the province's own tasks under Resolution 57
    government: str = "NQ71"  # the tasks Resolution 71/NQ-CP gives the province
    party: str = "CDS-DANG"  # digital transformation in the Party agencies and the Front
    communes: tuple[CommuneProgramme, ...] = (
        CommuneProgramme("KH02-GD1", "hoàn thành {tasks}/{tasks} nhiệm vụ"),
        CommuneProgramme("BDHVS", "đã ban hành Kế hoạch bình dân học vụ số"),
    )


PROGRAMMES = Programmes()
# The indicator sets whose achievement a report states ("đạt và vượt 39/65 chỉ tiêu").
ACHIEVEMENT_SETS: dict[Kind, tuple[IndicatorSet, ...]] = {Kind.QUARTERLY: ("2025-2045", "2025")}
# Why a task is not on time, when its latest event gives no reason.
LATE_LABELS = {
    Timeliness.OVERDUE: "quá hạn",
    Timeliness.PAUSED: "đang tạm dừng thực hiện",
    Timeliness.PROPOSED_REMOVAL: "đề nghị đưa ra khỏi nhiệm vụ",
}
# "Đã hoàn thành 03 nhiệm vụ trong quý"
SPAN_NOUNS: dict[str, str] = {
    PeriodKind.MONTH: "tháng",
    PeriodKind.QUARTER: "quý",
    PeriodKind.YEAR: "năm",
}


def build_content(
    *, kind: Kind, period: Period, unit: Unit, as_of: date | None = None
) -> ReportContent:
    """The report of `kind` for `unit` and `period`, its figures as of `as_of` (default: the
    period's last day)."""
    facts = _Facts(kind, period, unit, as_of or period.ends_on)
    parts: dict[Kind, Callable[[_Facts], list[Paragraph]]] = {
        Kind.QUARTERLY: _quarterly,
        Kind.MONTHLY: _monthly,
        Kind.UNIT: _unit_report,
    }
    return ReportContent(
        kind=kind,
        period=period,
        unit=unit,
        as_of=facts.as_of,
        title=TITLE,
        subject=_subject(kind, period, unit),
        body=parts[kind](facts),
    )


def _subject(kind: Kind, period: Period, unit: Unit) -> str:
    label = w.period_label(period)
    if kind is Kind.QUARTERLY:
        return (
            f"tình hình thực hiện {RESOLUTION}\n{w.capitalized(label)} và nhiệm vụ, giải pháp "
            f"trọng tâm {_ahead(period)}"
        )
    if kind is Kind.MONTHLY:
        return f"tóm tắt tình hình thực hiện {RESOLUTION} {label}"
    return f"kết quả thực hiện {RESOLUTION} của {unit.name} {label}"


def _ahead(period: Period) -> str:
    """What the next steps cover: the rest of the year after Q3, next year after Q4, else the
    next period."""
    start, end = w.next_span(period)
    if start.year > period.ends_on.year:
        return f"năm {start.year}"
    if end.month == 12 and start.month > 6:
        return f"cuối năm {start.year}"
    return w.capitalized(w.span_label(start, end))


# --- the figures, gathered once --------------------------------------------------------------


@dataclass
class _Facts:
    kind: Kind
    period: Period
    unit: Unit
    as_of: date
    report_links: dict[int, Link] = field(default_factory=dict, init=False, repr=False)

    @property
    def own(self) -> bool:
        """A unit's own report counts its own assignments; the province's, its whole tree."""
        return self.kind is Kind.UNIT

    @property
    def end(self) -> date:
        """The last day "in the period" counts: the period's end, or the report's date before."""
        return min(self.as_of, self.period.ends_on)

    @property
    def label(self) -> str:
        return w.period_label(self.period)

    def stats_on(self, day: date, among: Sequence[int] | None = None) -> TaskStats:
        """The statistics on `day`, of the tasks `among` only when given (a task's verdict
        depends on its own assignments alone, so narrowing changes no verdict)."""
        tasks = None if among is None else Task.objects.filter(pk__in=among)
        flt = TaskFilter(unit=self.unit, subtree=not self.own)
        return task_stats(as_of=day, flt=flt, tasks=tasks)

    @cached_property
    def rows(self) -> list[AssignmentVerdict]:
        """Each counted assignment's verdict at the report's date, in one query: the task
        statistics and the communes' completion are both grouped from these rows."""
        flt = TaskFilter(unit=self.unit, subtree=not self.own)
        return assignment_verdicts(counted_assignments(as_of=self.as_of, flt=flt), self.as_of)

    @cached_property
    def stats(self) -> TaskStats:
        return combined_by_task(self.rows)

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
        return {t.pk: t for t in rows.order_by("code")}

    def subset(self, *, source: str | None = None, year: int | None = None) -> TaskStats:
        """The statistics of the tasks of one source (and year), from the one query."""
        out = TaskStats()
        for task_id in self.stats.items["total"]:
            task = self.tasks[task_id]
            if (source is None or task.source.code == source) and (
                year is None or task.year == year
            ):
                out.add(task_id, self.stats.verdicts[task_id])
        return out

    def source_name(self, code: str) -> str:
        """A source's name ("Nghị quyết số 71/NQ-CP") from the tasks read, else its code."""
        return next((t.source.name for t in self.tasks.values() if t.source.code == code), code)

    def reasons(self, task_ids: Sequence[int]) -> dict[int, str]:
        """Each of these not-on-time tasks' reason, from its assignees' latest events as of the
        date. Asked only for the tasks a paragraph footnotes: a commune programme's task has
        hundreds of assignees whose events no sentence reads."""
        if not task_ids:
            return {}
        assignments = Assignment.objects.filter(task__in=task_ids)
        if self.own:
            assignments = assignments.filter(unit=self.unit)
        reasons: dict[int, str] = {}
        events = latest_events(assignments.order_by(), self.as_of)
        by_assignment = dict(assignments.values_list("pk", "task_id"))
        for assignment_id, event in sorted(events.items()):
            task_id = by_assignment[assignment_id]
            wanted = self.stats.verdicts[task_id].timeliness
            if event.reason and (task_id not in reasons or event.status == wanted):
                reasons[task_id] = event.reason.strip()
        return reasons

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
        sets = ACHIEVEMENT_SETS.get(self.kind, ())
        return indicator_overview(self.period, self.unit, subtree=not self.own, sets=sets)

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

    @cached_property
    def sections(self) -> list[Section]:
        """The difficulties and proposals of the period's received reports, tree order."""
        sections = Section.objects.filter(
            report__period=self.period,
            report__state=ReportState.RECEIVED,
            report__unit__path__startswith=self.unit.path,
            kind__in=(SectionKind.DIFFICULTIES, SectionKind.PROPOSALS),
        )
        return list(
            sections.select_related("report__unit").order_by("report__unit__path", "order", "id")
        )

    # links -------------------------------------------------------------------------------

    def report_link(self, unit: Unit) -> Link:
        """The unit's report for the period; a unit that raised several texts is linked from
        each, its URL reversed once."""
        if unit.pk not in self.report_links:
            self.report_links[unit.pk] = Link(unit.name, report_url(self.period.code, unit.code))
        return self.report_links[unit.pk]

    def task_link(self, label: str, state: str = "total", **filters: object) -> Link:
        query = {"as_of": w.day(self.as_of), "unit": self.unit.code, **filters, "state": state}
        return Link(label, f"{cached_reverse('tasks:task_list')}?{urlencode(query)}")

    def detail_link(self, task: Task) -> Link:
        """The task's own page as of the report's date (its assignees, each one's state)."""
        url = cached_reverse("tasks:task_detail", task.code)
        return Link(task.code, f"{url}?{urlencode({'as_of': w.day(self.as_of)})}")

    def indicator_link(self, result: IndicatorResult) -> Link:
        query = urlencode({"period": self.period.code, "unit": self.unit.code})
        url = cached_reverse("indicators:detail", result.code)
        return Link(result.indicator.name, f"{url}?{query}")


def _p(
    text: str,
    style: Style = "body",
    *,
    bold: bool = False,
    italic: bool = False,
    key: str = "",
    links: tuple[Link, ...] = (),
    footnotes: tuple[str, ...] = (),
) -> Paragraph:
    return Paragraph(text, style, bold, italic, footnotes, key, links)


# --- task statistics ---------------------------------------------------------------------------


def _footnotes(facts: _Facts, task_ids: Sequence[int]) -> tuple[str, ...]:
    """One footnote per not-on-time task, their reasons read in one query."""
    reasons = facts.reasons(task_ids)
    return tuple(_footnote(facts, t, reasons.get(t)) for t in task_ids)


def _footnote(facts: _Facts, task_id: int, reason: str | None) -> str:
    """ "Nhiệm vụ: <title>. <reason>" — the reason its assignee gave, else its state."""
    task = facts.tasks[task_id]
    title = task.title.rstrip(". ")
    if reason:
        return f"Nhiệm vụ: {title}. {reason}"
    state = LATE_LABELS[facts.stats.verdicts[task_id].timeliness]
    deadline = f", thời hạn {w.day(task.deadline)}" if task.deadline else ""
    return f"Nhiệm vụ: {title} ({state}{deadline})."


def _late_note(facts: _Facts, stats: TaskStats) -> str:
    """Why the not-on-time tasks are so: " (đang tạm dừng thực hiện)" when they all share one
    state, else the breakdown " (01 quá hạn, 01 tạm dừng)"."""
    states = [facts.stats.verdicts[t].timeliness for t in stats.items["not_on_time"]]
    if not states:
        return ""
    if len(set(states)) == 1:
        return f" ({LATE_LABELS[states[0]]})"
    counts = {s: states.count(s) for s in LATE_LABELS if s in states}
    return " (" + ", ".join(f"{w.count(n)} {LATE_LABELS[s]}" for s, n in counts.items()) + ")"


Row = tuple[str, str]  # (STAT_KEY, how the line names it)
BY_STATE: tuple[Row, ...] = (
    ("completed", "Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ"),
    ("on_time", "Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ"),
    ("not_on_time", "Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ"),
)


@dataclass(frozen=True)
class _LateLine:
    """How the not-on-time line ends: a fixed suffix (" nhiệm vụ"), the states behind it
    (`note`), and a footnote per task (`footnotes`)."""

    footnotes: bool
    suffix: str = ""
    note: bool = False

    def parts(self, facts: _Facts, stats: TaskStats) -> tuple[str, tuple[str, ...]]:
        suffix = self.suffix + (_late_note(facts, stats) if self.note else "")
        if not self.footnotes:
            return suffix, ()
        return suffix, _footnotes(facts, stats.items["not_on_time"])


def _stat_lines(
    facts: _Facts,
    key: str,
    stats: TaskStats,
    rows: Sequence[Row],
    late: _LateLine,
    **filters: object,
) -> list[Paragraph]:
    """One "+ <label>: k/n." line per row, each linked to its tasks; the not-on-time line ends
    as `late` says."""
    lines = []
    for state, label in rows:
        suffix, notes = late.parts(facts, stats) if state == "not_on_time" else ("", ())
        text = f"+ {label}: {w.ratio(stats.counts[state], stats.counts['total'])}{suffix}."
        link = facts.task_link(label, state, **filters)
        lines.append(_p(text, "subitem", key=f"{key}.{state}", links=(link,), footnotes=notes))
    return lines


def _government_group(facts: _Facts) -> list[Paragraph]:
    source = PROGRAMMES.government
    stats = facts.subset(source=source)
    total = stats.counts["total"]
    if not total:
        return []
    name = facts.source_name(source)
    rows = [
        ("completed_on_time", "Nhiệm vụ hoàn thành trong hạn"),
        ("completed_late", "Nhiệm vụ hoàn thành quá hạn"),
        ("on_time", "Nhiệm vụ đang thực hiện trong hạn"),
        ("not_on_time", "Nhiệm vụ chưa thực hiện trong hạn"),
    ]
    if not stats.counts["completed_late"]:
        del rows[1]
    head = _p(
        f"- Nhóm nhiệm vụ theo {name} giao cho địa phương ({w.count(total)} nhiệm vụ):",
        "item",
        bold=True,
        key="tasks.government.total",
        links=(facts.task_link(name, source=source),),
    )
    late = _LateLine(footnotes=True)
    lines = _stat_lines(facts, "tasks.government", stats, rows, late, source=source)
    return [head, *lines]


def _province_groups(facts: _Facts) -> list[Paragraph]:
    """The province's own tasks: all of them, then the year's."""
    source, year = PROGRAMMES.province, facts.period.ends_on.year
    everything = facts.subset(source=source)
    if not everything.counts["total"]:
        return []
    of_year = [(state, f"{label} năm {year}") for state, label in BY_STATE]
    name = facts.unit.name
    return [
        _p(
            f"- Nhóm nhiệm vụ {RESOLUTION} được cụ thể hóa của {name[:1].lower()}{name[1:]}:",
            "item",
            bold=True,
        ),
        _p("* Tổng số nhiệm vụ:", "item", italic=True),
        *_stat_lines(
            facts,
            "tasks.province",
            everything,
            BY_STATE,
            _LateLine(footnotes=False, suffix=" nhiệm vụ"),
            source=source,
        ),
        _p(f"* Nhiệm vụ năm {year}:", "item", italic=True),
        *_stat_lines(
            facts,
            "tasks.year",
            facts.subset(source=source, year=year),
            of_year,
            _LateLine(footnotes=True, note=True),
            source=source,
            year=year,
        ),
    ]


def _intro(facts: _Facts) -> list[Paragraph]:
    source, year = PROGRAMMES.province, facts.period.ends_on.year
    total = facts.subset(source=source).counts["total"]
    of_year = facts.subset(source=source, year=year).counts["total"]
    steering = facts.steering
    who = f"{steering.name} (Ban Chỉ đạo tỉnh)" if steering else "Ban Chỉ đạo tỉnh"
    government = facts.source_name(PROGRAMMES.government)
    text = (
        f"Căn cứ {RESOLUTION}, {government}, {who} đã chỉ đạo các cơ quan chuyên môn cụ thể "
        f"hóa thành {w.count(total)} nhiệm vụ cụ thể của địa phương, trong đó có "
        f"{w.count(of_year)} nhiệm vụ thực hiện trong năm {year}. Kết quả thực hiện từ đầu năm "
        "đến nay:"
    )
    links = (
        facts.task_link(_("Nhiệm vụ của tỉnh"), source=source),
        facts.task_link(_("Nhiệm vụ năm %(year)s") % {"year": year}, source=source, year=year),
    )
    return [_p(text, key="tasks.intro", links=links)]


def _year_backlog(facts: _Facts) -> list[Paragraph]:
    """ "(4) Trong năm 2025 có tổng số 82 nhiệm vụ, hiện có 44 nhiệm vụ (chiếm 54%) chưa và
    đang triển khai, trong đó có 08 nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ." """
    source, year = PROGRAMMES.province, facts.period.ends_on.year
    stats = facts.subset(source=source, year=year)
    total = stats.counts["total"]
    unfinished = total - stats.counts["completed"]
    slow = len(set(stats.items["not_on_time"]) | set(stats.items["at_risk"]))
    text = (
        f"- Trong năm {year} có tổng số {w.count(total)} nhiệm vụ, hiện có {w.count(unfinished)} "
        f"nhiệm vụ (chiếm {w.share(unfinished, total, places=0)}) chưa và đang triển khai, "
        f"trong đó có {w.count(slow)} nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ."
    )
    # The seed's wording, shares in whole percent; the link lists the year's tasks, whose
    # states (on time, not on time, at risk) the list shows beside each one.
    label = _("Nhiệm vụ năm %(year)s") % {"year": year}
    links = (facts.task_link(label, source=source, year=year),)
    return [_p(text, "item", key="tasks.year.backlog", links=links)]


def _party(facts: _Facts) -> list[Paragraph]:
    """The Party agencies' and Front's tasks: completed, recurring, under way, not started."""
    source = PROGRAMMES.party
    stats = facts.subset(source=source)
    counts, total = stats.counts, stats.counts["total"]
    if not total:
        return []
    start, end = w.next_span(facts.period)
    ahead = w.span_label(start, end)
    parts = [
        ("completed", "nhiệm vụ đã hoàn thành"),
        ("recurring", "nhiệm vụ thực hiện thường xuyên"),
        ("in_progress", "nhiệm vụ đang thực hiện theo tiến độ"),
        ("not_started", f"nhiệm vụ chưa triển khai, dự kiến thực hiện trong {ahead}"),
        ("not_on_time", "nhiệm vụ chưa thực hiện trong hạn"),
    ]
    shown = [(state, label) for state, label in parts if counts[state] or state == "completed"]
    text = "- Chuyển đổi số trong các cơ quan Đảng và Mặt trận Tổ quốc: " + "; ".join(
        f"{w.ratio(counts[state], total)} {label}" for state, label in shown
    )
    links = tuple(facts.task_link(label, state, source=source) for state, label in shown)
    return [_p(text + ".", "item", key="tasks.party", links=links)]


# --- communes ----------------------------------------------------------------------------------


@dataclass
class _Completion:
    """A commune programme's progress: the communes given it, those that have not completed
    all its tasks, and its tasks."""

    units: set[int] = field(default_factory=set)
    undone: set[int] = field(default_factory=set)
    tasks: set[int] = field(default_factory=set)


def _commune_completion(facts: _Facts) -> dict[str, _Completion]:
    """Each commune programme's completion from its assignments' verdicts as of the date: the
    rows the (province's, subtree) task statistics are grouped from; a removed assignment counts
    for nobody."""
    codes = {p.source for p in PROGRAMMES.communes}
    done: dict[str, _Completion] = defaultdict(_Completion)
    for row in facts.rows:
        if row.verdict is None or (source := facts.tasks[row.task_id].source.code) not in codes:
            continue
        entry = done[source]
        entry.units.add(row.unit_id)
        entry.tasks.add(row.task_id)
        if row.verdict.timeliness not in COMPLETED:
            entry.undone.add(row.unit_id)
    return done


def _commune_link(facts: _Facts, source: str, tasks: set[int]) -> Link:
    """Where the communes behind the figure are: a one-task programme's page lists each
    commune's state; a larger programme's task list shows "k/n communes" on each task."""
    if len(tasks) == 1:
        return facts.detail_link(facts.tasks[next(iter(tasks))])
    return facts.task_link(facts.source_name(source), source=source)


def _communes(facts: _Facts) -> list[Paragraph]:
    """ "130/130 xã, phường hoàn thành 16/16 nhiệm vụ (đạt 100%)" for each commune programme."""
    done = _commune_completion(facts)
    paragraphs = []
    for programme in PROGRAMMES.communes:
        if programme.source not in done:
            continue
        entry = done[programme.source]
        complete, assigned = len(entry.units - entry.undone), len(entry.units)
        what = programme.done.format(tasks=w.count(len(entry.tasks)))
        name = facts.source_name(programme.source)
        text = (
            f"- {name}: {w.ratio(complete, assigned)} xã, phường {what} "
            f"(đạt {w.share(complete, assigned)})."
        )
        link = _commune_link(facts, programme.source, entry.tasks)
        paragraphs.append(_p(text, "item", key=f"communes.{programme.source}", links=(link,)))
    return paragraphs


# --- indicators -----------------------------------------------------------------------------


def _achievement(facts: _Facts) -> list[Paragraph]:
    long_met, long_size = facts.overview.achievement["2025-2045"]
    year_met, year_size = facts.overview.achievement["2025"]
    year = facts.period.ends_on.year
    text = (
        f"- Tính đến hết {facts.label}, đã đạt và vượt {w.ratio(long_met, long_size)} chỉ tiêu "
        f"giai đoạn 2025–2045 ({w.share(long_met, long_size, places=0)}); đạt và vượt "
        f"{w.ratio(year_met, year_size)} chỉ tiêu năm {year} "
        f"({w.share(year_met, year_size, places=0)})."
    )
    query = urlencode({"period": facts.period.code, "unit": facts.unit.code})
    link = Link(_("Chỉ tiêu"), f"{cached_reverse('indicators:list')}?{query}")
    return [_p(text, "item", key="indicators.achievement", links=(link,))]


def _indicator_text(facts: _Facts, result: IndicatorResult, value: Decimal) -> str:
    """ "Tỷ lệ …: 181.580/207.954 đảng viên (đạt 87,3%); mục tiêu: 85%, đã đạt." (`value`: the
    result's, only results with one are written)."""
    label = result.indicator.unit_label.replace("_", " ")
    if result.has_ratio and result.numerator is not None and result.denominator is not None:
        counted = facts.quantity_labels.get(result.code, "")
        figure = f"{w.decimal(result.numerator)}/{w.decimal(result.denominator)}"
        figure += f" {counted}" if counted else ""
        figure += f" (đạt {w.percent(value)})"
    else:
        figure = _quantity(value, label)
    text = f"{result.indicator.name}: {figure}"
    if result.target is not None:
        verdict = "đã đạt" if result.achieved == "met" else "chưa đạt"
        text += f"; mục tiêu: {_quantity(result.target, label)}, {verdict}"
    return text + "."


def _quantity(value: Decimal, label: str) -> str:
    if label == "%":
        return f"{w.decimal(value)}%"
    return f"{w.decimal(value)} {label}".strip()


def _indicator_lines(facts: _Facts, results: Iterable[IndicatorResult]) -> list[Paragraph]:
    return [
        _p(
            "- " + _indicator_text(facts, r, r.value),
            "item",
            key=f"indicator.{r.code}",
            links=(facts.indicator_link(r),),
        )
        for r in results
        if r.value is not None
    ]


# --- compiled texts -------------------------------------------------------------------------


@dataclass
class _Said:
    """One text, as one or more units wrote it; `rank` orders the groups (texts without an area
    first, then by area)."""

    text: str
    rank: int
    units: dict[int, Unit] = field(default_factory=dict)  # by id, in the order they said it


def _compiled(sections: Sequence[Section], rank: Callable[[Section], int]) -> list[_Said]:
    """Identical texts (ignoring case, accents and spacing) merged; by rank, then most often
    said first."""
    said: dict[str, _Said] = {}
    for section in sections:
        place = rank(section)
        entry = said.setdefault(fold(section.text), _Said(section.text.strip(), place))
        entry.rank = min(entry.rank, place)
        unit = section.report.unit
        entry.units.setdefault(unit.pk, unit)
    return sorted(said.values(), key=lambda s: (s.rank, -len(s.units)))


# Above this many units, a footnote counts them instead of naming them (the links name them).
NAMED_UNITS = 5


def _said_by(units: Sequence[Unit]) -> str:
    """ "Theo báo cáo của: A; B." or, for many, "Theo báo cáo của 111 xã, phường và 12 cơ quan,
    đơn vị (danh sách tại Phụ lục 2)."."""
    if len(units) <= NAMED_UNITS:
        return f"Theo báo cáo của: {w.joined(u.name for u in units)}."
    communes = sum(1 for u in units if u.unit_type in (UnitType.COMMUNE, UnitType.WARD))
    parts = [f"{w.count(communes)} xã, phường"] if communes else []
    if len(units) > communes:
        parts.append(f"{w.count(len(units) - communes)} cơ quan, đơn vị")
    return f"Theo báo cáo của {' và '.join(parts)} (danh sách tại Phụ lục 2)."


def _said_lines(
    facts: _Facts, key: str, sections: Sequence[Section], numbered: bool = False
) -> list[Paragraph]:
    lines = []
    for n, said in enumerate(_compiled(sections, facts.area_rank), start=1):
        units = list(said.units.values())
        links = tuple(facts.report_link(u) for u in units)
        lead = f"{n}. " if numbered else "- "
        style: Style = "body" if numbered else "item"
        lines.append(
            _p(
                lead + said.text,
                style,
                key=f"{key}.{n}",
                links=links,
                footnotes=(_said_by(units),),
            )
        )
    return lines


def _sections_of(facts: _Facts, kind: str, area: Area | None) -> list[Section]:
    area_id = area.pk if area else None
    return [s for s in facts.sections if s.kind == kind and s.area_id == area_id]


# --- the quarterly report ------------------------------------------------------------------


def _quarterly(facts: _Facts) -> list[Paragraph]:
    # The first area (directing and steering) is part 1's own; the others are parts 2, 3, …
    first, others = facts.areas[:1], facts.areas[1:]
    body = [
        _p(f"I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT {_upto(facts)}", "heading1"),
        _p("1. Về công tác chỉ đạo, điều hành", "heading2"),
        _p("a) Thống kê số nhiệm vụ", "heading3"),
        *_intro(facts),
        *_government_group(facts),
        *_province_groups(facts),
        _p("Nhận xét, đánh giá chung:", bold=True, italic=True),
        _p("- Kết quả đạt được:", italic=True),
        *_communes(facts),
        *_achievement(facts),
        *_party(facts),
        _p("- Hạn chế, khó khăn:", italic=True),
        *_year_backlog(facts),
        _p("b) Hoạt động chỉ đạo, điều hành của Ban Chỉ đạo tỉnh", "heading3"),
        *_directives(facts),
    ]
    for area in first:
        body += _area_block(facts, area)
    for number, area in enumerate(others, start=2):
        body.append(_p(f"{number}. {area.name}", "heading2"))
        body += _area_block(facts, area)
    return body + _problems(facts) + _next_steps(facts) + _proposals(facts)


def _upto(facts: _Facts) -> str:
    """ "QUÝ III NĂM 2025", "THÁNG 9 NĂM 2025", "6 THÁNG ĐẦU NĂM 2025", "NĂM 2025"; a period of
    other dates (a quick report) ends on a day: "NGÀY 15/10/2025"."""
    if facts.label.startswith("từ "):
        return f"NGÀY {w.day(facts.period.ends_on)}"
    return facts.label.replace("/", " năm ").upper()


def _directives(facts: _Facts) -> list[Paragraph]:
    """Documents the Steering Committee (and its office) issued in the period and in all."""
    steering = facts.steering
    if steering is None:
        return []
    start, end = facts.period.starts_on, facts.end
    in_period, cumulative = directive_counts(unit=steering, start=start, end=end)
    text = (
        f"Trong {facts.label}, tổng số văn bản lãnh đạo, chỉ đạo, "
        f"điều hành được Ban Chỉ đạo tỉnh ban hành là {w.count(in_period)} văn bản; lũy kế toàn "
        f"thời gian là {w.count(cumulative)} văn bản."
    )
    links = (
        Link(_("Văn bản trong kỳ"), list_url(unit=steering, start=start, end=end)),
        Link(_("Lũy kế"), list_url(unit=steering, start=None, end=end)),
    )
    return [_p(text, key="directives.counts", links=links)]


def _completed_lines(facts: _Facts, key: str, ids: Sequence[int]) -> list[Paragraph]:
    """ "Đã hoàn thành 03 nhiệm vụ trong quý:" and the tasks, each as an item linked to its page.
    The task list has no "completed within a span" filter, so the count itself links nowhere."""
    if not ids:
        return []
    span = SPAN_NOUNS.get(facts.period.kind, "kỳ")
    head = _p(f"Đã hoàn thành {w.count(len(ids))} nhiệm vụ trong {span}:", key=key)
    return [head, *(_task_item(facts, key, facts.tasks[t]) for t in ids)]


def _task_item(facts: _Facts, key: str, task: Task, text: str = "") -> Paragraph:
    """ "- <title>." (or `text`), linked to the task's page as of the report's date."""
    text = text or f"- {task.title.rstrip('. ')}."
    return _p(text, "item", key=f"{key}.{task.code}", links=(facts.detail_link(task),))


def _area_block(facts: _Facts, area: Area) -> list[Paragraph]:
    completed = [t for t in facts.completed_in_period if facts.tasks[t].area_id == area.pk]
    block = _completed_lines(facts, f"area.{area.code}.completed", completed)
    block += _indicator_lines(
        facts, (r for r in facts.indicators if r.indicator.area_id == area.pk)
    )
    return block


def _problems(facts: _Facts) -> list[Paragraph]:
    """Every difficulty the received reports raised, once each (part 1's areas do not repeat
    them): those without an area first, then by area."""
    heading = _p("II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN", "heading1")
    sections = [s for s in facts.sections if s.kind == SectionKind.DIFFICULTIES]
    return [heading, *_said_lines(facts, "problems", sections, numbered=True)]


# How many of the tasks due next the report names; the annex lists them all.
NEXT_SHOWN = 10


def _due_next(facts: _Facts) -> list[Task]:
    """The tasks under way (on time or overdue, not paused nor proposed for removal) whose
    deadline falls in the next span, the most urgent first: overdue, then at risk, then by
    deadline."""
    start, end = w.next_span(facts.period)
    under_way = set(facts.stats.items["on_time"]) | set(facts.stats.items["overdue"])
    due = [
        facts.tasks[t]
        for t in under_way
        if (deadline := facts.tasks[t].deadline) is not None and start <= deadline <= end
    ]
    return sorted(due, key=lambda task: _urgency(facts, task))


def _urgency(facts: _Facts, task: Task) -> tuple[bool, bool, date, int, str]:
    verdict = facts.stats.verdicts[task.pk]
    overdue = verdict.timeliness == Timeliness.OVERDUE
    return not overdue, not verdict.at_risk, task.deadline or date.max, task.area.order, task.code


def _next_steps(facts: _Facts) -> list[Paragraph]:
    """The count of the tasks due next and the most urgent ones; the rest are in annex 1."""
    body = [_p("III- NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM CẦN TẬP TRUNG THỰC HIỆN", "heading1")]
    due = _due_next(facts)
    if not due:
        return body
    start, end = w.next_span(facts.period)
    text = (
        f"Các cơ quan, đơn vị tập trung hoàn thành {w.count(len(due))} nhiệm vụ đang triển khai "
        f"có thời hạn trong {w.span_label(start, end)}"
    )
    if len(due) > NEXT_SHOWN:
        text += (
            f", trong đó {w.count(NEXT_SHOWN)} nhiệm vụ cần ưu tiên dưới đây (danh sách đầy đủ "
            "tại Phụ lục 1)"
        )
    body.append(_p(text + ":", key="next.due"))
    for n, task in enumerate(due[:NEXT_SHOWN], start=1):
        text = (
            f"{n}. {task.title.rstrip('. ')} (chủ trì: {task.lead_unit.name}; thời hạn "
            f"{w.day(task.deadline or end)})."
        )
        body.append(_task_item(facts, "next", task, text))
    return body


def _proposals(facts: _Facts) -> list[Paragraph]:
    body = [_p("IV- ĐỀ XUẤT, KIẾN NGHỊ", "heading1")]
    groups: list[tuple[str, str, list[Section]]] = [
        (area.code, area.name, _sections_of(facts, SectionKind.PROPOSALS, area))
        for area in facts.areas
    ]
    groups.append(("other", "Khác", _sections_of(facts, SectionKind.PROPOSALS, None)))
    for code, name, sections in groups:
        if sections:
            body.append(_p(f"- {name}:", "item", bold=True))
            body += _said_lines(facts, f"proposals.{code}", sections)
    return body


# --- the monthly brief -----------------------------------------------------------------------


def _monthly(facts: _Facts) -> list[Paragraph]:
    return [
        _p(f"I- TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐẾN HẾT {_upto(facts)}", "heading1"),
        *_province_groups(facts),
        *_completed_lines(facts, "tasks.completed_in_period", facts.completed_in_period),
        *_became_late(facts),
        _p("II- TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", "heading1"),
        *_reports_received(facts),
        *(
            [_p("III- CHỈ TIÊU", "heading1"), *_indicator_lines(facts, facts.indicators)]
            if any(r.value is not None for r in facts.indicators)
            else []
        ),
    ]


def _became_late(facts: _Facts) -> list[Paragraph]:
    """Tasks not on time at the date that were on time or not yet given before the period."""
    now = facts.stats.items["not_on_time"]
    before = set(facts.before(now).items["not_on_time"])
    late = [t for t in now if t not in before]
    text = f"Trong {facts.label} không có nhiệm vụ chuyển sang chưa thực hiện trong hạn."
    if late:
        text = (
            f"Trong {facts.label} có {w.count(len(late))} nhiệm vụ chuyển sang chưa thực hiện "
            "trong hạn."
        )
    # No list holds "became late within the period": each such task links to its own page.
    links = tuple(facts.detail_link(facts.tasks[t]) for t in late)
    return [_p(text, key="tasks.became_late", links=links, footnotes=_footnotes(facts, late))]


def _reports_received(facts: _Facts) -> list[Paragraph]:
    """Received / required, and which units were late or have not sent theirs (current state:
    reports about a period arrive after it ends)."""
    rows = [r for r in board(facts.period) if r.unit.path.startswith(facts.unit.path)]
    received = [r for r in rows if r.state == ReportState.RECEIVED]
    board_link = Link(
        _("Bảng theo dõi báo cáo"), reverse("reporting:board", args=[facts.period.code])
    )
    text = f"Đã tiếp nhận {w.ratio(len(received), len(rows))} báo cáo {facts.label}."
    return [
        _p(text, key="reports.received", links=(board_link,)),
        *_units_line(
            "reports.late", "Nộp muộn", board_link,
            [r.unit.name for r in rows if r.is_late and r.first_submitted_at is not None],
        ),
        *_units_line(
            "reports.missing", "Chưa được tiếp nhận", board_link,
            [r.unit.name for r in rows if r.state != ReportState.RECEIVED],
        ),
    ]  # fmt: skip


def _units_line(key: str, label: str, link: Link, names: Sequence[str]) -> list[Paragraph]:
    """ "- Nộp muộn (03): A; B; C." — nothing when no unit is named."""
    if not names:
        return []
    text = f"- {label} ({w.count(len(names))}): {w.joined(names)}."
    return [_p(text, "item", key=key, links=(link,))]


# --- a unit's own report --------------------------------------------------------------------


def _unit_report(facts: _Facts) -> list[Paragraph]:
    stats = facts.stats
    body = [
        _p(f"I- KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐẾN HẾT {_upto(facts)}", "heading1"),
        _p(
            f"{facts.unit.name} được giao {w.count(stats.counts['total'])} nhiệm vụ:",
            key="unit.tasks.total",
            links=(facts.task_link(_("Nhiệm vụ của đơn vị")),),
        ),
        *_stat_lines(facts, "unit.tasks", stats, BY_STATE, _LateLine(footnotes=True, note=True)),
        *_completed_lines(facts, "unit.tasks.completed_in_period", facts.completed_in_period),
    ]
    values = _indicator_lines(facts, facts.indicators)
    if values:
        body += [_p("II- CHỈ TIÊU", "heading1"), *values]
    return body + _own_report(facts)


def _own_report(facts: _Facts) -> list[Paragraph]:
    report = UnitReport.objects.filter(unit=facts.unit, period=facts.period).first()
    heading = _p(f"III- BÁO CÁO {facts.label.upper()} CỦA ĐƠN VỊ", "heading1")
    if report is None:
        return [heading, _p("Đơn vị chưa lập báo cáo kỳ này.", key="unit.report.state")]
    state = str(ReportState(report.state).label)
    link = Link(state, report_url(facts.period.code, facts.unit.code))
    text = f"Trạng thái báo cáo: {state}."
    body = [heading, _p(text, key="unit.report.state", links=(link,))]
    sections = list(report.sections.all())  # read once for the three kinds
    for kind in (SectionKind.RESULTS, SectionKind.DIFFICULTIES, SectionKind.PROPOSALS):
        body += _own_sections(kind, [s for s in sections if s.kind == kind], link)
    return body


def _own_sections(kind: str, sections: Sequence[Section], link: Link) -> list[Paragraph]:
    """ "Khó khăn, vướng mắc:" and the unit's texts of that kind, each an item."""
    if not sections:
        return []
    items = [
        _p(f"- {s.text.strip()}", "item", key=f"unit.report.{kind}.{n}", links=(link,))
        for n, s in enumerate(sections, start=1)
    ]
    return [_p(f"{SectionKind(kind).label}:", italic=True), *items]
