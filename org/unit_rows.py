"""The unit tree as rows — `code,name,type,parent_code`, the columns `export_units` writes — read
from CSV or XLSX and checked before anything is written (org.services.import_units applies
them). Also: units named by code in a text box."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nq57.xlsx import ImportRejected, RowError, read_rows
from org import access
from org.access import Action
from org.models import Unit, UnitType, User
from org.queries import EXPORT_HEADERS

UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
SHEET = "Đơn vị"
COL_CODE, COL_NAME, COL_TYPE, COL_PARENT = EXPORT_HEADERS
MAX_NAME = 255


def units_by_code(units: QuerySet[Unit], text: str) -> list[Unit]:
    """The units named in `text` (codes between commas, spaces or lines) among `units`."""
    codes = list(dict.fromkeys(re.split(r"[\s,;]+", text.strip()))) if text.strip() else []
    found = {u.code: u for u in units.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        message = _("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(missing)}
        raise forms.ValidationError(message)
    return [found[c] for c in codes]


@dataclass(frozen=True)
class UnitRow:
    row: int  # as the file numbers it (the header is row 1)
    code: str
    name: str
    unit_type: str
    parent_code: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel
    return str(value).strip()


def unit_type_from_text(text: str) -> str | None:
    """A type by its code (`xa`) or its Vietnamese name (`Xã`), any case."""
    wanted = text.strip().casefold()
    for value, label in UnitType.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


def parse_unit_file(source: IO[bytes]) -> list[UnitRow]:
    """Rows of an XLSX workbook (sheet “Đơn vị”) or a CSV file (UTF-8, with or without BOM),
    told apart by their content (an XLSX file is a zip archive)."""
    is_xlsx = source.read(4) == b"PK\x03\x04"
    source.seek(0)
    rows = read_rows(source, SHEET, EXPORT_HEADERS) if is_xlsx else _csv_rows(source)
    return [
        UnitRow(
            row=number,
            code=_text(cells[COL_CODE]),
            name=_text(cells[COL_NAME]),
            unit_type=_text(cells[COL_TYPE]),
            parent_code=_text(cells[COL_PARENT]),
        )
        for number, cells in rows
    ]


def _csv_rows(source: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = [h.strip() for h in next(reader, [])]
        missing = [h for h in EXPORT_HEADERS if h not in header]
        if missing:
            message = _("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}
            raise ImportRejected([RowError(1, "", message)])
        index = {h: header.index(h) for h in EXPORT_HEADERS}
        rows = []
        for number, values in enumerate(reader, start=2):
            cells = {h: values[i] if i < len(values) else "" for h, i in index.items()}
            if any(str(v).strip() for v in cells.values()):
                rows.append((number, cells))
        return rows
    except UnicodeDecodeError as exc:
        message = _("Tệp CSV phải được lưu với bảng mã UTF-8.")
        raise ImportRejected([RowError(0, "", message)]) from exc
    except csv.Error as exc:
        raise ImportRejected([RowError(0, "", _("Tệp CSV không đọc được."))]) from exc


@dataclass(frozen=True)
class UnitPlan:
    """The checked rows: those to create, parents first, and those already there as they are."""

    create: list[UnitRow]
    unchanged: list[UnitRow]
    errors: list[RowError]


def plan_units(actor: User, rows: Sequence[UnitRow]) -> UnitPlan:
    """Check every row (its cells, its parent — already a unit, or a row of the file — the
    actor's reach) and order the new ones parents first. A code already in the tree must come
    with its name, type and parent as they are: the import adds units, it never changes one
    (renames, moves, merges are dated changes made on the unit's page)."""
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}
    parent_codes = {r.parent_code for r in rows if r.parent_code}
    parents = {u.code: u for u in Unit.objects.filter(code__in=parent_codes)}
    parents_of = _parent_codes(list(existing.values()) + list(parents.values()))
    counts = Counter(r.code for r in rows)
    errors: list[RowError] = []
    new: dict[str, UnitRow] = {}
    unchanged: list[UnitRow] = []
    for row in rows:
        found = _cell_errors(row, counts)
        unit = existing.get(row.code)
        if not found and unit is not None:
            found = _same_as(row, unit, parents_of.get(unit.pk, ""))
            if not found:
                unchanged.append(row)
                continue
        if not found:
            found = _reach_errors(
                actor, row, parents.get(row.parent_code), row.parent_code in counts
            )
        if found:
            errors += found
        else:
            new[row.code] = row
    ordered, stuck = _parents_first(new, set(parents) | {r.code for r in unchanged})
    errors += [
        RowError(r.row, COL_PARENT, _("Đơn vị cấp trên “%(code)s” không có hoặc có lỗi.")
                 % {"code": r.parent_code})
        for r in stuck
    ]  # fmt: skip
    return UnitPlan(ordered, unchanged, sorted(errors, key=lambda e: (e.row, e.column)))


def _parent_codes(units: list[Unit]) -> dict[int, str]:
    """Each unit's parent's code, in one query."""
    parent_paths = {u.pk: u.path[: -Unit.steplen] for u in units if u.depth > 1}
    codes = dict(
        Unit.objects.filter(path__in=set(parent_paths.values())).values_list("path", "code")
    )
    return {pk: codes.get(path, "") for pk, path in parent_paths.items()}


def _cell_errors(row: UnitRow, counts: Counter[str]) -> list[RowError]:
    errors = []
    if not UNIT_CODE.fullmatch(row.code):
        message = _("Mã đơn vị trống hoặc có ký tự không hợp lệ (chỉ chữ, số, “.”, “_”, “-”).")
        errors.append(RowError(row.row, COL_CODE, message))
    elif counts[row.code] > 1:
        errors.append(RowError(row.row, COL_CODE, _("Mã đơn vị bị lặp trong tệp.")))
    if not row.name or len(row.name) > MAX_NAME:
        errors.append(RowError(row.row, COL_NAME, _("Tên đơn vị trống hoặc dài quá 255 ký tự.")))
    if unit_type_from_text(row.unit_type) is None:
        message = _("Loại đơn vị “%(type)s” không có; dùng một trong: %(types)s.")
        types = ", ".join(UnitType.values)
        errors.append(
            RowError(row.row, COL_TYPE, message % {"type": row.unit_type, "types": types})
        )
    if row.parent_code == row.code and row.code:
        errors.append(
            RowError(row.row, COL_PARENT, _("Đơn vị không thể là cấp trên của chính nó."))
        )
    return errors


def _same_as(row: UnitRow, unit: Unit, parent_code: str) -> list[RowError]:
    differs = [
        (COL_NAME, row.name != unit.name),
        (COL_TYPE, unit_type_from_text(row.unit_type) != unit.unit_type),
        (COL_PARENT, row.parent_code != parent_code),
    ]
    message = _(
        "Mã “%(code)s” đã có trong cây đơn vị với giá trị khác; tệp chỉ thêm đơn vị mới. Đổi "
        "tên, chuyển, sáp nhập trên trang của đơn vị."
    ) % {"code": row.code}
    return [RowError(row.row, column, message) for column, differs in differs if differs]


def _reach_errors(actor: User, row: UnitRow, parent: Unit | None, in_file: bool) -> list[RowError]:
    if not row.parent_code:
        message = _("Chỉ đơn vị gốc (tỉnh, đã khởi tạo) không có đơn vị cấp trên.")
        return [RowError(row.row, COL_PARENT, message)]
    if parent is None:
        if in_file:
            return []  # a row of this file: checked once the rows are ordered
        message = _("Không có đơn vị mã “%(code)s” trong phạm vi bạn quản lý.")
        return [RowError(row.row, COL_PARENT, message % {"code": row.parent_code})]
    if not access.can(actor, Action.MANAGE_UNITS, parent):
        message = _("Không có đơn vị mã “%(code)s” trong phạm vi bạn quản lý.")
        return [RowError(row.row, COL_PARENT, message % {"code": row.parent_code})]
    if not parent.is_active:
        return [RowError(row.row, COL_PARENT, _("Đơn vị cấp trên đã ngừng hoạt động."))]
    return []


def _parents_first(
    new: dict[str, UnitRow], placed: set[str]
) -> tuple[list[UnitRow], list[UnitRow]]:
    """The new rows in an order where each parent comes first; those whose parent is neither
    in the tree nor a good row of the file (or a cycle) are left over."""
    ordered: list[UnitRow] = []
    waiting = list(new.values())
    while waiting:
        ready = [r for r in waiting if r.parent_code in placed]
        if not ready:
            break
        ordered += ready
        placed |= {r.code for r in ready}
        waiting = [r for r in waiting if r.code not in placed]
    return ordered, waiting
