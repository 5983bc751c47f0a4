"""A unit's own report: its tasks by state, what it completed in the period, its indicators and
the state and texts of its report for the period."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _  # link labels are UI, shown on the page

from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import indicator_lines
from documents.composer.paragraphs import paragraph
from documents.composer.task_statements import BY_STATE, LateLine, completed_lines, stat_lines
from documents.content import Link, Paragraph
from documents.wording import count
from reporting.models import ReportState, Section, SectionKind, UnitReport
from reporting.queries import report_url


def unit_report(facts: ReportFacts) -> list[Paragraph]:
    stats = facts.stats
    body = [
        paragraph(f"I- KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐẾN HẾT {facts.upto}", "heading1"),
        paragraph(
            f"{facts.unit.name} được giao {count(stats.counts['total'])} nhiệm vụ:",
            key="unit.tasks.total",
            links=(facts.task_link(_("Nhiệm vụ của đơn vị")),),
        ),
        *stat_lines(facts, "unit.tasks", stats, BY_STATE, LateLine(footnotes=True, note=True)),
        *completed_lines(facts, "unit.tasks.completed_in_period", facts.completed_in_period),
    ]
    values = indicator_lines(facts, facts.indicators)
    if values:
        body += [paragraph("II- CHỈ TIÊU", "heading1"), *values]
    return body + _own_report(facts)


def _own_report(facts: ReportFacts) -> list[Paragraph]:
    report = UnitReport.objects.filter(unit=facts.unit, period=facts.period).first()
    heading = paragraph(f"III- BÁO CÁO {facts.label.upper()} CỦA ĐƠN VỊ", "heading1")
    if report is None:
        return [heading, paragraph("Đơn vị chưa lập báo cáo kỳ này.", key="unit.report.state")]
    state = str(ReportState(report.state).label)
    link = Link(state, report_url(facts.period.code, facts.unit.code))
    text = f"Trạng thái báo cáo: {state}."
    body = [heading, paragraph(text, key="unit.report.state", links=(link,))]
    sections = list(report.sections.all())  # read once for the three kinds
    for kind in (SectionKind.RESULTS, SectionKind.DIFFICULTIES, SectionKind.PROPOSALS):
        body += _own_sections(kind, [s for s in sections if s.kind == kind], link)
    return body


def _own_sections(kind: str, sections: Sequence[Section], link: Link) -> list[Paragraph]:
    """ "Khó khăn, vướng mắc:" and the unit's texts of that kind, each an item."""
    if not sections:
        return []
    items = [
        paragraph(f"- {s.text.strip()}", "item", key=f"unit.report.{kind}.{n}", links=(link,))
        for n, s in enumerate(sections, start=1)
    ]
    return [paragraph(f"{SectionKind(kind).label}:", italic=True), *items]
