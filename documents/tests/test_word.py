"""The Word rendering, read back with python-docx: page, fonts, letterhead, body, footnotes,
signature and page numbers in both official formats."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt

from documents.content import Kind, Letterhead, Paragraph, ReportContent, Span
from documents.tests.reading import footnote_texts
from documents.word import FONT, place_and_date, render_docx
from org.models import Unit, UnitType
from periods.models import Period, PeriodKind

RECIPIENTS = ("Văn phòng Trung ương Đảng,", "Thường trực Tỉnh ủy,", "Lưu Văn phòng Tỉnh ủy.")
PARTY = Letterhead(
    style="party",
    issuer="Tỉnh ủy Nghệ An",
    number="Số      -BC/TU",
    place="Nghệ An",
    signed_on=date(2025, 10, 2),
    signer_capacity="T/M BAN THƯỜNG VỤ",
    signer_title="PHÓ BÍ THƯ",
    signer_name="Võ Thị Minh Sinh",
    recipients=RECIPIENTS,
    basis="Thực hiện Công văn số 17997-CV/VPTW, ngày 30/9/2025 của Văn phòng Trung ương Đảng.",
)
STATE = Letterhead(
    style="state",
    issuer="Sở Khoa học và Công nghệ",
    number="Số:       /BC-SKHCN",
    place="Nghệ An",
    signed_on=None,
    signer_capacity="KT. GIÁM ĐỐC",
    signer_title="PHÓ GIÁM ĐỐC",
    signer_name="Nguyễn Văn A",
    recipients=("UBND tỉnh;", "Lưu: VT."),
    issuer_parent="UBND tỉnh Nghệ An",
)
BODY = [
    Paragraph("I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT QUÝ III NĂM 2025", style="heading1"),
    Paragraph("1. Về công tác chỉ đạo, điều hành", style="heading2"),
    Paragraph("a) Thống kê số nhiệm vụ", style="heading3"),
    Paragraph("Kết quả thực hiện từ đầu năm đến nay:", key="intro"),
    Paragraph("- Nhóm nhiệm vụ theo Nghị quyết số 71/NQ-CP:", style="item", bold=True),
    Paragraph(
        "+ Nhiệm vụ chưa thực hiện trong hạn: 01/21.",
        style="subitem",
        footnotes=("Nhiệm vụ: Xây dựng Đề án bản sao số <thí điểm> & đề nghị đưa ra.",),
        key="nq71.not_on_time",
    ),
    Paragraph("Nhận xét, đánh giá chung:", italic=True),
    Paragraph(
        "+ Nhiệm vụ năm 2025 chưa thực hiện trong hạn: 01/82.",
        style="subitem",
        footnotes=("Đề án Phát triển thành phố Vinh: tạm dừng.", "Không còn cấp thành phố Vinh."),
    ),
]


def content(body: list[Paragraph] = BODY) -> ReportContent:
    period = Period(code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025")
    return ReportContent(
        kind=Kind.QUARTERLY,
        period=period,
        unit=Unit(code="40", name="Tỉnh Nghệ An", unit_type=UnitType.PROVINCE),
        as_of=date(2025, 9, 30),
        title="BÁO CÁO",
        subject="tình hình thực hiện Nghị quyết số 57-NQ/TW\nQuý III/2025",
        body=body,
    )


def rendered(letterhead: Letterhead, body: list[Paragraph] = BODY) -> DocxDocument:
    return Document(io.BytesIO(render_docx(content(body), letterhead)))


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def body_texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def test_page_is_a4_with_official_margins() -> None:
    for letterhead in (PARTY, STATE):
        section = rendered(letterhead).sections[0]
        sizes = (section.page_width, section.page_height, section.top_margin)
        margins = (section.bottom_margin, section.left_margin, section.right_margin)
        # Word stores twentieths of a point: compare to the tenth of a millimetre.
        assert [round(length.mm, 1) for length in (*sizes, *margins)] == [210, 297, 20, 20, 30, 15]


def test_every_script_uses_times_new_roman() -> None:
    document = rendered(PARTY)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert {normal.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {FONT}
    assert normal.get(qn("w:asciiTheme")) is None
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and all(r._r.rPr.rFonts.get(qn("w:eastAsia")) == FONT for r in runs)


def test_party_letterhead_title_and_subject() -> None:
    document = rendered(PARTY)
    header = document.tables[0]
    assert lines(header.cell(0, 0)) == ["TỈNH ỦY NGHỆ AN", "*"]
    assert lines(header.cell(0, 1)) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert lines(header.cell(1, 0)) == ["Số      -BC/TU"]
    assert lines(header.cell(1, 1)) == ["Nghệ An, ngày 02 tháng 10 năm 2025"]
    party = header.cell(0, 1).paragraphs[0].runs[0].font
    assert (party.bold, party.underline, party.size) == (True, True, Pt(15))
    assert header.cell(1, 1).paragraphs[0].runs[0].font.italic
    title, subject, mark = document.paragraphs[:3]
    assert (title.text, title.runs[0].font.size, title.runs[0].font.bold) == (
        "BÁO CÁO",
        Pt(16),
        True,
    )
    assert subject.text == "tình hình thực hiện Nghị quyết số 57-NQ/TW\nQuý III/2025"
    assert mark.text == "-----"


def test_state_letterhead_has_the_national_name_and_rules() -> None:
    document = rendered(STATE)
    header = document.tables[0]
    assert lines(header.cell(0, 0)) == ["UBND TỈNH NGHỆ AN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert lines(header.cell(0, 1)) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    issuer_cell = header.cell(0, 0).paragraphs
    assert (issuer_cell[0].runs[0].font.bold, issuer_cell[1].runs[0].font.bold) == (False, True)
    assert issuer_cell[0].runs[0].font.size == Pt(13)
    for cell in (header.cell(0, 0), header.cell(0, 1)):  # a short rule under issuer and motto
        assert cell.paragraphs[-1]._p.find(f".//{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert lines(header.cell(1, 1)) == ["Nghệ An, ngày      tháng      năm 2025"]
    title, subject = document.paragraphs[:2]
    assert (title.text, title.runs[0].font.size) == ("BÁO CÁO", Pt(14))
    # Decree 30/2020: the subject starts with a capital ("Tình hình …")
    assert subject.text == "Tình hình thực hiện Nghị quyết số 57-NQ/TW\nQuý III/2025"


def test_body_in_order_with_basis_first_and_styles() -> None:
    document = rendered(PARTY)
    texts = body_texts(document)
    start = texts.index(PARTY.basis)
    assert texts[start + 1 : start + 1 + len(BODY)] == [p.text for p in BODY]
    by_text = {p.text: p for p in document.paragraphs}
    heading3 = by_text["a) Thống kê số nhiệm vụ"].runs[0].font
    assert (heading3.bold, heading3.italic) == (True, True)
    item = by_text["- Nhóm nhiệm vụ theo Nghị quyết số 71/NQ-CP:"].runs[0].font
    assert item.bold and not item.italic
    plain = by_text["Kết quả thực hiện từ đầu năm đến nay:"]
    layout = plain.paragraph_format
    assert round(layout.first_line_indent.mm, 1) == 10
    assert (layout.space_after, layout.line_spacing) == (Pt(6), 1.15)
    assert plain.runs[0].font.size == Pt(14)


def test_footnotes_are_word_footnotes_in_document_order() -> None:
    data = render_docx(content(), PARTY)
    document = Document(io.BytesIO(data))
    assert footnote_texts(document) == [
        "Nhiệm vụ: Xây dựng Đề án bản sao số <thí điểm> & đề nghị đưa ra.",
        "Đề án Phát triển thành phố Vinh: tạm dừng.",
        "Không còn cấp thành phố Vinh.",
    ]
    references = document.element.body.findall(f".//{qn('w:footnoteReference')}")
    assert [r.get(qn("w:id")) for r in references] == ["1", "2", "3"]
    anchored = {r.getparent().getparent() for r in references}  # run → paragraph
    assert len(anchored) == 2  # both notes of the last paragraph sit at its end
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml").decode()
        notes = package.read("word/footnotes.xml").decode()
        relations = package.read("word/_rels/document.xml.rels").decode()
    assert "/word/footnotes.xml" in types and "footnotes+xml" in types
    assert 'w:type="separator"' in notes and 'w:type="continuationSeparator"' in notes
    assert 'w:val="20"' in notes  # size 10
    assert "relationships/footnotes" in relations


def test_no_footnotes_reads_back_empty() -> None:
    assert footnote_texts(rendered(PARTY, [Paragraph("Không có chú thích.")])) == []


def test_signature_block_and_recipients() -> None:
    party = rendered(PARTY).tables[-1]
    assert lines(party.cell(0, 0)) == ["Nơi nhận:", *(f"- {r}" for r in RECIPIENTS)]
    label, first = party.cell(0, 0).paragraphs[:2]
    assert (label.runs[0].font.underline, label.runs[0].font.size) == (True, Pt(14))
    assert first.runs[0].font.size == Pt(12)
    signature = party.cell(0, 1).paragraphs
    assert [p.text for p in signature] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        *[""] * 4,
        "Võ Thị Minh Sinh",
    ]
    assert all(p.runs[0].font.bold for p in signature if p.text)
    state = rendered(STATE).tables[-1].cell(0, 0).paragraphs
    assert [p.text for p in state] == ["Nơi nhận:", "- UBND tỉnh;", "- Lưu: VT."]
    assert (state[0].runs[0].font.bold, state[0].runs[0].font.italic) == (True, True)
    assert (state[0].runs[0].font.size, state[1].runs[0].font.size) == (Pt(12), Pt(11))


def test_page_numbers_from_page_two() -> None:
    section = rendered(PARTY).sections[0]
    assert section._sectPr.find(qn("w:titlePg")) is not None
    assert not section.first_page_header.is_linked_to_previous
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    header = section.header._element
    instructions = [i.text.strip() for i in header.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    kinds = [f.get(qn("w:fldCharType")) for f in header.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


@pytest.mark.parametrize(
    ("signed_on", "expected"),
    [
        (date(2025, 10, 2), "Nghệ An, ngày 02 tháng 10 năm 2025"),
        (date(2025, 2, 15), "Nghệ An, ngày 15 tháng 02 năm 2025"),
        (date(2025, 3, 5), "Nghệ An, ngày 05 tháng 3 năm 2025"),
        (None, "Nghệ An, ngày      tháng      năm 2025"),  # the year of the frozen clock
    ],
)
def test_place_and_date(signed_on: date | None, expected: str) -> None:
    assert place_and_date(replace(PARTY, signed_on=signed_on)) == expected


@pytest.mark.parametrize(
    ("date_line", "expected"),
    [
        ("blank", "Nghệ An, ngày      tháng      năm 2025"),
        ("day", "Nghệ An, ngày      tháng 10 năm 2025"),  # the day left for the signer
        ("filled", "Nghệ An, ngày 02 tháng 10 năm 2025"),
    ],
)
def test_the_place_and_date_line_is_the_profiles(date_line: str, expected: str) -> None:
    letterhead = replace(PARTY, signed_on=None, date_line=date_line)  # type: ignore[arg-type]
    assert place_and_date(letterhead) == expected


def test_every_word_is_vietnamese_for_the_spelling_checker() -> None:
    """Word checks the spelling in the runs' language: the defaults every run inherits, and the
    theme's, say vi-VN (Word would otherwise mark every word of the report)."""
    data = render_docx(content(), PARTY)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("word/styles.xml").decode()
        settings = package.read("word/settings.xml").decode()
        core = package.read("docProps/core.xml").decode()
    assert 'w:lang w:val="vi-VN" w:eastAsia="vi-VN"' in styles and "en-US" not in styles
    assert 'w:themeFontLang w:val="vi-VN" w:eastAsia="vi-VN"' in settings
    assert "<dc:language>vi-VN</dc:language>" in core


