"""The statements about tasks: "k/n" lines by state for each programme group, with a footnote
per task not on time, and the tasks completed within the period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.programmes import PROGRAMMES, RESOLUTION
from documents.content import Paragraph
from documents.wording import count, day, next_span, ratio, share, span_label
from periods.models import PeriodKind
from tasks import history
from tasks.models import Task
from tasks.queries import TaskStats, task_stats
from tasks.timeliness import Timeliness

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
    PeriodKind.HALF: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.YEAR: "năm",
}


def footnotes(facts: ReportFacts, task_ids: Sequence[int]) -> tuple[str, ...]:
    """One footnote per not-on-time task, their reasons read in one query."""
    reasons = facts.reasons(task_ids)
    return tuple(_footnote(facts, t, reasons.get(t)) for t in task_ids)


def _footnote(facts: ReportFacts, task_id: int, reason: str | None) -> str:
    """ "Nhiệm vụ: <title>. <reason>" — the reason its assignee gave, else its state."""
    task = facts.tasks[task_id]
    title = task.title.rstrip(". ")
    if reason:
        return f"Nhiệm vụ: {title}. {reason}"
    state = LATE_LABELS[facts.stats.verdicts[task_id].timeliness]
    deadline = f", thời hạn {day(task.deadline)}" if task.deadline else ""
    return f"Nhiệm vụ: {title} ({state}{deadline})."


def reason_text(reason: str | None) -> str:
    """A reason as it reads inside parentheses: without its final full stop."""
    return reason.strip().rstrip(".").strip() if reason else ""


def _late_note(facts: ReportFacts, stats: TaskStats) -> str:
    """Why the not-on-time tasks are so: " (đang tạm dừng thực hiện)" when they all share one
    state, else the breakdown " (01 quá hạn, 01 tạm dừng)"."""
    states = [facts.stats.verdicts[t].timeliness for t in stats.items["not_on_time"]]
    if not states:
        return ""
    if len(set(states)) == 1:
        return f" ({LATE_LABELS[states[0]]})"
    counts = {s: states.count(s) for s in LATE_LABELS if s in states}
    return " (" + ", ".join(f"{count(n)} {LATE_LABELS[s]}" for s, n in counts.items()) + ")"


StateRow = tuple[str, str]  # (a TaskStats key, how the line names it)
BY_STATE: tuple[StateRow, ...] = (
    ("completed", "Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ"),
    ("on_time", "Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ"),
    ("not_on_time", "Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ"),
)


@dataclass(frozen=True)
class LateLine:
    """How the not-on-time line ends: a fixed suffix (" nhiệm vụ"), the states behind it
    (`note`), and a footnote per task (`footnotes`)."""

    footnotes: bool
    suffix: str = ""
    note: bool = False

    def parts(self, facts: ReportFacts, stats: TaskStats) -> tuple[str, tuple[str, ...]]:
        suffix = self.suffix + (_late_note(facts, stats) if self.note else "")
        if not self.footnotes:
            return suffix, ()
        return suffix, footnotes(facts, stats.items["not_on_time"])


def stat_lines(
    facts: ReportFacts,
    key: str,
    stats: TaskStats,
    rows: Sequence[StateRow],
    late: LateLine,
    *,
    source: str | None = None,
    year: int | None = None,
) -> list[Paragraph]:
    """One "+ <label>: k/n." line per row, each linked to its tasks; the not-on-time line ends
    as `late` says."""
    lines = []
    tasks = facts.codes(stats.items["total"])
    for state, label in rows:
        suffix, notes = late.parts(facts, stats) if state == "not_on_time" else ("", ())
        part, total = stats.counts[state], stats.counts["total"]
        text = f"+ {label}: {ratio(part, total)}{suffix}."
        link = facts.task_link(label, state, source=source, year=year)
        figures = {"count": count(part), "total": count(total), "share": share(part, total)}
        lines.append(
            paragraph(
                text,
                "subitem",
                key=f"{key}.{state}",
                links=(link,),
                footnotes=notes,
                figures=figures,
                tasks=tasks,
            )
        )
    return lines


def government_group(facts: ReportFacts) -> list[Paragraph]:
    group = facts.programme(PROGRAMMES.government)
    stats, where = facts.subset(group), facts.programme_filter(group)
    total = stats.counts["total"]
    if not total:
        return []
    name = facts.programme_name(group)
    rows = [
        ("completed_on_time", "Nhiệm vụ hoàn thành trong hạn"),
        ("completed_late", "Nhiệm vụ hoàn thành quá hạn"),
        ("on_time", "Nhiệm vụ đang thực hiện trong hạn"),
        ("not_on_time", "Nhiệm vụ chưa thực hiện trong hạn"),
    ]
    if not stats.counts["completed_late"]:
        del rows[1]
    head = paragraph(
        f"- Nhóm nhiệm vụ theo {name} giao cho địa phương ({count(total)} nhiệm vụ):",
        "item",
        bold=True,
        key="tasks.government.total",
        links=(facts.task_link(name, source=where),),
        figures={"total": count(total)},
        tasks=facts.codes(stats.items["total"]),
    )
    late = LateLine(footnotes=True)
    lines = stat_lines(facts, "tasks.government", stats, rows, late, source=where)
    return [head, *lines]


def province_groups(facts: ReportFacts) -> list[Paragraph]:
    """The province's own tasks: all of them, then the year's."""
    group, year = facts.programme(PROGRAMMES.province), facts.period.ends_on.year
    everything, where = facts.subset(group), facts.programme_filter(group)
    if not everything.counts["total"]:
        return []
    of_year = [(state, f"{label} năm {year}") for state, label in BY_STATE]
    name = facts.unit.name
    return [
        paragraph(
            f"- Nhóm nhiệm vụ {RESOLUTION} được cụ thể hóa của {name[:1].lower()}{name[1:]}:",
            "item",
            bold=True,
        ),
        paragraph("* Tổng số nhiệm vụ:", "item", italic=True),
        *stat_lines(
            facts,
            "tasks.province",
            everything,
            BY_STATE,
            LateLine(footnotes=False, suffix=" nhiệm vụ"),
            source=where,
        ),
        paragraph(f"* Nhiệm vụ năm {year}:", "item", italic=True),
        *stat_lines(
            facts,
            "tasks.year",
            facts.subset(group, year=year),
            of_year,
            LateLine(footnotes=True, note=True),
            source=where,
            year=year,
        ),
    ]


def intro(facts: ReportFacts) -> list[Paragraph]:
    group, year = facts.programme(PROGRAMMES.province), facts.period.ends_on.year
    where = facts.programme_filter(group)
    everything = facts.subset(group)
    total = everything.counts["total"]
    of_year = facts.subset(group, year=year).counts["total"]
    steering = facts.steering
    who = f"{steering.name} (Ban Chỉ đạo tỉnh)" if steering else "Ban Chỉ đạo tỉnh"
    government = facts.programme_name(facts.programme(PROGRAMMES.government))
    text = (
        f"Căn cứ {RESOLUTION}, {government}, {who} đã chỉ đạo các cơ quan chuyên môn cụ thể "
        f"hóa thành {count(total)} nhiệm vụ cụ thể của địa phương, trong đó có "
        f"{count(of_year)} nhiệm vụ thực hiện trong năm {year}. Kết quả thực hiện từ đầu năm "
        "đến nay:"
    )
    links = (
        facts.task_link(_("Nhiệm vụ của tỉnh"), source=where),
        facts.task_link(_("Nhiệm vụ năm %(year)s") % {"year": year}, source=where, year=year),
    )
    figures = {"total": count(total), "year_total": count(of_year)}
    tasks = facts.codes(everything.items["total"])
    return [paragraph(text, key="tasks.intro", links=links, figures=figures, tasks=tasks)]


def year_backlog(facts: ReportFacts) -> list[Paragraph]:
    """ "(4) Trong năm 2025 có tổng số 82 nhiệm vụ, hiện có 44 nhiệm vụ (chiếm 54%) chưa và
    đang triển khai, trong đó có 08 nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ." """
    group, year = facts.programme(PROGRAMMES.province), facts.period.ends_on.year
    stats = facts.subset(group, year=year)
    total = stats.counts["total"]
    unfinished = total - stats.counts["completed"]
    slow = len(set(stats.items["not_on_time"]) | set(stats.items["at_risk"]))
    text = (
        f"- Trong năm {year} có tổng số {count(total)} nhiệm vụ, hiện có {count(unfinished)} "
        f"nhiệm vụ (chiếm {share(unfinished, total, places=0)}) chưa và đang triển khai, "
        f"trong đó có {count(slow)} nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ."
    )
    # The seed's wording, shares in whole percent; the link lists the year's tasks, whose
    # states (on time, not on time, at risk) the list shows beside each one.
    label = _("Nhiệm vụ năm %(year)s") % {"year": year}
    links = (facts.task_link(label, source=facts.programme_filter(group), year=year),)
    figures = {
        "total": count(total),
        "unfinished": count(unfinished),
        "share": share(unfinished, total, places=0),
        "slow": count(slow),
    }
    tasks = facts.codes(stats.items["total"])
    return [
        paragraph(text, "item", key="tasks.year.backlog", links=links, figures=figures, tasks=tasks)
    ]


