import io

from openpyxl import load_workbook

from nq57.xlsx import build_workbook, read_rows


def test_text_that_looks_like_a_formula_stays_text() -> None:
    evil = '=HYPERLINK("http://evil.example/","Bấm")'
    content = build_workbook("Trang", ["A", "B"], [[evil, "-5 ngày"]])
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.data_type == "s" and cell.value == evil
    rows = read_rows(io.BytesIO(content), "Trang", ["A", "B"])
    assert rows == [(2, {"A": evil, "B": "-5 ngày"})]


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
