"""A month's results for the Steering Committee: an XLSX workbook (one sheet per kind of unit,
every criterion's points) and a DOCX report in the official format of a state document (Decree
30/2020/NĐ-CP, Phụ lục I: A4, margins 20/20/30/15 mm, Times New Roman, the issuer and the national
heading side by side, the title, the body, the recipients and the signature), as documents/word.py
lays out the province's reports."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook

from nq57.xlsx import add_sheet, workbook_bytes
from org.models import Unit, UnitType
from scoring.engine import Cap, Card, by_kind, points_text
from scoring.models import Grade, Round, UnitKind

FONT = "Times New Roman"


def _kind_title(kind: str) -> str:
    return str(UnitKind(kind).label)


# --- XLSX ------------------------------------------------------------------------------------


def workbook(round_: Round, cards: Sequence[Card]) -> bytes:
    """One sheet per kind: rank, unit, each criterion's points, total, grade, note."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for kind, group in by_kind(cards).items():
        group = sorted(group, key=lambda c: (c.rank or 0, c.unit.path))
        criteria = [(line.code, line.name) for line in group[0].lines]
        headers = [_("Hạng"), _("Mã đơn vị"), _("Đơn vị")]
        headers += [f"{name} ({code})" for code, name in criteria]
        headers += [_("Tổng điểm"), _("Xếp loại"), _("Ghi chú")]
        rows = [
            [card.rank, card.unit.code, card.unit.name]
            + [float(line.points) if line.applies else _("Không áp dụng") for line in card.lines]
            + [float(card.total), card.grade_label, _note(card)]
            for card in group
        ]
        add_sheet(book, _kind_title(kind)[:31], headers, rows)
    if not cards:  # nothing the reader may see (a draft): an empty sheet says so
        add_sheet(book, _("Kết quả"), [_("Chưa có kết quả được xem.")], [])
    return workbook_bytes(book)


def _note(card: Card) -> str:
    notes = []
    if card.capped:
        notes.append(
            _("Đủ điểm %(grade)s; xếp %(final)s do giới hạn tỷ lệ xuất sắc.")
            % {"grade": card.eligible_label, "final": card.grade_label}
        )
    adjusted = [line.name for line in card.lines if line.adjusted]
    if adjusted:
        notes.append(_("Điều chỉnh: %(names)s.") % {"names": ", ".join(adjusted)})
    return " ".join(notes)


# --- DOCX ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    parent: str  # the authority above the issuer, in capitals
    name: str
    place: str


def issuer() -> Issuer:
    """The standing office under the Steering Committee, as the tree names them."""
    office = Unit.objects.filter(unit_type=UnitType.STANDING_OFFICE).order_by("path").first()
    root = Unit.objects.get_first_root_node()
    place = root.name.removeprefix("Tỉnh ").removeprefix("Thành phố ") if root else ""
    if office is None:
        return Issuer("", root.name if root else "", place)
    parent = office.get_parent()
    return Issuer(parent.name if parent else "", office.name, place)


