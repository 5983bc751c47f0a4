"""PDF through LibreOffice: a real conversion when it is installed, and the messages otherwise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from documents.content import Paragraph
from documents.pdf import PdfFailed, PdfUnavailable, pdf_available, to_pdf
from documents.tests.pages import (
    page_count,
    page_text,
    require_renderers,
    signature_page_holds_text,
    to_pdfs,
)
from documents.tests.test_word import BODY, PARTY, content
from documents.word import render_docx

needs_libreoffice = pytest.mark.skipif(
    not pdf_available(), reason="LibreOffice (soffice) is not installed on this machine"
)


@needs_libreoffice
def test_a_rendered_report_converts_to_pdf() -> None:
    pdf = to_pdf(render_docx(content(), PARTY))
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    assert len(pages) >= 1


def test_a_failed_conversion_logs_stderr_and_tells_people_plainly(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    broken.chmod(0o755)
    settings.LIBREOFFICE = str(broken)
    with pytest.raises(PdfFailed) as failed:
        to_pdf(render_docx(content(), PARTY))
    assert str(failed.value) == "Máy chủ không chuyển được báo cáo sang PDF; hãy tải bản DOCX."
    assert "source file could not be loaded" in caplog.text


def test_missing_libreoffice_says_so_in_vietnamese(settings: Any) -> None:
    settings.LIBREOFFICE = "/nonexistent/soffice"
    assert not pdf_available()
    with pytest.raises(PdfUnavailable, match="chưa cài LibreOffice"):
        to_pdf(b"")


def _filled(lines: int) -> bytes:
    """The sample report with `lines` more paragraphs: enough of them to cross a page."""
    extra = [
        Paragraph(f"Đoạn thứ {n}: nội dung báo cáo minh họa để lấp đầy trang và kiểm tra vị trí.")
        for n in range(1, lines + 1)
    ]
    return render_docx(content([*BODY, *extra]), PARTY)


def test_no_page_holds_only_the_signature(tmp_path: Path) -> None:
    """Reports of growing length, rendered DOCX → PDF → page image: whichever length pushes the
    signature block over a page, its last paragraph goes with it."""
    require_renderers()
    lengths = range(33, 41)
    pdfs = to_pdfs([_filled(n) for n in lengths], tmp_path)
    counts = {page_count(pdf) for pdf in pdfs}
    assert len(counts) > 1, "the lengths tried must cross a page"
    for n, pdf in zip(lengths, pdfs, strict=True):
        assert signature_page_holds_text(pdf), n  # read from the page's image
        assert f"Đoạn thứ {n}:" in page_text(pdf, page_count(pdf)), n