def party(facts: ReportFacts) -> list[Paragraph]:
    """The Party agencies' and Front's tasks: completed, recurring, under way, not started."""
    group = facts.programme(PROGRAMMES.party)
    stats, where = facts.subset(group), facts.programme_filter(group)
    counts, total = stats.counts, stats.counts["total"]
    if not total:
        return []
    start, end = next_span(facts.period)
    ahead = span_label(start, end)
    parts = [
        ("completed", "nhiệm vụ đã hoàn thành"),
        ("recurring", "nhiệm vụ thực hiện thường xuyên"),
        ("in_progress", "nhiệm vụ đang thực hiện theo tiến độ"),
        ("not_started", f"nhiệm vụ chưa triển khai, dự kiến thực hiện trong {ahead}"),
        ("not_on_time", "nhiệm vụ chưa thực hiện trong hạn"),
    ]
    shown = [(state, label) for state, label in parts if counts[state] or state == "completed"]
    text = "- Chuyển đổi số trong các cơ quan Đảng và Mặt trận Tổ quốc: " + "; ".join(
        f"{ratio(counts[state], total)} {label}" for state, label in shown
    )
    links = tuple(facts.task_link(label, state, source=where) for state, label in shown)
    figures = {state: count(counts[state]) for state, _label in parts} | {"total": count(total)}
    tasks = facts.codes(stats.items["total"])
    return [
        paragraph(text + ".", "item", key="tasks.party", links=links, figures=figures, tasks=tasks)
    ]