def document(round_: Round, cards: Sequence[Card], caps: Sequence[Cap]) -> bytes:
    doc = _new()
    _letterhead(doc, issuer())
    month = f"{round_.month.month}/{round_.month.year}"
    _centered(doc, _("BÁO CÁO"), 14, bold=True, before=18)
    _centered(
        doc,
        _(
            "Kết quả chấm điểm người đứng đầu các cơ quan, đơn vị, địa phương về thực hiện nhiệm "
            "vụ chuyển đổi số tháng %(month)s"
        )
        % {"month": month},
        14,
        bold=True,
    )
    _centered(doc, "________", 14, after=12)
    state = _("đã công bố") if round_.state == "published" else _("dự thảo, đang giải trình")
    _body(
        doc,
        _("Số liệu chấm điểm tính đến ngày chốt %(cutoff)s; kết quả %(state)s.")
        % {"cutoff": _day(cards[0].cutoff) if cards else "", "state": state},
    )
    caps_by_kind = {cap.kind: cap for cap in caps}
    for number, (kind, group) in enumerate(by_kind(cards).items(), start=1):
        _kind_section(doc, number, kind, group, caps_by_kind.get(kind))
    _signature(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _day(value: object) -> str:
    return f"{value:%d/%m/%Y}"


def _kind_section(
    doc: DocxDocument, number: int, kind: str, cards: list[Card], cap: Cap | None
) -> None:
    _body(doc, f"{number}. {_kind_title(kind)}", bold=True)
    counts = {grade: sum(1 for c in cards if c.grade == grade) for grade in Grade.values}
    summary = "; ".join(f"{Grade(g).label}: {n}" for g, n in counts.items())
    _body(doc, _("Chấm điểm %(n)s đơn vị. %(summary)s.") % {"n": len(cards), "summary": summary})
    if cap is not None and cap.applied:
        _body(
            doc,
            _(
                "Có %(candidates)s đơn vị đủ điểm hoàn thành xuất sắc; theo quy định số xếp loại "
                "xuất sắc không quá %(percent)s%% số xếp loại tốt, xếp xuất sắc %(allowed)s đơn vị."
            )
            % {
                "candidates": cap.candidates,
                "percent": points_text(cap.percent),
                "allowed": cap.allowed,
            },
        )
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(
        table.rows[0].cells, (_("Hạng"), _("Đơn vị"), _("Tổng điểm"), _("Xếp loại")), strict=True
    ):
        _cell(cell, text, bold=True)
    for card in sorted(cards, key=lambda c: (c.rank or 0, c.unit.path)):
        row = table.add_row().cells
        _cell(row[0], str(card.rank or ""))
        _cell(row[1], card.unit.name, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell(row[2], points_text(card.total))
        _cell(row[3], card.grade_label + (" *" if card.capped else ""))
    doc.add_paragraph()


def _new() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    doc.core_properties.language = "vi-VN"
    return doc


def _format(paragraph: Paragraph, size: float, bold: bool, italic: bool = False) -> None:
    for run in paragraph.runs:
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
        run.font.name = FONT


def _centered(
    doc: DocxDocument | _Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    before: float = 0,
    after: float = 0,
) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = (
        Pt(before),
        Pt(after),
    )
    _format(paragraph, size, bold, italic)


def _body(doc: DocxDocument, text: str, *, bold: bool = False) -> None:
    paragraph = doc.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(6)
    _format(paragraph, 14, bold)


def _cell(
    cell: _Cell, text: str, *, bold: bool = False, align: int = WD_ALIGN_PARAGRAPH.CENTER
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.text = text
    paragraph.alignment = align  # type: ignore[assignment]
    _format(paragraph, 12, bold)


def _letterhead(doc: DocxDocument, who: Issuer) -> None:
    """Issuer | national heading, then number | place and date (Decree 30/2020, Phụ lục I)."""
    table = doc.add_table(rows=2, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = who.parent.upper()
    _format(left.paragraphs[0], 13, False)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centered(left, who.name.upper(), 13, bold=True)
    _centered(left, "_______", 13)
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _format(right.paragraphs[0], 13, True)
    _centered(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    _centered(right, "_______________", 13)
    number, dated = table.rows[1].cells
    number.paragraphs[0].text = "Số:      /BC-"
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _format(number.paragraphs[0], 13, False)
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    dated.paragraphs[0].text = f"{who.place}, ngày {today.day:02d} tháng {month} năm {today.year}"
    dated.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _format(dated.paragraphs[0], 14, False, italic=True)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(65), Mm(100)


def _signature(doc: DocxDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    recipients, signer = table.rows[0].cells
    recipients.paragraphs[0].text = "Nơi nhận:"
    _format(recipients.paragraphs[0], 12, True, italic=True)
    for line in (
        "- Ban Chỉ đạo tỉnh (để b/c);",
        "- Các cơ quan, đơn vị, địa phương;",
        "- Lưu: VT.",
    ):
        paragraph = recipients.add_paragraph(line)
        _format(paragraph, 11, False)
    signer.paragraphs[0].text = "TM. CƠ QUAN THƯỜNG TRỰC"
    signer.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _format(signer.paragraphs[0], 14, True)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Mm(80), Mm(85)
