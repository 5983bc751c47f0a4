"""XLSX in and out, shared by every import and export (accounts, units, tasks, figures).

Imports are all-or-nothing: readers collect every problem as a RowError, and `run_import` applies
the rows in one transaction that it rolls back when any row was refused (or for a dry run), so
ImportRejected always means nothing was saved.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_FORMULA_STARTS = ("=", "+", "-", "@")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based row number as Excel shows it; 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        return _("Dòng %(row)s, cột “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRejected(Exception):
    """Nothing was saved; `errors` names every bad row and column."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = list(errors)


Row = TypeVar("Row")
# What a service raises to refuse one row: its problems are named, the other rows still checked.
ROW_REFUSALS = (ImportRejected, ValidationError, PermissionDenied, Http404)


def run_import(
    rows: Sequence[Row],
    *,
    checked: Callable[[Row], Sequence[RowError]],
    apply: Callable[[Row], None],
    problems: Callable[[Row, Exception], Sequence[RowError]],
    finish: Callable[[Sequence[Row]], Sequence[RowError]] | None = None,
    dry_run: bool = False,
) -> None:
    """Apply every row or none, naming every bad row.

    Each row is first `checked` (its own cells, its references); a row with problems is not
    applied, but every other row still is, so one run names them all. `apply` writes a row
    through the services in a savepoint of its own; one of ROW_REFUSALS undoes that row and
    `problems` names it. `finish` checks the rows applied, as written (rules across rows).
    Then the whole transaction is rolled back when anything was wrong, or for a dry run, and
    ImportRejected lists every problem."""
    errors: list[RowError] = []
    with transaction.atomic():
        applied: list[Row] = []
        for row in rows:
            found = checked(row)
            if found:
                errors += found
                continue
            try:
                with transaction.atomic():
                    apply(row)
            except ROW_REFUSALS as exc:
                errors += problems(row, exc)
            else:
                applied.append(row)
        if finish is not None:
            errors += finish(applied)
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)


def _cell_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def read_rows(
    source: IO[bytes], sheet: str, headers: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of `sheet` keyed by header, with their Excel row numbers; blank rows skipped.

    The header row must contain every expected header (extra columns are ignored)."""
    try:
        return _read(source, sheet, headers)
    except ImportRejected:
        raise
    except Exception as exc:  # any malformed workbook: openpyxl raises many kinds
        raise ImportRejected(
            [RowError(0, "", _("Tệp không phải là bảng tính XLSX hợp lệ."))]
        ) from exc


def _read(
    source: IO[bytes], sheet: str, headers: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    workbook = load_workbook(source, read_only=True, data_only=True)
    if sheet not in workbook.sheetnames:
        message = _("Không có trang tính “%(sheet)s” trong tệp.") % {"sheet": sheet}
        raise ImportRejected([RowError(0, "", message)])
    rows = workbook[sheet].iter_rows(values_only=True)  # type: ignore[union-attr]
    found = [str(_cell_text(h) or "") for h in next(rows, ())]
    missing = [h for h in headers if h not in found]
    if missing:
        message = _("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}
        raise ImportRejected([RowError(1, "", message)])
    index = {h: found.index(h) for h in headers}
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {h: _cell_text(values[i]) if i < len(values) else None for h, i in index.items()}
        if any(v not in (None, "") for v in cells.values()):
            result.append((number, cells))
    workbook.close()
    return result


def add_sheet(
    workbook: Workbook, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Worksheet:
    """A sheet with a bold, frozen header row, fitted column widths, and user text that is
    never run as a formula."""
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(list(headers))
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(list(row))
        for cell in worksheet[worksheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_STARTS):
                cell.data_type = "s"  # text typed by users is never run as a formula
    for index, column in enumerate(worksheet.columns, start=1):
        width = max(len(str(c.value or "")) for c in column[:200])
        worksheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    worksheet.freeze_panes = "A2"
    return worksheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_workbook(sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    add_sheet(workbook, sheet, headers, rows)
    return workbook_bytes(workbook)
