"""An area's section, results before progress: its indicators against their targets first, then
the tasks completed in the period (a few named, the rest left to annex 1), then the tasks not
done on time, each with its reason."""

from __future__ import annotations

from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import indicator_lines
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import LATE_LABELS, completed_lines, reason_text
from documents.content import Paragraph
from documents.wording import count
from tasks.models import Area

# How many completed tasks an area's section names; annex 1 lists every task.
COMPLETED_SHOWN = 5


def area_indicators(facts: ReportFacts, area: Area) -> list[Paragraph]:
    return indicator_lines(facts, (r for r in facts.indicators if r.indicator.area_id == area.pk))


def area_completed(facts: ReportFacts, area: Area) -> list[Paragraph]:
    completed = [t for t in facts.completed_in_period if facts.tasks[t].area_id == area.pk]
    return completed_lines(facts, f"area.{area.code}.completed", completed, COMPLETED_SHOWN)


def area_late(facts: ReportFacts, area: Area) -> list[Paragraph]:
    """ "Chưa hoàn thành đúng hạn 02 nhiệm vụ:" and each task with the reason its assignee gave
    (else its state), linked to its page."""
    late = [t for t in facts.stats.items["not_on_time"] if facts.tasks[t].area_id == area.pk]
    if not late:
        return []
    key = f"area.{area.code}.late"
    reasons = facts.reasons(late)
    head = paragraph(
        f"Chưa hoàn thành đúng hạn {count(len(late))} nhiệm vụ:",
        key=key,
        figures={"count": count(len(late))},
        tasks=facts.codes(late),
    )
    items = []
    for task_id in late:
        task = facts.tasks[task_id]
        state = LATE_LABELS[facts.stats.verdicts[task_id].timeliness]
        why = reason_text(reasons.get(task_id)) or state
        items.append(
            paragraph(
                f"- {task.title.rstrip('. ')} ({why}).",
                "item",
                key=f"{key}.{task.code}",
                links=(facts.detail_link(task),),
                tasks=(task.code,),
            )
        )
    return [head, *items]


def other_areas(facts: ReportFacts, named: set[str]) -> list[Paragraph]:
    """The areas whose codes no section of the outline names, each as a bold lead-in and its
    blocks: an area the province added is reported before anyone edits the outline."""
    body: list[Paragraph] = []
    for area in facts.areas:
        if area.code in named:
            continue
        lines = area_indicators(facts, area) + area_completed(facts, area) + area_late(facts, area)
        if lines:
            body += [paragraph(f"- {area.name}:", "item", bold=True), *lines]
    return body
