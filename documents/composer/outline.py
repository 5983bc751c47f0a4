"""A report of one of the province's kinds, written from its outline (documents.models.Outline):
each section's title (the period named where the title asks), then the standing office's prose
for it when there is some, else the section's computed blocks. Every block of the outline is
computed whether or not it prints, so a figure the prose names anywhere is the current one. A
section that omits what is empty (OutlineSection.omit_empty) does not print at all, title
included, when none of its blocks states anything and no prose is written for it; when one does,
the others say they have nothing to state ("chưa có …"), as in any section."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from documents.composer.areas import other_areas
from documents.composer.blocks import BLOCKS
from documents.composer.facts import ReportFacts
from documents.composer.indicator_statements import indicator_lines
from documents.composer.paragraphs import paragraph
from documents.composer.prose import (
    block_codes,
    element_codes,
    figure_lookup,
    numbered,
    render,
)
from documents.content import Paragraph, Style
from documents.models import OutlineSection
from documents.wording import capitalized, next_span, period_label, span_label, upto
from periods.models import Period
from tasks.models import Area

LEVEL_STYLES: dict[int, Style] = {1: "heading1", 2: "heading2", 3: "heading3", 4: "label"}


def title(text: str, period: Period) -> str:
    """A section's title with the period named: {KY} "QUÝ III NĂM 2025", {ky} "Quý III/2025",
    {nam} "2025", {nam_sau} "2026", {ky_sau} "Quý IV/2025"."""
    year = period.ends_on.year
    words = {
        "{KY}": upto(period),
        "{ky}": capitalized(period_label(period)),
        "{nam}": str(year),
        "{nam_sau}": str(year + 1),
        "{ky_sau}": capitalized(span_label(*next_span(period))),
    }
    for placeholder, value in words.items():
        text = text.replace(placeholder, value)
    return text


@dataclass
class Composed:
    """One section as the report and the composer page show it: what its blocks compute, what
    prints (the prose made into paragraphs, or the blocks), and the blocks its prose leaves
    out."""

    section: OutlineSection
    title: str
    area: Area | None
    computed: list[Paragraph]
    printed: list[Paragraph] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    prose: str = ""
    quiet: bool = False  # a section that omits what is empty, none of its blocks stating anything

    @property
    def omitted(self) -> bool:
        """Quiet, and no prose written for it: not printed."""
        return self.quiet and not self.prose


@dataclass
class Composition:
    sections: list[Composed]
    statements: dict[str, Paragraph]  # every computed statement by key: the prose's figures
    warnings: list[str]

    def body(self) -> list[Paragraph]:
        body: list[Paragraph] = []
        for composed in self.sections:
            if composed.omitted:
                continue
            if composed.title:
                style = LEVEL_STYLES[composed.section.level]
                body.append(paragraph(composed.title, style))
            body += composed.printed
        return body


class _Blocks:
    """Each (block, area) computed once: an outline may name a block in several sections.
    `named`: the area codes the outline's sections name (the other areas are "area.others").
    A block with nothing to state gives its sentence saying so, unless `omit_empty` (a section
    left out whole)."""

    def __init__(self, facts: ReportFacts, warnings: list[str], named: set[str]) -> None:
        self.facts = facts
        self.warnings = warnings
        self.named = named
        self.done: dict[tuple[str, int | None], list[Paragraph]] = {}

    def __call__(self, code: str, area: Area | None, omit_empty: bool = False) -> list[Paragraph]:
        key = (code, area.pk if area else None)
        if key not in self.done:
            self.done[key] = self._run(code, area)
        found = self.done[key]
        if found or omit_empty or code not in BLOCKS:
            return found
        return BLOCKS[code].nothing(self.facts)

    def _run(self, code: str, area: Area | None) -> list[Paragraph]:
        if code == "area.others":
            return other_areas(self.facts, self.named)
        block = BLOCKS.get(code)
        if block is None:
            self.warnings.append(f"Dàn ý có khối nội dung không còn dùng: “{code}”.")
            return []
        return block.run(self.facts, area)


def compose(
    facts: ReportFacts, sections: Sequence[OutlineSection], prose: Mapping[str, str]
) -> Composition:
    named = any(s.area_code for s in sections)  # a brief names no area: none read
    areas = {area.code: area for area in facts.areas} if named else {}
    warnings: list[str] = []
    blocks = _Blocks(facts, warnings, {s.area_code for s in sections if s.area_code})
    composed = []
    for section in sections:
        area = areas.get(section.area_code)
        if section.area_code and area is None:
            warnings.append(
                f"Mục “{section.title}” gắn với lĩnh vực không có: {section.area_code}."
            )
        # a section that omits what is empty is left out whole when none of its blocks states
        # anything; when one does, the others say they have nothing, as anywhere else
        quiet = section.omit_empty and not any(blocks(c, area, True) for c in section.blocks)
        computed = [p for code in section.blocks for p in blocks(code, area, quiet)]
        composed.append(
            Composed(section, title(section.title, facts.period), area, computed, quiet=quiet)
        )
    statements = {p.key: p for c in composed for p in c.computed if p.key}
    for line in indicator_lines(facts, facts.indicators):  # every indicator, for the prose
        statements.setdefault(line.key, line)
    lookup = figure_lookup(statements, facts.element_totals(element_codes(prose.values())))
    printed: set[str] = set()
    for entry in composed:
        entry.prose = prose.get(entry.section.code, "").strip()
        paragraphs = entry.computed
        if entry.prose:
            missing: list[str] = []
            paragraphs = render(
                entry.prose, section=entry.section.code, lookup=lookup, missing=missing,
                block=partial(blocks, area=entry.area, omit_empty=entry.quiet),
            )  # fmt: skip
            placed = set(block_codes(entry.prose))
            entry.left_out = [code for code in entry.section.blocks if code not in placed]
            warnings += [f"Mục “{entry.title}”: không có số liệu {token}." for token in missing]
        entry.printed = numbered(_once(paragraphs, printed), items=entry.section.numbered)
    return Composition(composed, statements, warnings)


def _once(paragraphs: list[Paragraph], printed: set[str]) -> list[Paragraph]:
    """A statement prints once, where it first comes (two sections may draw one block);
    `printed` is added to."""
    kept = []
    for p in paragraphs:
        if p.key and p.key in printed:
            continue
        printed.add(p.key)
        kept.append(p)
    return kept
