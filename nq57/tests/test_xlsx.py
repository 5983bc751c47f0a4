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
