"""The programme workbook: the standing office's whole set-up in one XLSX file — sources, areas,
programme groups, tasks with their assignees, data elements, indicator sets, indicators and their
formulas, targets, validation rules, report forms and schedules — read and written by
`manage.py export_programme / import_programme` and the programme page alike.

It lives in reporting because schedules and report forms are reporting's: it is the lowest app
that may import everything the file carries (tasks, indicators, periods and reporting itself).

Import is all-or-nothing (nq57.xlsx.run_import, one transaction over every sheet, in the order
of workbook_sheets.SHEETS so a row may name what an earlier sheet creates), and every write goes
through the services that the pages use (each sheet's `apply`; reading the cells, the units and
the assignee column: workbook_cells). A row is matched by its code and the service is called
only when the row says something different from what is stored, so importing a fresh export
changes nothing. Nothing is ever deleted: rows absent from the file stay as they are. A task
already given whose assignee list differs is given to the new units from the import day and
taken off the others after it, as its assign page does (tasks.services.assign_units and
end_assignments, with the row's reason); the summary counts those per task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nq57.uploads import OfficeFileRefused, check_office_archive
from nq57.xlsx import (
    ImportRejected,
    RowError,
    add_sheet,
    cell_text,
    read_rows,
    run_import,
    workbook_bytes,
)
from org import access
from org.access import Action
from org.models import User
from reporting.workbook_cells import (
    CREATED,
    LISTS,
    UPDATED,
    AssigneeCount,
    Cells,
    Context,
    Refused,
    Sheet,
    Units,
    sheet_error,
)
from reporting.workbook_sheets import SHEETS, ListsSheet

INSTRUCTIONS = "Hướng dẫn"
# Rows of a sheet that carry the dropdowns (the template's empty rows included).
VALIDATED_ROWS = 2000


# --- summaries ----------------------------------------------------------------------------------


@dataclass
class SheetCount:
    sheet: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    assignees: list[AssigneeCount] = field(default_factory=list)  # of the tasks updated


@dataclass
class ProgrammeSummary:
    sheets: list[SheetCount] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# --- export and template -----------------------------------------------------------------------


def export_programme(*, with_rows: bool = True) -> bytes:
    """The workbook: the instructions, one sheet per part of the programme (its rows, or none
    for the template), the lists, and the dropdowns."""
    units = Units()
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _instructions(workbook)
    for sheet in SHEETS:
        rows = list(sheet.rows(units)) if with_rows else []
        worksheet = add_sheet(workbook, sheet.name, sheet.headers, rows)
        _add_dropdowns(worksheet, sheet, max(VALIDATED_ROWS, len(rows) + 200))
    columns = ListsSheet.columns(units)
    add_sheet(workbook, LISTS, ListsSheet.HEADERS, zip_longest(*columns, fillvalue=None))
    return workbook_bytes(workbook)


def template_programme() -> bytes:
    return export_programme(with_rows=False)


def _add_dropdowns(worksheet: Worksheet, sheet: Sheet, last_row: int) -> None:
    for dropdown in sheet.dropdowns():
        letter = get_column_letter(sheet.headers.index(dropdown.column) + 1)
        rows = f"${dropdown.source_column}$2:${dropdown.source_column}${last_row}"
        validation = DataValidation(
            type="list",
            formula1=f"'{dropdown.sheet}'!{rows}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Giá trị không có trong danh sách"),
            error=_("Chọn một giá trị trong danh sách."),
        )
        worksheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last_row}")


_GENERAL_HELP = (
    gettext_noop(
        "Tệp thiết lập chương trình của tỉnh: mỗi trang một phần (nguồn, lĩnh vực, nhóm nhiệm vụ, "
        "nhiệm vụ, số liệu, bộ chỉ tiêu, chỉ tiêu, mục tiêu, quy tắc kiểm tra, mẫu báo cáo, lịch "
        "báo cáo)."
    ),
    gettext_noop(
        "Mỗi dòng được nhận ra bằng mã: mã đã có thì dòng được cập nhật khi khác, mã chưa có thì "
        "được tạo mới. Không có gì bị xóa: dòng không có trong tệp được giữ nguyên."
    ),
    gettext_noop(
        "Tệp có lỗi thì không lưu gì; mỗi lỗi nêu trang, dòng và cột. Hãy nhập thử (xem trước) "
        "trước khi nhập thật."
    ),
    gettext_noop(
        "Ngày ghi dd/mm/yyyy; nhiều mã trong một ô cách nhau bởi dấu phẩy; các cột có danh sách "
        "chọn lấy giá trị ở trang “Danh mục”."
    ),
    gettext_noop(
        "Có thể bỏ trang không cần; các trang được nhập theo thứ tự trên, nên một dòng được dùng "
        "mã mà trang trước tạo ra."
    ),
)


def _instructions(workbook: Workbook) -> None:
    rows: list[list[str]] = [["", "", _(line)] for line in _GENERAL_HELP]
    for sheet in SHEETS:
        for column in sheet.headers:
            note = sheet.help.get(column, "")
            rows.append([sheet.name, column, _(note) if note else ""])
    worksheet = add_sheet(workbook, INSTRUCTIONS, (_("Trang"), _("Cột"), _("Cách ghi")), rows)
    worksheet.column_dimensions["C"].width = 100
    for row in worksheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    worksheet["A1"].font = Font(bold=True)


# --- import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    sheet: Sheet
    number: int
    raw: dict[str, Any]
    duplicate_of: int | None  # the row that has the same key first


def _sheet_names(source: IO[bytes]) -> list[str]:
    not_xlsx = _("Tệp không phải là bảng tính XLSX hợp lệ.")
    try:
        check_office_archive(source, "xl/workbook.xml", not_xlsx)
        workbook = load_workbook(source, read_only=True)
        names = list(workbook.sheetnames)
        workbook.close()
    except OfficeFileRefused as exc:
        raise ImportRejected([RowError(0, "", str(exc))]) from exc
    except Exception as exc:  # any malformed workbook: openpyxl raises many kinds
        raise ImportRejected([RowError(0, "", not_xlsx)]) from exc
    finally:
        source.seek(0)
    return names


def read_programme(source: IO[bytes]) -> list[_Row]:
    """The rows of every programme sheet the file has, in the order they are applied, each
    marked when its key repeats an earlier row's."""
    present = set(_sheet_names(source))
    known = [sheet for sheet in SHEETS if sheet.name in present]
    if not known:
        names = ", ".join(f"“{s.name}”" for s in SHEETS)
        raise ImportRejected(
            [RowError(0, "", _("Tệp không có trang nào trong: %(n)s.") % {"n": names})]
        )
    rows = []
    for sheet in known:
        source.seek(0)
        try:
            required = [h for h in sheet.headers if h not in sheet.optional]
            found = read_rows(source, sheet.name, required, sheet.optional)
        except ImportRejected as rejected:
            raise ImportRejected(
                [sheet_error(sheet.name, e.row, e.column, e.message) for e in rejected.errors]
            ) from None
        first: dict[tuple[str, ...], int] = {}
        for number, raw in found:
            key = tuple(cell_text(raw[c]) for c in sheet.key)
            duplicate = first.get(key) if any(key) else None
            first.setdefault(key, number)
            rows.append(_Row(sheet, number, raw, duplicate))
    return rows


