"""Blocks of the year-end report: the year against its targets (which were met, which not, each
beside the previous year's figure), the year's tasks against the previous year's, and next
year's direction from the programme (next year's tasks and this year's unfinished ones)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts, figures_as_of
from documents.composer.indicator_statements import (
    figures_of,
    indicator_text,
    no_figures,
    quantity,
)
from documents.composer.links import indicator_list_url
from documents.composer.paragraphs import paragraph
from documents.composer.programmes import PROGRAMMES
from documents.content import Link, Paragraph
from documents.wording import count, day, ratio, share
from indicators.models import IndicatorSet
from indicators.queries import IndicatorResult, indicator_overview, set_members
from periods.models import Period, PeriodKind
from tasks import history
from tasks.models import Task
from tasks.queries import TaskStats
from tasks.timeliness import COMPLETED, Status

# How many indicators (met, not met) and next year's tasks the text names; the annexes list all.
NAMED = 10


@dataclass
class YearFigures:
    """The year's indicators with targets and the previous year's figures to compare with."""

    facts: ReportFacts

    @property
    def year(self) -> int:
        return self.facts.period.ends_on.year

    @cached_property
    def targeted(self) -> list[IndicatorResult]:
        """The indicators with a target this year: the members of the year's own set (a set of
        that year alone; its members as of the figures' date) when there is one, else every
        indicator with a target."""
        own = IndicatorSet.objects.filter(first_year=self.year, last_year=self.year).first()
        results = [r for r in self.facts.indicators if r.target is not None]
        if own is None:
            return results
        members = set_members([own.code], self.facts.figures_as_of)[own.code]
        return [r for r in results if r.indicator.pk in members]

    @cached_property
    def previous(self) -> dict[str, Decimal]:
        """Last year's figure of each indicator: its latest quarter with figures, as stored at
        the end of that year (or now, while that day is still to come)."""
        quarter = (
            Period.objects.filter(
                kind=PeriodKind.QUARTER,
                ends_on__year=self.year - 1,
                data_values__isnull=False,
            )
            .order_by("-ends_on")
            .first()
        )
        if quarter is None:
            return {}
        end = date(self.year - 1, 12, 31)
        as_of = figures_as_of(quarter, end) if end < timezone.localdate() else None
        unit, subtree = self.facts.unit, not self.facts.own_only
        overview = indicator_overview(quarter, unit, subtree=subtree, as_of=as_of)
        return {r.code: r.value for r in overview.values if r.value is not None}


def _compared(figures: YearFigures, result: IndicatorResult) -> str:
    """ "… (năm 2025: 80%)" when last year's figure is known."""
    before = figures.previous.get(result.code)
    if before is None:
        return ""
    label = result.indicator.unit_label
    return f" (năm {figures.year - 1}: {quantity(before, label)})"


def targets(facts: ReportFacts) -> list[Paragraph]:
    """ "Đạt và vượt 29/45 chỉ tiêu năm 2025 (64%); 14 chỉ tiêu chưa đạt; 02 chỉ tiêu chưa có
    số liệu." and the indicators met and not met, each against last year."""
    figures = YearFigures(facts)
    results = figures.targeted
    if facts.indicator_period is None:
        return [no_figures(facts)]
    if not results:
        return [paragraph(f"Chưa có chỉ tiêu có mục tiêu năm {figures.year}.")]
    met = [r for r in results if r.achieved == "met"]
    not_met = [r for r in results if r.achieved == "not_met"]
    missing = len(results) - len(met) - len(not_met)
    text = (
        f"Năm {figures.year}, đạt và vượt {ratio(len(met), len(results))} chỉ tiêu có mục tiêu "
        f"của năm ({share(len(met), len(results), places=0)}); {count(len(not_met))} chỉ tiêu "
        f"chưa đạt; {count(missing)} chỉ tiêu chưa có số liệu."
    )
    period = facts.indicator_period or facts.period
    link = Link(_("Chỉ tiêu"), indicator_list_url(period, facts.unit, facts.figures_as_of))
    head = paragraph(
        text, key="year.targets", links=(link,), indicators={r.code for r in results},
        figures={"met": count(len(met)), "total": count(len(results)),
                 "not_met": count(len(not_met)), "no_data": count(missing)},
    )  # fmt: skip
    return [
        head,
        *_listed(facts, figures, "year.targets.met", "Các chỉ tiêu đã đạt:", met),
        *_listed(facts, figures, "year.targets.not_met", "Các chỉ tiêu chưa đạt:", not_met),
    ]


def _listed(
    facts: ReportFacts, figures: YearFigures, key: str, label: str, results: list[IndicatorResult]
) -> list[Paragraph]:
    if not results:
        return []
    lines = [paragraph(label, "item", italic=True)]
    for result in results[:NAMED]:
        assert result.value is not None
        text = f"+ {indicator_text(facts, result, result.value).rstrip('.')}"
        lines.append(
            paragraph(
                text + _compared(figures, result) + ".",
                "subitem",
                key=f"{key}.{result.code}",
                links=(facts.indicator_link(result),),
                figures=figures_of(result, result.value),
                indicators=(result.code,),
            )
        )
    if len(results) > NAMED:
        rest = len(results) - NAMED
        lines.append(
            paragraph(f"+ Và {count(rest)} chỉ tiêu khác (danh sách tại Phụ lục 3).", "subitem")
        )
    return lines


