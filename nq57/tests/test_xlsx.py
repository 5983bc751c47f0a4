import io
from datetime import date, datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from nq57.xlsx import (
    ImportRejected,
    RowError,
    build_workbook,
    cell_date,
    date_text,
    read_rows,
    run_import,
)


def test_text_that_looks_like_a_formula_stays_text() -> None:
    evil = '=HYPERLINK("http://evil.example/","Bấm")'
    content = build_workbook("Trang", ["A", "B"], [[evil, "-5 ngày"]])
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.data_type == "s" and cell.value == evil
    rows = read_rows(io.BytesIO(content), "Trang", ["A", "B"])
    assert rows == [(2, {"A": evil, "B": "-5 ngày"})]


def test_an_optional_column_the_file_lacks_is_left_out_of_its_rows() -> None:
    """So the caller tells a column the file lacks (kept as is) from an empty cell (cleared)."""
    content = build_workbook("Trang", ["A", "B"], [["x", None]])
    rows = read_rows(io.BytesIO(content), "Trang", ["A"], optional=["B", "C"])
    assert rows == [(2, {"A": "x", "B": None})]


def test_office_files_are_checked_inside_the_zip() -> None:
    import zipfile

    import pytest
    from django import forms
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nq57.uploads import checked_upload

    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: X")
    with pytest.raises(forms.ValidationError):
        checked_upload(SimpleUploadedFile("bao-cao.docx", jar.getvalue()))
    workbook = build_workbook("Trang", ["A"], [])
    assert checked_upload(SimpleUploadedFile("so-lieu.xlsx", workbook)) == "so-lieu.xlsx"


# --- the one import runner -------------------------------------------------------------------


def _group_import(codes: list[str], *, dry_run: bool = False) -> None:
    """Groups by name, through run_import: "" is a bad cell, "X" a refusal of the write."""

    def checked(code: str) -> list[RowError]:
        return [] if code else [RowError(codes.index(code) + 2, "Mã", "trống")]

    def apply(code: str) -> None:
        Group.objects.create(name=code)
        if code == "X":
            raise ValidationError("không nhận")

    def problems(code: str, exc: Exception) -> list[RowError]:
        return [RowError(codes.index(code) + 2, "Mã", str(exc))]

    run_import(codes, checked=checked, apply=apply, problems=problems, dry_run=dry_run)


@pytest.mark.django_db
def test_run_import_saves_all_rows_or_none_and_names_every_bad_one() -> None:
    _group_import(["A", "B"])
    assert set(Group.objects.values_list("name", flat=True)) == {"A", "B"}
    with pytest.raises(ImportRejected) as caught:
        _group_import(["C", "", "X", "D"])
    assert [e.row for e in caught.value.errors] == [3, 4]  # the blank cell, the refused write
    assert set(Group.objects.values_list("name", flat=True)) == {"A", "B"}


@pytest.mark.django_db
def test_run_import_dry_run_does_the_work_then_rolls_it_back() -> None:
    _group_import(["C", "D"], dry_run=True)  # no error: both rows were written, then undone
    assert not Group.objects.exists()
    with pytest.raises(ImportRejected):
        _group_import(["C", "X"], dry_run=True)  # a dry run names the refusals like a real one


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (None, None),
        ("", None),
        (datetime(2025, 10, 2, 0, 0), date(2025, 10, 2)),  # a date cell, as openpyxl reads it
        (date(2025, 10, 2), date(2025, 10, 2)),
        (" 02/10/2025 ", date(2025, 10, 2)),  # typed as text
    ],
)
def test_a_date_cell_is_read_whether_a_date_or_typed(value: object, read: date | None) -> None:
    assert cell_date(value) == read


@pytest.mark.parametrize("typed", ["31/02/2025", "2025-10-02", "2/10"])
def test_a_date_typed_otherwise_is_refused_naming_it(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        cell_date(typed)
    assert refused.value.messages == [f"Ngày không hợp lệ (cần dd/mm/yyyy): “{typed}”."]


def test_exports_write_dates_the_vietnamese_way() -> None:
    assert date_text(date(2025, 10, 2)) == "02/10/2025"
    assert date_text(None) == ""
    assert cell_date(date_text(date(2025, 10, 2))) == date(2025, 10, 2)  # read back as written