def import_programme(*, actor: User, source: IO[bytes], dry_run: bool = False) -> ProgrammeSummary:
    """Apply the file, every row or none (nq57.xlsx.run_import); `dry_run` does the same work
    and rolls it back, so its summary previews the import. Only those who set up the programme
    province-wide may import it. Also the background job's handler (nq57.imports)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    run = _Run(actor, read_programme(source))
    run_import(
        run.rows, checked=run.checked, apply=run.apply, problems=run.problems, dry_run=dry_run
    )
    return run.summary()


class _Run:
    """One import: what each sheet did, and the codes whose rows were refused."""

    def __init__(self, actor: User, rows: list[_Row]) -> None:
        self.rows, self.ctx = rows, Context(actor=actor, units=Units())
        self.counts = {sheet.name: SheetCount(sheet.name) for sheet in SHEETS}
        self.refused = Refused()

    def checked(self, row: _Row) -> list[RowError]:
        if row.duplicate_of is None:
            return []
        message = (
            _("Mã bị lặp trong tệp.") + " " + _("(Dòng %(n)s đã có.)") % {"n": row.duplicate_of}
        )
        return [sheet_error(row.sheet.name, row.number, row.sheet.key[0], message)]

    def apply(self, row: _Row) -> None:
        cells = Cells(row.sheet.name, row.number, row.raw, self.refused)
        assignees = len(self.ctx.assignees)
        change = row.sheet.apply(self.ctx, cells)
        count, key = (
            self.counts[row.sheet.name],
            " ".join(cell_text(row.raw[c]) for c in row.sheet.key),
        )
        count.assignees += self.ctx.assignees[assignees:]
        if change == CREATED:
            count.created.append(key)
        elif change == UPDATED:
            count.updated.append(key)
        else:
            count.unchanged += 1

    def problems(self, row: _Row, exc: Exception) -> list[RowError]:
        self.refused.add(row.sheet, cell_text(row.raw[row.sheet.key[0]]))
        return _problems(row, exc)

    def summary(self) -> ProgrammeSummary:
        sheets = [c for c in self.counts.values() if c.created or c.updated or c.unchanged]
        return ProgrammeSummary(
            sheets=sheets,
            created=sum(len(c.created) for c in sheets),
            updated=sum(len(c.updated) for c in sheets),
            unchanged=sum(c.unchanged for c in sheets),
        )


def _problems(row: _Row, exc: Exception) -> list[RowError]:
    """A service's refusal of a row, named by the column of each field it complains about."""
    sheet, key_column = row.sheet, row.sheet.key[0]
    if isinstance(exc, ImportRejected):
        return exc.errors
    if isinstance(exc, (PermissionDenied, Http404)):
        message = _("Bạn không có quyền thiết lập dòng này.")
        return [sheet_error(sheet.name, row.number, key_column, message)]
    assert isinstance(exc, ValidationError)
    if not hasattr(exc, "error_dict"):
        return [sheet_error(sheet.name, row.number, key_column, m) for m in exc.messages]
    return [
        sheet_error(sheet.name, row.number, sheet.field_columns.get(name, key_column), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