def completed_lines(
    facts: ReportFacts, key: str, ids: Sequence[int], shown: int | None = None
) -> list[Paragraph]:
    """ "Đã hoàn thành 03 nhiệm vụ trong quý:" and the tasks, each as an item linked to its page;
    with `shown`, only that many are named and the rest are left to annex 1. The task list has
    no "completed within a span" filter, so the count itself links nowhere."""
    if not ids:
        return []
    span = SPAN_NOUNS.get(facts.period.kind, "kỳ")
    text = f"Đã hoàn thành {count(len(ids))} nhiệm vụ trong {span}:"
    named = list(ids) if shown is None else list(ids)[:shown]
    if len(named) < len(ids):
        text = (
            f"Đã hoàn thành {count(len(ids))} nhiệm vụ trong {span} (danh sách đầy đủ tại Phụ lục "
            f"1), trong đó:"
        )
    head = paragraph(text, key=key, figures={"count": count(len(ids))}, tasks=facts.codes(ids))
    return [head, *(task_item(facts, key, facts.tasks[t]) for t in named)]


def task_item(facts: ReportFacts, key: str, task: Task, text: str = "") -> Paragraph:
    """ "- <title>." (or `text`), linked to the task's page as of the report's date."""
    text = text or f"- {task.title.rstrip('. ')}."
    return paragraph(
        text, "item", key=f"{key}.{task.code}", links=(facts.detail_link(task),),
        tasks=(task.code,),
    )  # fmt: skip


def extended(facts: ReportFacts) -> list[Paragraph]:
    """ "Có 03 nhiệm vụ được gia hạn thời hạn: hoàn thành đúng hạn 02 nhiệm vụ theo hạn đã gia
    hạn, 0 nhiệm vụ theo hạn gốc." (issue 14: on time by the extended deadlines and by the
    original ones), of the report's tasks whose deadline an approved extension moved by the
    report's date; nothing when none was."""
    originals = history.original_deadlines(facts.as_of, facts.stats.items["total"])
    if not originals:
        return []
    ids = sorted(originals)
    by_original = task_stats(
        as_of=facts.as_of, flt=facts.task_filter, tasks=Task.objects.filter(pk__in=ids),
        original_deadlines=True,
    )  # fmt: skip
    on_time = {
        "extended": _completed_on_time(facts.stats, ids),
        "original": _completed_on_time(by_original, ids),
    }
    text = (
        f"Có {count(len(ids))} nhiệm vụ được gia hạn thời hạn: hoàn thành đúng hạn "
        f"{count(on_time['extended'])} nhiệm vụ theo hạn đã gia hạn, "
        f"{count(on_time['original'])} nhiệm vụ theo hạn gốc."
    )
    figures = {"extended": count(len(ids))} | {f"on_time.{k}": count(n) for k, n in on_time.items()}
    return [paragraph(text, key="tasks.extended", figures=figures)]


def _completed_on_time(stats: TaskStats, ids: Sequence[int]) -> int:
    return sum(1 for t in ids if stats.verdicts[t].timeliness is Timeliness.COMPLETED_ON_TIME)
