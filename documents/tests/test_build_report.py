"""`manage.py build_report`: the same build as the job, straight to a file, with clear errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from documents.content import Kind
from documents.models import DocumentProfile, GeneratedReport
from org.tests.conftest import Tree

pytestmark = pytest.mark.usefixtures("profiles", "quarter", "month")


def _build(tmp_path: Path, *args: str) -> tuple[Path, str]:
    output = tmp_path / "report.out"
    out = io.StringIO()
    call_command("build_report", *args, "--output", str(output), stdout=out)
    return output, out.getvalue()


def test_quarterly_docx(tmp_path: Path) -> None:
    output, said = _build(
        tmp_path, "--kind", "quarterly", "--period", "2025-Q3", "--format", "docx"
    )
    document = Document(str(output))
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    header = " ".join(cell.text for table in document.tables for cell in table._cells)
    assert "TỈNH ỦY NGHỆ AN" in header and "Võ Thị Minh Sinh" in header
    assert said.startswith(f"Wrote {output} (") and said.rstrip().endswith(" s.")
    assert not GeneratedReport.objects.exists()  # no job row: the CLI builds directly


def test_monthly_xlsx_and_a_units_report(tmp_path: Path, tree: Tree) -> None:
    output, _said = _build(tmp_path, "--kind", "monthly", "--period", "2025-09", "--format", "xlsx")
    assert load_workbook(io.BytesIO(output.read_bytes())).sheetnames
    args = ("--kind", "unit", "--period", "2025-Q3", "--unit", "16681", "--as-of", "2025-08-31")
    output, _said = _build(tmp_path, *args, "--format", "docx")
    assert "BÁO CÁO" in [p.text for p in Document(str(output)).paragraphs]


ERRORS = [
    (("--kind", "quarterly", "--period", "2030-Q1"), "Unknown period '2030-Q1'."),
    (("--kind", "unit", "--period", "2025-Q3", "--unit", "NOPE"), "Unknown unit 'NOPE'."),
    (("--kind", "unit", "--period", "2025-Q3"), "A unit's report needs --unit CODE."),
    (
        ("--kind", "quarterly", "--period", "2025-Q3", "--unit", "SKHCN"),
        "This kind of report is the province's: omit --unit.",
    ),
    (
        ("--kind", "monthly", "--period", "2025-Q3"),
        "Báo cáo tháng phải chọn kỳ theo tháng (ví dụ 2025-09).",
    ),
    (
        ("--kind", "quarterly", "--period", "2025-09"),
        "Báo cáo quý phải chọn kỳ theo quý (ví dụ 2025-Q3).",
    ),
    (
        ("--kind", "quarterly", "--period", "2025-Q3", "--as-of", "2025-12-01"),
        "Ngày số liệu không được sau hôm nay.",
    ),
]


@pytest.mark.parametrize(("args", "message"), ERRORS)
def test_clear_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        _build(tmp_path, *args, "--format", "docx")
    assert str(refused.value) == message
    assert not (tmp_path / "report.out").exists()


def test_no_letterhead_yet(tmp_path: Path) -> None:
    DocumentProfile.objects.filter(kind=Kind.MONTHLY).delete()
    with pytest.raises(CommandError, match="Chưa nhập thông tin ban hành"):
        _build(tmp_path, "--kind", "monthly", "--period", "2025-09", "--format", "docx")


def test_pdf_without_libreoffice(tmp_path: Path, settings: Any) -> None:
    settings.LIBREOFFICE = "/nonexistent/soffice"
    with pytest.raises(CommandError) as refused:
        _build(tmp_path, "--kind", "quarterly", "--period", "2025-Q3", "--format", "pdf")
    assert str(refused.value) == (
        "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; hãy tải bản DOCX."
    )
