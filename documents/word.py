"""A ReportContent as a Word document in the issuer's official format.

Party documents follow Hướng dẫn 36-HD/VPTW, state documents Nghị định 30/2020/NĐ-CP (Phụ lục I).
Both share one layout; what differs (sizes, labels, the marks under the issuer and the title) is
data in FORMATS. Footnotes are real Word footnotes: python-docx has no API for them, so the
footnotes part is added with its OPC API (see `_footnotes_part`).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import count
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.font import Font
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.parfmt import ParagraphFormat
from docx.text.run import Run

from documents.content import Letterhead, Paragraph, ReportContent, Style

FONT = "Times New Roman"
LANGUAGE = "vi-VN"
FOOTNOTE_SIZE = 10
FOOTNOTE_REFERENCE = "footnote reference"  # Word's built-in character style, by its name
HEADER_WIDTHS = (Mm(65), Mm(100))  # issuer | national or party heading (text width is 165 mm)
SIGNATURE_WIDTHS = (Mm(80), Mm(85))  # recipients | signature
SIGNATURE_SPACE = 4  # empty lines left for the handwritten signature and the seal
COMPACT_SIZE = 13  # the body of a one-page brief (ReportContent.compact)


@dataclass(frozen=True)
class Look:
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class _Format:
    """What differs between the party and the state formats."""

    parent: Look  # the body above the issuer
    issuer: Look
    issuer_mark: str | None  # the line under the issuer's name: a text, or None for a short rule
    number: Look
    heading: tuple[tuple[str, Look], ...]  # the party's name, or the national name and motto
    heading_rule: bool  # a short rule under the last heading line
    date: Look
    title: Look
    subject: Look
    subject_mark: str | None  # the line under the subject: a text, or None for a short rule
    # Decree 30/2020 starts the subject with a capital ("Tình hình …"); the Party's guide does not.
    subject_capital: bool
    recipients_label: Look
    recipient: Look
    signer: Look


FORMATS = {
    "party": _Format(
        parent=Look(14),
        issuer=Look(14, bold=True),
        issuer_mark="*",
        number=Look(14),
        heading=(("ĐẢNG CỘNG SẢN VIỆT NAM", Look(15, bold=True, underline=True)),),
        heading_rule=False,
        date=Look(14, italic=True),
        title=Look(16, bold=True),
        subject=Look(14, bold=True),
        subject_mark="-----",
        subject_capital=False,
        recipients_label=Look(14, underline=True),
        recipient=Look(12),
        signer=Look(14, bold=True),
    ),
    "state": _Format(
        parent=Look(13),
        issuer=Look(13, bold=True),
        issuer_mark=None,
        number=Look(13),
        heading=(
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Look(13, bold=True)),
            ("Độc lập - Tự do - Hạnh phúc", Look(14, bold=True)),
        ),
        heading_rule=True,
        date=Look(14, italic=True),
        title=Look(14, bold=True),
        subject=Look(14, bold=True),
        subject_mark=None,
        subject_capital=True,
        recipients_label=Look(12, bold=True, italic=True),
        recipient=Look(11),
        signer=Look(14, bold=True),
    ),
}
BODY_LOOKS: dict[Style, Look] = {
    "heading1": Look(14, bold=True),
    "heading2": Look(14, bold=True),
    "heading3": Look(14, bold=True, italic=True),
    "label": Look(14, bold=True, italic=True),
    "body": Look(14),
    "item": Look(14),
    "subitem": Look(14),
}


def render_docx(content: ReportContent, letterhead: Letterhead) -> bytes:
    fmt = FORMATS[letterhead.style]
    document = _new_document(content, letterhead)
    _letterhead_table(document, letterhead, fmt)
    _title(document, content, fmt)
    _body(document, content, letterhead)
    _signature_table(document, letterhead, fmt)
    _page_numbers(document.sections[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the page and the fonts ------------------------------------------------------------------


def _new_document(content: ReportContent, letterhead: Letterhead) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    # The template's defaults name theme fonts (Calibri); every script must use Times New Roman
    # or LibreOffice and Word substitute another font for Vietnamese letters.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))  # type: ignore[union-attr]
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(14)
    reference = document.styles.add_style(FOOTNOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True  # LibreOffice numbers the notes with this style only
    properties = document.core_properties
    properties.title = " ".join(content.subject.split())
    properties.author = letterhead.issuer
    properties.language = LANGUAGE
    _vietnamese(document, defaults)
    return document


def _vietnamese(document: DocxDocument, defaults: BaseOxmlElement) -> None:
    """Every run's proofing language is Vietnamese (the defaults every run inherits, and the
    theme's), so Word checks the spelling in Vietnamese instead of marking every word."""
    for lang in defaults.iter(qn("w:lang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), LANGUAGE)
    for lang in document.settings.element.iter(qn("w:themeFontLang")):
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), LANGUAGE)


