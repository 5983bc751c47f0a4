"""What the units said: the difficulties and proposals of the received reports, identical
texts merged and footnoted with the units that wrote them, each linked to its report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from documents.composer.facts import ReportFacts
from documents.composer.paragraphs import paragraph
from documents.content import Paragraph, Style
from documents.wording import count, joined
from nq57.text import fold
from org.models import Unit, UnitType
from periods.models import Period
from reporting.models import Section
from tasks.models import Area

# Above this many units, a footnote counts them instead of naming them (the links name them).
NAMED_UNITS = 5


@dataclass
class SaidText:
    """One text, as one or more units wrote it; `rank` orders the groups (texts without an area
    first, then by area). `reports` holds the period of each unit's report it came from."""

    text: str
    rank: int
    units: dict[int, Unit] = field(default_factory=dict)  # by id, in the order they said it
    reports: dict[int, Period] = field(default_factory=dict)  # unit id → its report's period

    @property
    def key(self) -> str:
        """A short name that stays while other texts come and go (its folded text's digest)."""
        return hashlib.sha1(fold(self.text).encode()).hexdigest()[:8]


def compiled(sections: Sequence[Section], rank: Callable[[Section], int]) -> list[SaidText]:
    """Identical texts (ignoring case, accents and spacing) merged; by rank, then most often
    said first."""
    said: dict[str, SaidText] = {}
    for section in sections:
        place = rank(section)
        entry = said.setdefault(fold(section.text), SaidText(section.text.strip(), place))
        entry.rank = min(entry.rank, place)
        unit = section.report.unit
        entry.units.setdefault(unit.pk, unit)
        entry.reports[unit.pk] = section.report.period
    return sorted(said.values(), key=lambda s: (s.rank, -len(s.units)))


def said_by(units: Sequence[Unit]) -> str:
    """ "Theo báo cáo của: A; B." or, for many, "Theo báo cáo của 111 xã, phường và 12 cơ quan,
    đơn vị (danh sách tại Phụ lục 2)."."""
    if len(units) <= NAMED_UNITS:
        return f"Theo báo cáo của: {joined(u.name for u in units)}."
    communes = sum(1 for u in units if u.unit_type in (UnitType.COMMUNE, UnitType.WARD))
    parts = [f"{count(communes)} xã, phường"] if communes else []
    if len(units) > communes:
        parts.append(f"{count(len(units) - communes)} cơ quan, đơn vị")
    return f"Theo báo cáo của {' và '.join(parts)} (danh sách tại Phụ lục 2)."


def said_lines(
    facts: ReportFacts, key: str, sections: Sequence[Section], numbered: bool = False
) -> list[Paragraph]:
    lines = []
    for n, said in enumerate(compiled(sections, facts.area_rank), start=1):
        units = list(said.units.values())
        links = tuple(facts.report_link(u, said.reports[u.pk]) for u in units)
        lead = f"{n}. " if numbered else "- "
        style: Style = "body" if numbered else "item"
        lines.append(
            paragraph(
                lead + said.text,
                style,
                key=f"{key}.{said.key}",
                links=links,
                footnotes=(said_by(units),),
                figures={"units": count(len(units))},
            )
        )
    return lines


def sections_of(facts: ReportFacts, kind: str, area: Area | None) -> list[Section]:
    area_id = area.pk if area else None
    return [s for s in facts.sections if s.kind == kind and s.area_id == area_id]
