"""XLSX in and out, shared by every import and export (accounts, units, tasks, figures).

Imports are all-or-nothing: readers collect every problem as a RowError, and `run_import` applies
the rows in one transaction that it rolls back when any row was refused (or for a dry run), so
ImportRejected always means nothing was saved.

Reading is bounded before anything is parsed: the archive's declared unpacked size
(OFFICE_MAX_UNPACKED_MB, nq57.uploads.check_office_archive) and the rows read (IMPORT_MAX_ROWS).
Imports run as background jobs (nq57.imports), which follow `run_import`'s rows through
`import_progress`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nq57.uploads import OfficeFileRefused, check_office_archive

_FORMULA_STARTS = ("=", "+", "-", "@")
_NOT_XLSX = gettext_lazy("Tệp không phải là bảng tính XLSX hợp lệ.")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "%d/%m/%Y"  # a date typed as text in a cell, and every date an export writes


def cell_date(value: Any) -> date | None:
    """A date cell as openpyxl reads it (a datetime or a date) or typed as text, dd/mm/yyyy;
    None when empty. ValidationError naming the value when the text is no such date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(str(value).strip(), DATE_FORMAT).date()
    except ValueError:
        message = _("Ngày không hợp lệ (cần dd/mm/yyyy): “%(v)s”.") % {"v": value}
        raise ValidationError(message) from None


def cell_text(value: Any) -> str:
    """A cell as text: a whole number stays whole (a code typed as 16681 reads "16681", not
    "16681.0"), an empty cell reads "", spaces around are dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def sheet_error(sheet: str, row: int, column: str, message: str) -> RowError:
    """A row's problem in a workbook of several sheets: row numbers repeat from sheet to sheet,
    so every message names its sheet."""
    return RowError(row, column, _("Trang “%(s)s”: %(m)s") % {"s": sheet, "m": message})


def date_text(value: date | None) -> str:
    """A date as the exports write it: 02/10/2025, empty for none."""
    return value.strftime(DATE_FORMAT) if value else ""


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
    report = _progress.get()
    with transaction.atomic():
        applied: list[Row] = []
        for done, row in enumerate(rows):
            if report is not None:
                report(done, len(rows))
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


# Called with (rows done, rows in all) as `run_import` goes; set by the background import job.
Progress = Callable[[int, int], None]
_progress: ContextVar[Progress | None] = ContextVar("import_progress", default=None)


@contextmanager
def import_progress(report: Progress) -> Iterator[None]:
    """Have every `run_import` inside the block report its rows to `report`."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


def _cell_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def read_rows(
    source: IO[bytes], sheet: str, headers: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, Any]]]:
    """Rows of `sheet` keyed by header, with their Excel row numbers; blank rows skipped.

    The header row must contain every expected header (extra columns are ignored); an
    `optional` header may be missing: its cells are then left out of the rows, so the caller
    tells a column the file lacks from an empty cell."""
    try:
        return _read(source, sheet, headers, optional)
    except ImportRejected:
        raise
    except Exception as exc:  # any malformed workbook: openpyxl raises many kinds
        raise ImportRejected([RowError(0, "", str(_NOT_XLSX))]) from exc


def _read(
    source: IO[bytes], sheet: str, headers: Sequence[str], optional: Sequence[str]
) -> list[tuple[int, dict[str, Any]]]:
    try:
        check_office_archive(source, "xl/workbook.xml", str(_NOT_XLSX))
    except OfficeFileRefused as exc:
        raise ImportRejected([RowError(0, "", str(exc))]) from exc
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
    index = {h: found.index(h) for h in (*headers, *optional) if h in found}
    formulas = _formulas(source, sheet, index) if _has_formulas(source) else {}
    result, unreadable = [], []
    for number, values in enumerate(rows, start=2):
        if number > settings.IMPORT_MAX_ROWS + 1:
            message = _("Tệp có hơn %(n)s dòng; hãy chia thành nhiều tệp.") % {
                "n": settings.IMPORT_MAX_ROWS
            }
            raise ImportRejected([RowError(0, "", message)])
        cells = {h: _cell_text(values[i]) if i < len(values) else None for h, i in index.items()}
        for header, value in cells.items():
            formula = formulas.get((number, header))
            if value is None and formula is not None:
                unreadable.append(RowError(number, header, _formula_message(formula)))
        if any(v not in (None, "") for v in cells.values()):
            result.append((number, cells))
    workbook.close()
    if unreadable:
        raise ImportRejected(unreadable)
    return result


def _formula_message(formula: str) -> str:
    return _(
        "ô chứa công thức %(formula)s nhưng tệp không lưu kết quả của nó; hãy mở tệp bằng Excel "
        "và lưu lại, hoặc dán giá trị thay cho công thức."
    ) % {"formula": formula[:60]}


def _has_formulas(source: IO[bytes]) -> bool:
    """Whether any worksheet holds a formula (a `<f>` element), read part by part in chunks:
    most files have none, and then they are parsed once."""
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as part:
                        tail = b""
                        while chunk := part.read(1 << 20):
                            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                                return True
                            tail = chunk[-3:]
        return False
    finally:
        source.seek(0)


def _formulas(source: IO[bytes], sheet: str, index: dict[str, int]) -> dict[tuple[int, str], str]:
    """The formulas of the imported columns, by (row, header): a second read of the sheet
    without cached values, where a formula cell reads as its "=…" text."""
    workbook = load_workbook(source, read_only=True, data_only=False)
    found: dict[tuple[int, str], str] = {}
    rows = workbook[sheet].iter_rows(min_row=2, max_row=settings.IMPORT_MAX_ROWS + 1)  # type: ignore[union-attr]
    for number, cells in enumerate(rows, start=2):
        for header, i in index.items():
            cell = cells[i] if i < len(cells) else None
            if cell is not None and cell.data_type == "f":
                found[(number, header)] = str(cell.value)
    workbook.close()
    source.seek(0)
    return found


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
