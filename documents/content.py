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
    MONTHLY = "monthly"  # the standing office's monthly brief
    UNIT = "unit"  # one unit's own report for a period


KIND_LABELS = {
    Kind.QUARTERLY: _("Báo cáo quý về thực hiện Nghị quyết số 57-NQ/TW"),
    Kind.MONTHLY: _("Báo cáo tóm tắt tháng"),
    Kind.UNIT: _("Báo cáo của đơn vị"),
}

Style = Literal["heading1", "heading2", "heading3", "body", "item", "subitem"]


@dataclass(frozen=True)
class Link:
    """What stands behind a figure: a list of tasks, units or values, as of the report's date."""

    label: str
    url: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body. `footnotes` are anchored at its end, numbered by the renderer
    in document order. `key` names a computed statement (stable, for tests and traceability);
    prose that people edit has no key and no links."""

    text: str
    style: Style = "body"
    bold: bool = False
    italic: bool = False
    footnotes: tuple[str, ...] = ()
    key: str = ""
    links: tuple[Link, ...] = ()

    @property
    def computed(self) -> bool:
        return bool(self.key)


@dataclass(frozen=True)
class ReportContent:
    kind: Kind
    period: Period
    unit: Unit  # whose report: the province for quarterly and monthly ones
    as_of: date
    title: str  # "BÁO CÁO"
    subject: str  # the subject line under the title
    body: list[Paragraph] = field(default_factory=list)

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
