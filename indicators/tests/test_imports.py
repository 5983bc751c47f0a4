"""XLSX import of figures: all rows or none, every bad row named, dry run, the rules."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from indicators.imports import (
    HEADERS,
    ImportSummary,
    import_value_rows,
    parse_value_file,
    value_template,
)
from indicators.models import (
    ConfirmedWarning,
    DataElement,
    DataValue,
    RuleKind,
    ValidationRule,
    ValueType,
)
from indicators.tests.conftest import element
from nq57.xlsx import ImportRejected
from org import access
from org.access import Action
from org.models import Unit, User
from org.tests.conftest import People, Tree
from periods.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def elements(people: People) -> list[DataElement]:
    return [
        element(people, "HS_TONG"),
        element(people, "HS_TT"),
        element(people, "TL_THE", ValueType.PERCENT),
        element(people, "KE_HOACH", ValueType.TEXT),
    ]


def workbook(sheets: dict[str, Sequence[Sequence[Any]]]) -> io.BytesIO:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([*HEADERS, "Ghi chú"])
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def may_report(actor: User, unit: Unit, period: Period) -> None:
    """The rights half of the guard the real import is given (reporting.services.
    check_figures_editable, which also locks submitted reports and closed periods: tested with
    the import's page and command in reporting/tests/test_figure_lock.py)."""
    access.authorize(actor, Action.REPORT, unit)


def run(
    people: People,
    sheets: dict[str, Sequence[Sequence[Any]]],
    dry_run: bool = False,
    **confirm: Any,
) -> ImportSummary:
    rows = parse_value_file(workbook(sheets))
    return import_value_rows(
        actor=people.reporter, rows=rows, guard=may_report, dry_run=dry_run, **confirm
    )


GOOD = [
    ("16681", "HS_TONG", 120, "quý 3"),
    ("16681", "HS_TT", 70),
    ("16681", "TL_THE", "74,13"),
    ("16681", "KE_HOACH", "Đã ban hành"),
]


def test_import_creates_then_updates_then_changes_nothing(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    summary = run(people, {"2025-Q3": GOOD})
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    values = {
        v.element.code: (v.value, v.text) for v in DataValue.objects.select_related("element")
    }
    assert values == {
        "HS_TONG": (Decimal(120), ""),
        "HS_TT": (Decimal(70), ""),
        "TL_THE": (Decimal("74.13"), ""),
        "KE_HOACH": (None, "Đã ban hành"),
    }
    again = run(people, {"2025-Q3": [*GOOD[:1], ("16681", "HS_TT", 71), *GOOD[2:]]})
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)


def test_a_bad_import_changes_nothing_and_names_every_row(
    tree: Tree, people: People, q2: Period, q3: Period, elements: list[DataElement]
) -> None:
    run(people, {"2025-Q2": [("16681", "HS_TONG", 100)]})
    before = list(DataValue.objects.values_list("pk", "value"))
    sheets = {
        "2025-Q3": [
            ("16681", "HS_TONG", 120),  # fine, but not saved
            ("99999", "HS_TONG", 1),  # row 3: unknown unit
            ("16681", "NOPE", 1),  # row 4: unknown element
            ("16681", "HS_TT", "nhiều"),  # row 5: text in a number cell
            ("16681", "TL_THE", -5),  # row 6: a percent below 0
        ],
        "2025-Q2": [("16681", "HS_TONG", -1)],  # row 2: negative count
        "2024-Q9": [("16681", "HS_TONG", 1)],  # no such period
        "2025-Q1": [("16690", "HS_TONG", 1)],  # not the reporter's unit — and no such period
    }
    with pytest.raises(ImportRejected) as caught:
        run(people, sheets)
    errors = [(e.row, e.column, e.message) for e in caught.value.errors]
    messages = [f"{row} {column} {message}" for row, column, message in errors]
    expected = [
        ("3", "Mã đơn vị", "Trang “2025-Q3”: Không có đơn vị mã “99999”"),
        ("4", "Mã số liệu", "Trang “2025-Q3”: Không có số liệu mã “NOPE”"),
        ("5", "Giá trị", "Trang “2025-Q3”: Cần một số, không phải chữ: “nhiều”"),
        ("6", "Giá trị", "Trang “2025-Q3”: Tỷ lệ phần trăm phải từ 0 đến 100"),
        ("2", "Giá trị", "Trang “2025-Q2”: Số đếm phải là số nguyên không âm"),
        ("2", "Mã đơn vị", "Trang “2024-Q9”: Không có kỳ báo cáo “2024-Q9”"),
    ]
    for row, column, text in expected:
        assert any(m.startswith(f"{row} {column} {text}") for m in messages), (text, messages)
    assert list(DataValue.objects.values_list("pk", "value")) == before
    assert DataValue.objects.count() == 1


def test_rights_are_checked_per_row(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    with pytest.raises(ImportRejected) as caught:
        run(people, {"2025-Q3": [("16681", "HS_TONG", 1), ("16690", "HS_TONG", 1)]})
    [error] = caught.value.errors
    assert error.row == 3 and "không được nhập số liệu" in error.message
    assert not DataValue.objects.exists()


def test_error_rules_block_the_import_by_row(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    total, part = elements[0], elements[1]
    parts_rule = ValidationRule.objects.create(code="HS_CONG", kind=RuleKind.PARTS_SUM, total=total)
    parts_rule.parts.set([part])
    ValidationRule.objects.create(
        code="HS_MAX", kind=RuleKind.RANGE, severity="warning", element=part, max_value=50
    )
    with pytest.raises(ImportRejected) as caught:
        run(people, {"2025-Q3": [("16681", "HS_TT", 70), ("16681", "HS_TONG", 120)]})
    error, warning = caught.value.errors  # the error; the warning, not confirmed
    assert error.row == 3 and "Tổng các phần (70) khác tổng số (120)" in error.message
    assert warning.row == 2 and "Cảnh báo" in warning.message and "xác nhận" in warning.message
    assert not DataValue.objects.exists()
    # confirmed with a comment, the error still refuses the file
    with pytest.raises(ImportRejected) as still:
        run(people, {"2025-Q3": [("16681", "HS_TT", 70), ("16681", "HS_TONG", 120)]},
            accept_warnings=True, comment="Đúng")  # fmt: skip
    assert [e.row for e in still.value.errors] == [3]
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()


def test_a_warning_refuses_the_file_unless_confirmed_with_a_comment(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    ValidationRule.objects.create(
        code="HS_MAX", kind=RuleKind.RANGE, severity="warning", element=elements[1],
        max_value=50,
    )  # fmt: skip
    sheets = {"2025-Q3": [("16681", "HS_TT", 70), ("16681", "HS_TONG", 70)]}
    for confirm in ({}, {"accept_warnings": True, "comment": "  "}, {"comment": "Đúng"}):
        with pytest.raises(ImportRejected) as caught:
            run(people, sheets, **confirm)
        [warning] = caught.value.errors
        assert warning.row == 2 and warning.column == "Giá trị"
        assert "HS_TT: giá trị (70) ngoài khoảng cho phép" in warning.message
        with pytest.raises(ImportRejected):  # the dry run says the same
            run(people, sheets, dry_run=True, **confirm)
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()
    comment = "Số liệu đã đối chiếu với sổ tiếp nhận"
    summary = run(people, sheets, accept_warnings=True, comment=comment)
    assert summary.created == 2 and len(summary.warnings) == 1
    confirmation = ConfirmedWarning.objects.get()
    assert (confirmation.comment, confirmation.confirmed_by) == (comment, people.reporter)
    assert confirmation.element == elements[1] and confirmation.unit == tree.commune
    reasons = {v.history.get().history_change_reason for v in DataValue.objects.all()}
    assert reasons == {comment}


def test_dry_run_saves_nothing(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    summary = run(people, {"2025-Q3": GOOD}, dry_run=True)
    assert summary.created == 4
    assert not DataValue.objects.exists()


def test_parse_names_blank_codes_duplicates_and_unclear_numbers(
    tree: Tree, people: People, q3: Period, elements: list[DataElement]
) -> None:
    rows = parse_value_file(
        workbook(
            {
                "2025-Q3": [
                    ("", "HS_TONG", 1),
                    ("16681", "HS_TT", "181.580"),
                    ("16681", "HS_TONG", 1),
                    ("16681", "HS_TONG", 2),
                ]
            }
        )
    )
    problems = {(e.row, e.column) for r in rows for e in r.errors}
    assert problems == {(2, "Mã đơn vị"), (3, "Giá trị"), (4, "Mã số liệu"), (5, "Mã số liệu")}
    with pytest.raises(ImportRejected):
        import_value_rows(actor=people.reporter, rows=rows, guard=may_report)
    assert not DataValue.objects.exists()


def test_not_a_workbook() -> None:
    with pytest.raises(ImportRejected, match="không phải là bảng tính XLSX"):
        parse_value_file(io.BytesIO(b"not a zip"))


def test_template_has_the_columns(q3: Period) -> None:
    book = load_workbook(io.BytesIO(value_template()))
    assert book.sheetnames == ["2025-Q3"]
    assert [c.value for c in book["2025-Q3"][1]] == [*HEADERS, "Ghi chú"]


def test_command(
    tree: Tree, people: People, q3: Period, elements: list[DataElement], tmp_path: Path
) -> None:
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(workbook({"2025-Q3": GOOD}).getvalue())
    out = io.StringIO()
    call_command("import_values", str(path), "--dry-run", "--user", "bc", stdout=out)
    assert "Dry run" in out.getvalue() and "created 4" in out.getvalue()
    assert not DataValue.objects.exists()
    call_command("import_values", str(path), "--user", "bc", stdout=out)
    assert DataValue.objects.count() == 4
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook({"2025-Q3": [("16681", "NOPE", 1)]}).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_values", str(bad), "--user", "bc", stdout=out, stderr=err)
    assert "Dòng 2" in err.getvalue()


def test_command_confirms_warnings_only_with_a_comment(
    tree: Tree, people: People, q3: Period, elements: list[DataElement], tmp_path: Path
) -> None:
    ValidationRule.objects.create(
        code="HS_MAX", kind=RuleKind.RANGE, severity="warning", element=elements[1], max_value=50
    )
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(workbook({"2025-Q3": [("16681", "HS_TT", 70)]}).getvalue())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_values", str(path), "--user", "bc", stdout=out, stderr=err)
    assert "Cảnh báo: HS_TT: giá trị (70) ngoài khoảng cho phép" in err.getvalue()
    with pytest.raises(CommandError, match="needs --comment"):
        call_command("import_values", str(path), "--user", "bc", "--accept-warnings")
    assert not DataValue.objects.exists() and not ConfirmedWarning.objects.exists()
    call_command(
        "import_values", str(path), "--user", "bc", "--accept-warnings",
        "--comment", "Đã đối chiếu", stdout=out, stderr=err,
    )  # fmt: skip
    assert "warnings 1" in out.getvalue() and "Cảnh báo đã xác nhận" in err.getvalue()
    assert ConfirmedWarning.objects.get().comment == "Đã đối chiếu"
    assert DataValue.objects.get().history.get().history_change_reason == "Đã đối chiếu"
