"""Generating one report file: compute the content, then lay it out in the requested format.
The one path shared by the background job (documents.generation.run_report) and the CLI
(`manage.py build_report`), so both produce the same file from the same data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext as _

from documents import annexes, composer, pdf, word
from documents.content import Kind, Letterhead, ReportContent
from documents.models import Format
from org.models import Unit
from periods.models import Period

Progress = Callable[[int, str], None]


def _silent(percent: int, stage: str) -> None:
    """No one is watching (the CLI without a progress bar)."""


def build(
    *,
    kind: Kind,
    period: Period,
    unit: Unit,
    as_of: date,
    fmt: str,
    letterhead: Letterhead,
    progress: Progress | None = None,
) -> tuple[bytes, ReportContent]:
    """The file's bytes in `fmt` (docx, xlsx annexes, or pdf from the docx) and the content it
    was made from. `progress(percent, stage)` is called before each step."""
    report = progress or _silent
    report(5, _("Đang tính số liệu"))
    content = composer.build_content(kind=kind, period=period, unit=unit, as_of=as_of)
    if fmt == Format.XLSX:
        report(50, _("Đang lập phụ lục Excel"))
        return annexes.build_annexes(period=period, unit=unit, as_of=as_of), content
    report(50, _("Đang soạn văn bản Word"))
    docx = word.render_docx(content, letterhead)
    if fmt == Format.PDF:
        report(70, _("Đang chuyển sang PDF"))
        return pdf.to_pdf(docx), content
    return docx, content
