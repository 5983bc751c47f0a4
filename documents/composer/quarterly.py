"""Blocks of the report to the Central Steering Committee (quarterly, six-month, nine-month,
year-end): the Steering Committee's directives, the difficulties the units raised (part II) and
the tasks due next (part III)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from directives.queries import directive_counts, list_url
from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import (
    task_item,
)
from documents.composer.unit_texts import said_lines
from documents.content import Link, Paragraph
from documents.wording import count, day, next_span, span_label
from reporting.models import SectionKind
from tasks.models import Task
from tasks.timeliness import Timeliness

# How many of the tasks due next the report names; the annex lists them all.
NEXT_SHOWN = 10


def directives(facts: ReportFacts) -> list[Paragraph]:
    """Documents the Steering Committee (and its office) issued in the period and in all."""
    steering = facts.steering
    if steering is None:
        return []
    start, end = facts.period.starts_on, facts.end
    in_period, cumulative = directive_counts(unit=steering, start=start, end=end)
    text = (
        f"Trong {facts.label}, tổng số văn bản lãnh đạo, chỉ đạo, "
        f"điều hành được Ban Chỉ đạo tỉnh ban hành là {count(in_period)} văn bản; lũy kế toàn "
        f"thời gian là {count(cumulative)} văn bản."
    )
    links = (
        Link(_("Văn bản trong kỳ"), list_url(unit=steering, start=start, end=end)),
        Link(_("Lũy kế"), list_url(unit=steering, start=None, end=end)),
    )
    figures = {"in_period": count(in_period), "cumulative": count(cumulative)}
    return [paragraph(text, key="directives.counts", links=links, figures=figures)]


def problems(facts: ReportFacts) -> list[Paragraph]:
    """Every difficulty the received reports raised, once each (part 1's areas do not repeat
    them): those without an area first, then by area."""
    sections = [s for s in facts.sections if s.kind == SectionKind.DIFFICULTIES]
    return said_lines(facts, "problems", sections, numbered=True)


def _due_next(facts: ReportFacts) -> list[Task]:
    """The tasks under way (on time or overdue, not paused nor proposed for removal) whose
    deadline falls in the next span, the most urgent first: overdue, then at risk, then by
    deadline."""
    start, end = next_span(facts.period)
    under_way = set(facts.stats.items["on_time"]) | set(facts.stats.items["overdue"])
    due = [
        facts.tasks[t]
        for t in under_way
        if (deadline := facts.tasks[t].deadline) is not None and start <= deadline <= end
    ]
    return sorted(due, key=lambda task: _urgency(facts, task))


def _urgency(facts: ReportFacts, task: Task) -> tuple[bool, bool, date, int, str]:
    verdict = facts.stats.verdicts[task.pk]
    overdue = verdict.timeliness == Timeliness.OVERDUE
    return not overdue, not verdict.at_risk, task.deadline or date.max, task.area.order, task.code


def next_steps(facts: ReportFacts) -> list[Paragraph]:
    """The count of the tasks due next and the most urgent ones; the rest are in annex 1."""
    body: list[Paragraph] = []
    due = _due_next(facts)
    if not due:
        return body
    start, end = next_span(facts.period)
    text = (
        f"Các cơ quan, đơn vị tập trung hoàn thành {count(len(due))} nhiệm vụ đang triển khai "
        f"có thời hạn trong {span_label(start, end)}"
    )
    if len(due) > NEXT_SHOWN:
        text += (
            f", trong đó {count(NEXT_SHOWN)} nhiệm vụ cần ưu tiên dưới đây (danh sách đầy đủ "
            "tại Phụ lục 1)"
        )
    figures = {"count": count(len(due))}
    tasks = {task.code for task in due}
    body.append(paragraph(text + ":", key="next.due", figures=figures, tasks=tasks))
    for n, task in enumerate(due[:NEXT_SHOWN], start=1):
        text = (
            f"{n}. {task.title.rstrip('. ')} (chủ trì: {task.lead_unit.name}; thời hạn "
            f"{day(task.deadline or end)})."
        )
        body.append(task_item(facts, "next", task, text))
    return body