def _year_share(
    stats: TaskStats, tasks: dict[int, Task], year: int, sources: tuple[str, ...]
) -> tuple[int, int]:
    """(completed, total) of the year's tasks of the province's group in `stats`."""
    ids = [
        t
        for t in stats.items["total"]
        if t in tasks and tasks[t].year == year and tasks[t].source.code in sources
    ]
    done = [t for t in ids if stats.verdicts[t].timeliness in COMPLETED]
    return len(done), len(ids)


def year_tasks(facts: ReportFacts) -> list[Paragraph]:
    """ "Năm 2026 hoàn thành 18/20 nhiệm vụ của năm (90%); năm 2025: 82/82 (100%)." from the
    task statistics at the report's date and at the end of the previous year."""
    year = facts.period.ends_on.year
    group = facts.programme(PROGRAMMES.province)
    done, total = _year_share(facts.stats, facts.tasks, year, group.sources)
    text = (
        f"Năm {year} hoàn thành {ratio(done, total)} nhiệm vụ của năm "
        f"({share(done, total, places=0)})"
    )
    before_done, before_total = _year_share(
        facts.stats_on(date(year - 1, 12, 31)), facts.tasks, year - 1, group.sources
    )
    if before_total:
        text += (
            f"; năm {year - 1} hoàn thành {ratio(before_done, before_total)} nhiệm vụ của năm "
            f"({share(before_done, before_total, places=0)})"
        )
    label = _("Nhiệm vụ năm %(year)s") % {"year": year}
    links = (facts.task_link(label, "completed", source=facts.programme_filter(group), year=year),)
    figures = {
        "completed": count(done),
        "total": count(total),
        "previous_completed": count(before_done),
        "previous_total": count(before_total),
    }
    return [paragraph(text + ".", key="year.tasks", links=links, figures=figures)]


def next_year(facts: ReportFacts) -> list[Paragraph]:
    """Next year's direction from the programme: next year's tasks and this year's unfinished
    ones carried over, by area, the earliest due named."""
    year = facts.period.ends_on.year
    scope = Task.objects.filter(assignments__unit__path__startswith=facts.unit.path)
    # Next year's tasks as they were on the report's date: those of that year then, including
    # any whose year was changed since (tasks.history).
    candidates = (
        scope.filter(Q(year=year + 1) | Q(revised_on__gt=facts.as_of))
        .exclude(assignments__latest_status=Status.REMOVED)
        .distinct()
        .select_related("area", "lead_unit")
        .order_by("deadline", "code")
    )
    then = history.as_they_were(candidates, facts.as_of)
    coming = sorted(
        (t for t in then if t.year == year + 1), key=lambda t: (t.deadline or date.max, t.code)
    )
    unfinished = [
        facts.tasks[t]
        for t in facts.stats.items["total"]
        if facts.stats.verdicts[t].timeliness not in COMPLETED
        and facts.tasks[t].year <= year
        and facts.tasks[t].deadline is not None
    ]
    total = len(coming) + len(unfinished)
    text = (
        f"Năm {year + 1}, các cơ quan, đơn vị tập trung thực hiện {count(total)} nhiệm vụ: "
        f"{count(len(coming))} nhiệm vụ của năm {year + 1} và {count(len(unfinished))} nhiệm vụ "
        f"chưa hoàn thành của năm {year} trở về trước chuyển sang"
    )
    text += ":" if total else "."
    label = _("Nhiệm vụ năm %(year)s") % {"year": year + 1}
    links = (facts.task_link(label, year=year + 1),)
    head = paragraph(
        text, key="next_year.tasks", links=links,
        figures={"total": count(total), "new": count(len(coming)),
                 "carried": count(len(unfinished))},
        tasks={t.code for t in coming} | {t.code for t in unfinished},
    )  # fmt: skip
    return [head, *_by_area(facts, coming + unfinished)]


def _by_area(facts: ReportFacts, tasks: list[Task]) -> list[Paragraph]:
    """ "- Hạ tầng công nghệ, kỹ thuật: 05 nhiệm vụ, trong đó: …" per area, the earliest due
    named (up to NAMED in all; the task list holds every one)."""
    lines: list[Paragraph] = []
    named = 0
    for area in facts.areas:
        mine = sorted(
            (t for t in tasks if t.area_id == area.pk),
            key=lambda t: (t.deadline or date.max, t.code),
        )
        if not mine:
            continue
        lines.append(paragraph(f"- {area.name}: {count(len(mine))} nhiệm vụ.", "item"))
        for task in mine[: max(0, min(2, NAMED - named))]:
            due = (
                f" (chủ trì: {task.lead_unit.name}; thời hạn {day(task.deadline)})"
                if (task.deadline)
                else f" (chủ trì: {task.lead_unit.name})"
            )
            lines.append(
                paragraph(
                    f"+ {task.title.rstrip('. ')}{due}.",
                    "subitem",
                    key=f"next_year.{task.code}",
                    links=(facts.detail_link(task),),
                    tasks=(task.code,),
                )
            )
            named += 1
    return lines
