"""The quarterly report to the Central Steering Committee: I results (task statistics, the
communes, the indicators, the directives, then by area), II difficulties, III next steps,
IV proposals."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from directives.queries import directive_counts, list_url
from documents.composer.communes import communes
from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import achievement, indicator_lines
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import (
    completed_lines,
    government_group,
    intro,
    party,
    province_groups,
    task_item,
    year_backlog,
)
from documents.composer.unit_texts import said_lines, sections_of
from documents.content import Link, Paragraph
from documents.wording import count, day, next_span, span_label
from reporting.models import Section, SectionKind
from tasks.models import Area, Task
from tasks.timeliness import Timeliness

# How many of the tasks due next the report names; the annex lists them all.
NEXT_SHOWN = 10


def quarterly(facts: ReportFacts) -> list[Paragraph]:
    # The first area (directing and steering) is part 1's own; the others are parts 2, 3, …
    first, others = facts.areas[:1], facts.areas[1:]
    body = [
        paragraph(f"I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT {facts.upto}", "heading1"),
        paragraph("1. Về công tác chỉ đạo, điều hành", "heading2"),
        paragraph("a) Thống kê số nhiệm vụ", "heading3"),
        *intro(facts),
        *government_group(facts),
        *province_groups(facts),
        paragraph("Nhận xét, đánh giá chung:", bold=True, italic=True),
        paragraph("- Kết quả đạt được:", italic=True),
        *communes(facts),
        *achievement(facts),
        *party(facts),
        paragraph("- Hạn chế, khó khăn:", italic=True),
        *year_backlog(facts),
        paragraph("b) Hoạt động chỉ đạo, điều hành của Ban Chỉ đạo tỉnh", "heading3"),
        *_directives(facts),
    ]
    for area in first:
        body += _area_block(facts, area)
    for number, area in enumerate(others, start=2):
        body.append(paragraph(f"{number}. {area.name}", "heading2"))
        body += _area_block(facts, area)
    return body + _problems(facts) + _next_steps(facts) + _proposals(facts)


def _directives(facts: ReportFacts) -> list[Paragraph]:
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
    return [paragraph(text, key="directives.counts", links=links)]


def _area_block(facts: ReportFacts, area: Area) -> list[Paragraph]:
    completed = [t for t in facts.completed_in_period if facts.tasks[t].area_id == area.pk]
    block = completed_lines(facts, f"area.{area.code}.completed", completed)
    block += indicator_lines(facts, (r for r in facts.indicators if r.indicator.area_id == area.pk))
    return block


def _problems(facts: ReportFacts) -> list[Paragraph]:
    """Every difficulty the received reports raised, once each (part 1's areas do not repeat
    them): those without an area first, then by area."""
    heading = paragraph("II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN", "heading1")
    sections = [s for s in facts.sections if s.kind == SectionKind.DIFFICULTIES]
    return [heading, *said_lines(facts, "problems", sections, numbered=True)]


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


def _next_steps(facts: ReportFacts) -> list[Paragraph]:
    """The count of the tasks due next and the most urgent ones; the rest are in annex 1."""
    body = [paragraph("III- NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM CẦN TẬP TRUNG THỰC HIỆN", "heading1")]
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
    body.append(paragraph(text + ":", key="next.due"))
    for n, task in enumerate(due[:NEXT_SHOWN], start=1):
        text = (
            f"{n}. {task.title.rstrip('. ')} (chủ trì: {task.lead_unit.name}; thời hạn "
            f"{day(task.deadline or end)})."
        )
        body.append(task_item(facts, "next", task, text))
    return body


def _proposals(facts: ReportFacts) -> list[Paragraph]:
    body = [paragraph("IV- ĐỀ XUẤT, KIẾN NGHỊ", "heading1")]
    groups: list[tuple[str, str, list[Section]]] = [
        (area.code, area.name, sections_of(facts, SectionKind.PROPOSALS, area))
        for area in facts.areas
    ]
    groups.append(("other", "Khác", sections_of(facts, SectionKind.PROPOSALS, None)))
    for code, name, sections in groups:
        if sections:
            body.append(paragraph(f"- {name}:", "item", bold=True))
            body += said_lines(facts, f"proposals.{code}", sections)
    return body
