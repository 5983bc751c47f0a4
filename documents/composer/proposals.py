"""Part IV: the proposals the units made, split by whom they address. Recommendations to central
bodies (the Central Steering Committee, the Government, ministries) go in the report, which is
sent to the Central Party Office; proposals to the province's own bodies (its People's
Committee, departments, the provincial Steering Committee) are the province's to handle and go
to the follow-up list (annex 5), never into the report to the centre."""

from __future__ import annotations

import re

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.composer.unit_texts import said_lines, sections_of
from documents.content import Paragraph
from documents.wording import count
from nq57.text import fold
from reporting.models import Section, SectionKind

# Central bodies as the proposals name them (folded: lower case, no diacritics). "Bộ" alone is a
# ministry only before a capitalised name or as "các bộ"; "Ban Chỉ đạo" is central only when
# "Trung ương" follows, which the first pattern catches.
CENTRAL = re.compile(
    r"trung uong|chinh phu|thu tuong|quoc hoi|bo chinh tri|ban bi thu|cac bo\b|"
    r"\bbo (khoa hoc|tai chinh|noi vu|cong an|thong tin|ke hoach|giao duc|y te|tu phap|"
    r"cong thuong|nong nghiep|xay dung|van hoa|quoc phong|ngoai giao)"
)


def to_central(text: str) -> bool:
    """Whether a proposal addresses a central body (the one rule; the annex and the composer
    read it too)."""
    return CENTRAL.search(fold(text)) is not None


def central_proposals(facts: ReportFacts) -> list[Paragraph]:
    """The units' recommendations to central bodies, by area (those without an area last)."""
    proposals = [s for s in facts.sections if s.kind == SectionKind.PROPOSALS]
    central = [s for s in proposals if to_central(s.text)]
    body: list[Paragraph] = []
    groups = [(a.code, a.name, sections_of(facts, SectionKind.PROPOSALS, a)) for a in facts.areas]
    groups.append(("other", "Khác", sections_of(facts, SectionKind.PROPOSALS, None)))
    for code, name, sections in groups:
        chosen = [s for s in sections if s in central]
        if chosen:
            body.append(paragraph(f"- {name}:", "item", bold=True))
            body += said_lines(facts, f"proposals.{code}", chosen)
    return body


def provincial(facts: ReportFacts) -> list[Section]:
    return [s for s in facts.sections if s.kind == SectionKind.PROPOSALS and not to_central(s.text)]


def provincial_proposals(facts: ReportFacts) -> list[Paragraph]:
    """One line: how many proposals address the province's own bodies, listed in annex 5 for
    follow-up (the standing office's list, not the report's)."""
    sections = provincial(facts)
    if not sections:
        return []
    units = {s.report.unit_id for s in sections}
    text = (
        f"Các cơ quan, đơn vị có {count(len(sections))} đề xuất, kiến nghị với các cơ quan cấp "
        f"tỉnh (của {count(len(units))} cơ quan, đơn vị), được tổng hợp tại Phụ lục 5 để theo "
        "dõi, xử lý."
    )
    figures = {"count": count(len(sections)), "units": count(len(units))}
    return [paragraph(text, key="proposals.provincial", figures=figures)]
