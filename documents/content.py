"""What a generated report says, apart from its file format.

`documents.composer.build_content` computes a `ReportContent` from stored data as of a date;
the renderers (`documents.word`, and `documents.pdf` from its file) lay it out in the issuer's
official format given a `Letterhead`; the traceability page lists its computed paragraphs with
the links behind them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

from django.utils.translation import gettext_lazy as _

from org.models import Unit
from periods.models import Period


class Kind(StrEnum):
    QUARTERLY = "quarterly"  # the Party committee's NQ57 report to the Central Steering Committee
    HALF = "half"  # the same, for six months ("6 tháng đầu năm")
    NINE_MONTHS = "nine_months"  # the same, for nine months ("9 tháng đầu năm")
    YEAR = "year"  # the year-end report: the year against its targets, next year's direction
    MONTHLY = "monthly"  # the standing office's monthly brief
    BRIEF = "brief"  # one page for a Steering Committee meeting
    UNIT = "unit"  # one unit's own report for a period


KIND_LABELS = {
    Kind.QUARTERLY: _("Báo cáo quý về thực hiện Nghị quyết số 57-NQ/TW"),
    Kind.HALF: _("Báo cáo 6 tháng về thực hiện Nghị quyết số 57-NQ/TW"),
    Kind.NINE_MONTHS: _("Báo cáo 9 tháng về thực hiện Nghị quyết số 57-NQ/TW"),
    Kind.YEAR: _("Báo cáo tổng kết năm về thực hiện Nghị quyết số 57-NQ/TW"),
    Kind.MONTHLY: _("Báo cáo tóm tắt tháng"),
    Kind.BRIEF: _("Báo cáo nhanh phục vụ phiên họp Ban Chỉ đạo"),
    Kind.UNIT: _("Báo cáo của đơn vị"),
}

# "label": a bold italic lead-in inside a section ("Nhận xét, đánh giá chung:").
Style = Literal["heading1", "heading2", "heading3", "label", "body", "item", "subitem"]


@dataclass(frozen=True)
class Link:
    """What stands behind a figure: a list of tasks, units or values, as of the report's date."""

    label: str
    url: str


@dataclass(frozen=True)
class Span:
    """A stretch of a paragraph written by people, in bold or italic, a footnote's reference
    after it when `note` is given."""

    text: str
    bold: bool = False
    italic: bool = False
    note: str = ""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body. `footnotes` are anchored at its end, numbered by the renderer
    in document order. `key` names a computed statement (stable, for tests and traceability);
    prose that people edit has no key and no links, unless a figure of the data is written into
    it (documents.composer.prose).

    What a statement is computed from, kept with a generated report: `figures` (name → the
    figure as written: "40", "87,3%"), the `tasks` it counts, the `indicators` it reads and the
    data `elements` whose totals it states (codes). `spans` is the paragraph written in parts
    (bold, italic, footnotes inside it); `text` is then their plain text."""

    text: str
    style: Style = "body"
    bold: bool = False
    italic: bool = False
    footnotes: tuple[str, ...] = ()
    key: str = ""
    links: tuple[Link, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()
    tasks: frozenset[str] = frozenset()
    indicators: frozenset[str] = frozenset()
    spans: tuple[Span, ...] = ()
    elements: frozenset[str] = frozenset()  # data elements whose totals it states

    @property
    def computed(self) -> bool:
        return bool(self.key)

    @property
    def all_footnotes(self) -> tuple[str, ...]:
        """The notes inside the paragraph, then those at its end, in the order they print."""
        return tuple(s.note for s in self.spans if s.note) + self.footnotes

    def figure(self, name: str) -> str | None:
        return dict(self.figures).get(name)


@dataclass(frozen=True)
class ReportContent:
    kind: Kind
    period: Period
    unit: Unit  # whose report: the province for quarterly and monthly ones
    as_of: date
    title: str  # "BÁO CÁO"
    subject: str  # the subject line under the title
    body: list[Paragraph] = field(default_factory=list)
    # What every statement was computed from, for the report kept (documents.changes): each
    # counted task's state ("tasks": code → state) and each indicator's figure ("indicators").
    basis: dict[str, dict[str, str]] = field(default_factory=dict)
    # The standing office's prose it was written with, by outline section (documents.models.
    # SectionText), and the problems the composer found (a figure the prose names that the
    # data does not give).
    prose: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    compact: bool = False  # a one-page brief: the body set tighter

    def statements(self) -> list[Paragraph]:
        """The computed paragraphs, in document order."""
        return [p for p in self.body if p.computed]


@dataclass(frozen=True)
class Letterhead:
    """The issuer's settings for a document: who issues, its number, who signs, who receives.
    Stored per document kind (documents.models), never written in code."""

    style: Literal["party", "state"]  # Hướng dẫn 36-HD/VPTW or Nghị định 30/2020/NĐ-CP
    issuer: str  # "TỈNH ỦY NGHỆ AN"
    number: str  # "Số      -BC/TU" (the number is given at signing)
    place: str  # "Nghệ An"
    signed_on: date | None  # None leaves "ngày … tháng … năm …" to be filled at signing
    signer_capacity: str  # "T/M BAN THƯỜNG VỤ" / "TM. ỦY BAN NHÂN DÂN"
    signer_title: str  # "PHÓ BÍ THƯ"
    signer_name: str
    recipients: tuple[str, ...]
    issuer_parent: str = ""  # the body above the issuer, when the format shows it
    basis: str = ""  # opening paragraph ("Thực hiện Công văn số …"), prose people edit
    # With no signing date, what the place-and-date line fills in from the day it is made:
    # "blank" (ngày … tháng … năm 2025), "day" (ngày … tháng 10 năm 2025) or "filled".
    date_line: Literal["blank", "day", "filled"] = "blank"