def _set_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for name in list(fonts.attrib):
        del fonts.attrib[name]  # theme attributes win over explicit names: drop them
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _run(paragraph: DocxParagraph, text: str, look: Look) -> None:
    """`text` in `look`; a newline in it becomes a line break."""
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        run.add_text(line)
        _format_run(run, look)


def _format_run(run: Run, look: Look, style_id: str = "", superscript: bool = False) -> None:
    """The run's properties, a copy of those built once for the look: python-docx's setters
    search the properties' children for every attribute they set, which cost a third of the
    rendering of a report's 800 runs."""
    run._r.insert(0, deepcopy(_run_properties(look, style_id, superscript)))


@lru_cache(maxsize=64)
def _run_properties(look: Look, style_id: str, superscript: bool) -> BaseOxmlElement:
    """`look` (in the character style `style_id`, superscript) as a run's w:rPr."""
    r = OxmlElement("w:r")
    rpr = r.get_or_add_rPr()  # type: ignore[attr-defined]
    if style_id:
        rpr.style = style_id
    font = Font(r)  # type: ignore[arg-type]
    font.bold, font.italic, font.underline = look.bold, look.italic, look.underline
    font.size = Pt(look.size)
    _set_fonts(rpr)
    # The complex-script size too, so LibreOffice keeps the size whatever it takes the script for.
    size = rpr.find(qn("w:sz"))
    assert size is not None
    size.addnext(OxmlElement("w:szCs", {qn("w:val"): str(round(look.size * 2))}))
    if superscript:
        font.superscript = True
    return rpr


def _line(paragraph: DocxParagraph, align: WD_ALIGN_PARAGRAPH) -> DocxParagraph:
    """A letterhead or signature line: single spacing, nothing before or after."""
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    return paragraph


# --- the letterhead --------------------------------------------------------------------------


def _table(document: DocxDocument, rows: int, widths: tuple[Length, Length]) -> Table:
    """A borderless table of fixed column widths (the default table style draws no border)."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    # No cell margins: the columns' full widths hold the long national name on one line.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margins.append(OxmlElement(f"w:{side}", {qn("w:w"): "0", qn("w:type"): "dxa"}))
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblPrChange")
    for row in table.rows:  # a row moves to the next page whole (the signature block)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    return table


def _cell_paragraph(cell: _Cell, align: WD_ALIGN_PARAGRAPH) -> DocxParagraph:
    """The cell's first, still untouched paragraph, or a new one after it."""
    first = cell.paragraphs[0]
    fresh = len(cell.paragraphs) == 1 and first._p.pPr is None
    return _line(first if fresh else cell.add_paragraph(), align)


def _write(cell: _Cell, text: str, look: Look) -> None:
    _run(_cell_paragraph(cell, WD_ALIGN_PARAGRAPH.CENTER), text, look)