@pytest.mark.parametrize(
    ("parent", "issuer", "lines_shown"),
    [
        ("ĐẢNG BỘ TỈNH NGHỆ AN", "TỈNH ỦY", ["ĐẢNG BỘ TỈNH NGHỆ AN", "TỈNH ỦY", "*"]),
        ("", "TỈNH ỦY NGHỆ AN", ["TỈNH ỦY NGHỆ AN", "*"]),
    ],
)
def test_both_header_forms_of_a_provincial_party_committee(
    parent: str, issuer: str, lines_shown: list[str]
) -> None:
    document = rendered(replace(PARTY, issuer_parent=parent, issuer=issuer))
    cell = document.tables[0].rows[0].cells[0]
    assert lines(cell) == lines_shown
    runs = [run for p in cell.paragraphs for run in p.runs if run.text]
    assert [bool(run.bold) for run in runs] == [text != parent for text in lines_shown]


def test_prose_spans_bold_italic_and_footnotes_where_they_stand() -> None:
    body = [
        Paragraph("Đầu.", footnotes=("Chú thích một.",)),
        Paragraph(
            "Chương trình 2026 - 2030. Đến nay đã xong.",
            spans=(
                Span("Chương trình ", bold=True),
                Span("2026 - 2030", note="Chú thích hai."),
                Span(". Đến nay "),
                Span("đã xong", italic=True),
                Span("."),
            ),
        ),
        Paragraph("Nhận xét, đánh giá chung:", style="label"),
        Paragraph("Cuối.", footnotes=("Chú thích ba.",)),
    ]
    document = rendered(PARTY, body)
    assert footnote_texts(document) == ["Chú thích một.", "Chú thích hai.", "Chú thích ba."]
    prose = next(p for p in document.paragraphs if p.text.startswith("Chương trình"))
    runs = prose._p.findall(qn("w:r"))
    texts = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in runs]
    reference = next(i for i, r in enumerate(runs) if r.find(qn("w:footnoteReference")) is not None)
    assert texts[reference - 1] == "2026 - 2030" and texts[reference + 1] == ". Đến nay "
    assert [run.bold for run in prose.runs if run.text == "Chương trình "] == [True]
    assert [run.italic for run in prose.runs if run.text == "đã xong"] == [True]
    label = next(p for p in document.paragraphs if p.text == "Nhận xét, đánh giá chung:")
    assert label.paragraph_format.keep_with_next and label.runs[0].bold and label.runs[0].italic


def test_the_last_paragraph_keeps_with_the_signature_block() -> None:
    document = rendered(PARTY)
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[-1].text.startswith("+ Nhiệm vụ năm 2025")
    assert paragraphs[-1].paragraph_format.keep_with_next
    spacer = document.paragraphs[-1]  # the empty line before the signature table
    assert spacer.text == "" and spacer.paragraph_format.keep_with_next
    assert not paragraphs[-3].paragraph_format.keep_with_next  # an ordinary body paragraph