def _rule(paragraph: DocxParagraph, room: Length, width: Length) -> None:
    """A short centred rule: the bottom border of a paragraph indented to `width`."""
    _line(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph.paragraph_format.left_indent = Length((room - width) // 2)
    paragraph.paragraph_format.right_indent = Length((room - width) // 2)
    paragraph.paragraph_format.line_spacing = Pt(6)  # room below the descenders above
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement(
        "w:bottom",
        {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"},
    )
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr"
    )


def _mark(cell: _Cell, mark: str | None, look: Look, room: Length) -> None:
    if mark is None:
        _rule(_cell_paragraph(cell, WD_ALIGN_PARAGRAPH.CENTER), room, Mm(30))
    else:
        _write(cell, mark, look)


def _letterhead_table(document: DocxDocument, letterhead: Letterhead, fmt: _Format) -> None:
    """Two rows so that the number and the date line up: issuer | heading, number | date."""
    table = _table(document, 2, HEADER_WIDTHS)
    issuer, heading = table.rows[0].cells
    if letterhead.issuer_parent:
        _write(issuer, letterhead.issuer_parent.upper(), fmt.parent)
    _write(issuer, letterhead.issuer.upper(), fmt.issuer)
    _mark(issuer, fmt.issuer_mark, fmt.issuer, HEADER_WIDTHS[0])
    for text, look in fmt.heading:
        _write(heading, text, look)
    if fmt.heading_rule:
        _rule(_cell_paragraph(heading, WD_ALIGN_PARAGRAPH.CENTER), HEADER_WIDTHS[1], Mm(55))
    number, dated = table.rows[1].cells
    _write(number, letterhead.number, fmt.number)
    _write(dated, place_and_date(letterhead), fmt.date)
    number.paragraphs[0].paragraph_format.space_before = Pt(6)
    dated.paragraphs[0].paragraph_format.space_before = Pt(6)


def place_and_date(letterhead: Letterhead) -> str:
    """ "Nghệ An, ngày 02 tháng 10 năm 2025": a day below 10 and a month below 3 take a leading
    zero (both formats). With no signing date, what the profile leaves blank to be filled in
    by hand (the day, or the day and the month) is blank; the rest is today's."""
    on = letterhead.signed_on
    blank = " " * 6
    if on is None and letterhead.date_line != "filled":
        today = timezone.localdate()
        month = f" {_month(today)} " if letterhead.date_line == "day" else blank
        return f"{letterhead.place}, ngày{blank}tháng{month}năm {today.year}"
    on = on or timezone.localdate()
    return f"{letterhead.place}, ngày {on.day:02d} tháng {_month(on)} năm {on.year}"


def _month(on: date) -> str:
    return f"{on.month:02d}" if on.month < 3 else str(on.month)


# --- the title and the body ------------------------------------------------------------------


def _title(document: DocxDocument, content: ReportContent, fmt: _Format) -> None:
    title = _line(document.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = Pt(18)
    _run(title, content.title, fmt.title)
    subject = content.subject
    if fmt.subject_capital:
        subject = subject[:1].upper() + subject[1:]
    _run(_line(document.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER), subject, fmt.subject)
    mark = _line(document.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER)
    if fmt.subject_mark is None:
        _rule(mark, Mm(165), Mm(40))
    else:
        _run(mark, fmt.subject_mark, fmt.subject)
    mark.paragraph_format.space_after = Pt(12)


def _body(document: DocxDocument, content: ReportContent, letterhead: Letterhead) -> None:
    paragraphs = list(content.body)
    if letterhead.basis:
        paragraphs.insert(0, Paragraph(letterhead.basis))
    notes = _Notes(
        _footnotes_part(document), document.styles[FOOTNOTE_REFERENCE].style_id, count(1)
    )
    for index, item in enumerate(paragraphs):
        # The last paragraph keeps with the signature block: never a page of signature alone.
        paragraph = _body_paragraph(
            document, item, notes, last=index == len(paragraphs) - 1, compact=content.compact
        )
        for text in item.footnotes:
            notes.add(paragraph, text)


@dataclass
class _Notes:
    """The footnotes part, the reference style (looked up once, not per note) and the next
    number, in document order."""

    part: BaseOxmlElement
    style: str
    numbers: Iterator[int]

    def add(self, paragraph: DocxParagraph, text: str) -> None:
        _footnote(paragraph, self.part, next(self.numbers), text, self.style)


def _body_paragraph(
    document: DocxDocument,
    item: Paragraph,
    notes: _Notes,
    *,
    last: bool = False,
    compact: bool = False,
) -> DocxParagraph:
    look = BODY_LOOKS[item.style]
    look = replace(
        look,
        size=COMPACT_SIZE if compact else look.size,
        bold=look.bold or item.bold,
        italic=look.italic or item.italic,
    )
    paragraph = document.add_paragraph()
    # Headings, labels and bold lead-in lines ("- Hạ tầng …:") never end a page alone.
    keep = item.style.startswith("heading") or item.style == "label" or item.bold or last
    paragraph._p.insert(0, deepcopy(_body_layout(keep, compact)))
    if not item.spans:
        _run(paragraph, item.text, look)
    for span in item.spans:
        _run(
            paragraph,
            span.text,
            replace(look, bold=look.bold or span.bold, italic=look.italic or span.italic),
        )
        if span.note:
            notes.add(paragraph, span.note)
    return paragraph


@lru_cache(maxsize=4)
def _body_layout(keep_with_next: bool, compact: bool = False) -> BaseOxmlElement:
    """A body paragraph's w:pPr, built once and copied (see `_format_run`); a compact one (the
    one-page brief) tighter."""
    p = OxmlElement("w:p")
    layout = ParagraphFormat(p)
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.first_line_indent = Cm(1)
    layout.space_before, layout.space_after = Pt(0), Pt(3 if compact else 6)
    layout.line_spacing = 1.0 if compact else 1.15
    layout.keep_with_next = keep_with_next
    return p.get_or_add_pPr()  # type: ignore[attr-defined]


# --- footnotes -------------------------------------------------------------------------------

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)


def _rfonts() -> str:
    return (
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:sz w:val="{FOOTNOTE_SIZE * 2}"/><w:szCs w:val="{FOOTNOTE_SIZE * 2}"/>'
    )


def _footnotes_part(document: DocxDocument) -> BaseOxmlElement:
    """The document's footnotes part (word/footnotes.xml with the two separators Word expects),
    related to the main part; its content type is written from the part when saving."""
    element = parse_xml(f"<w:footnotes {nsdecls('w')}>{_SEPARATORS}</w:footnotes>")
    main = document.part
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, main.package)
    main.relate_to(part, RT.FOOTNOTES)
    return element


def _footnote(
    paragraph: DocxParagraph, notes: BaseOxmlElement, number: int, text: str, style: str
) -> None:
    """The reference (in the character style `style`) at the paragraph's end, and the note
    (size 10, justified) in the part."""
    run = paragraph.add_run()
    _format_run(run, BODY_LOOKS["body"], style, superscript=True)
    run._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(number)}))
    notes.append(
        parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"/>'
            f'<w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{style}"/>{_rfonts()}'
            '<w:vertAlign w:val="superscript"/>'
            f"</w:rPr><w:footnoteRef/></w:r><w:r><w:rPr>{_rfonts()}</w:rPr>"
            f'<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    )


# --- the signature and the page numbers ------------------------------------------------------


def _signature_table(document: DocxDocument, letterhead: Letterhead, fmt: _Format) -> None:
    spacer = document.add_paragraph().paragraph_format
    spacer.space_after = Pt(0)
    spacer.keep_with_next = True  # with the last paragraph before it, onto the signature's page
    recipients, signature = _table(document, 1, SIGNATURE_WIDTHS).rows[0].cells
    _run(_cell_paragraph(recipients, WD_ALIGN_PARAGRAPH.LEFT), "Nơi nhận:", fmt.recipients_label)
    for name in letterhead.recipients:
        text = name if name.startswith("-") else f"- {name}"
        _run(_cell_paragraph(recipients, WD_ALIGN_PARAGRAPH.LEFT), text, fmt.recipient)
    for text in _signature_lines(letterhead):
        _write(signature, text, fmt.signer)


def _signature_lines(letterhead: Letterhead) -> Iterator[str]:
    yield letterhead.signer_capacity
    yield letterhead.signer_title
    yield from [""] * SIGNATURE_SPACE
    yield letterhead.signer_name


# A complex field: begin, instruction, separator, the shown result (updated on opening), end.
_PAGE_FIELD = (
    ("w:fldChar", "begin"),
    ("w:instrText", " PAGE "),
    ("w:fldChar", "separate"),
    ("w:t", "2"),
    ("w:fldChar", "end"),
)


def _page_numbers(section: Section) -> None:
    """A PAGE field centred in the header from page 2 on; the first page's header is empty."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = _line(section.header.paragraphs[0], WD_ALIGN_PARAGRAPH.CENTER)
    for tag, value in _PAGE_FIELD:
        run = paragraph.add_run()
        _format_run(run, BODY_LOOKS["body"])
        if tag == "w:fldChar":
            run._r.append(OxmlElement(tag, {qn("w:fldCharType"): value}))
        else:
            element = OxmlElement(tag, {qn("xml:space"): "preserve"})
            element.text = value
            run._r.append(element)
