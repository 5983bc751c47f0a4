"""What the programme workbook (reporting.workbook) is read and written with: one row's cells
read by type with every problem named (sheet, row, column), the units and the assignee column,
values as the file writes them, and the shape of a sheet (reporting.workbook_sheets)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from nq57.xlsx import ImportRejected, RowError, cell_date, cell_text, sheet_error
from org.models import REPORTING_TYPES, Unit, UnitGroup, UnitType, User
from org.selection import Selection, SelectionKind
from tasks.models import Task

TIME_FORMAT = "%H:%M"
LANGUAGE = "vi"  # the file's names of choices are Vietnamese whatever the page's language
LISTS = "Danh mục"
_SEPARATORS = re.compile(r"[\s,;]+")
_NUMBER_TEXT = re.compile(r"-?\d+(?:[.,](\d+))?")
# Assignee tokens: `loại:xa` (every active unit of a type), `nhánh:CODE` (every active
# reporting unit of a subtree), `nhóm:NAME` (the active units of a saved group: its name may
# hold spaces, so it runs to the next comma or semicolon); the unaccented spelling is accepted
# too.
_TYPE_PREFIXES = ("loại:", "loai:")
_SUBTREE_PREFIXES = ("nhánh:", "nhanh:")
_GROUP_PREFIX = re.compile(r"(?:^|\s)(?:nhóm|nhom):", re.IGNORECASE)
_LIST_SEPARATORS = re.compile(r"[,;]")

# --- cells ---------------------------------------------------------------------------------------


def labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """value → its Vietnamese name, as the file writes it whatever the reader's language."""
    with translation.override(LANGUAGE):
        return {value: str(label) for value, label in choices}


YES, NO = "Có", "Không"


class Cells:
    """Typed access to one row's cells; each problem is recorded, naming sheet, row and column."""

    def __init__(
        self, sheet: str, number: int, raw: dict[str, Any], refused: Refused | None = None
    ) -> None:
        self.sheet, self.number, self.raw = sheet, number, raw
        self.refused = refused or Refused()
        self.errors: list[RowError] = []

    def fail(self, column: str, message: str) -> None:
        self.errors.append(sheet_error(self.sheet, self.number, column, message))

    def has(self, column: str) -> bool:
        """Whether the file has the column (an optional one may be missing)."""
        return column in self.raw

    def text(self, column: str, *, required: bool = False) -> str:
        text = cell_text(self.raw.get(column))  # a missing optional column reads as empty
        if required and not text:
            self.fail(column, _("Không được để trống."))
        return text

    def codes(self, column: str) -> list[str]:
        """Codes separated by spaces, commas or semicolons, each once, in their order."""
        return list(dict.fromkeys(c for c in _SEPARATORS.split(self.text(column)) if c))

    def date(self, column: str) -> date | None:
        try:
            return cell_date(self.raw[column])
        except ValidationError as exc:
            self.fail(column, exc.messages[0])
            return None

    def time(self, column: str) -> time | None:
        value = self.raw[column]
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.time()
        if isinstance(value, time):
            return value
        try:
            return datetime.strptime(str(value).strip(), TIME_FORMAT).time()
        except ValueError:
            self.fail(column, _("Giờ không hợp lệ (cần hh:mm): “%(v)s”.") % {"v": value})
            return None

    def integer(self, column: str, low: int, high: int, *, required: bool = False) -> int | None:
        text = self.text(column, required=required)
        if not text:
            return None
        try:
            number: int | None = int(text)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            message = _("Cần một số nguyên từ %(low)s đến %(high)s: “%(v)s”.")
            self.fail(column, message % {"low": low, "high": high, "v": text})
            return None
        return number

    def decimal(self, column: str, *, required: bool = False) -> Decimal | None:
        value = self.raw[column]
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            number = Decimal(str(value))
            if number.is_finite():
                return number
        text = self.text(column, required=required)
        if not text:
            return None
        match = _NUMBER_TEXT.fullmatch(text)
        if match is None:
            self.fail(column, _("Cần một số: “%(v)s”.") % {"v": text})
            return None
        if match.group(1) is not None and len(match.group(1)) == 3:  # "1.000": a thousand?
            message = _(
                "“%(v)s” không rõ là số thập phân hay có dấu phân cách hàng nghìn; hãy nhập ô "
                "kiểu số."
            )
            self.fail(column, message % {"v": text})
            return None
        return Decimal(text.replace(",", "."))

    def boolean(self, column: str, default: bool) -> bool:
        text = self.text(column)
        if not text:
            return default
        if text.casefold() in (YES.casefold(), "1", "true", "x"):
            return True
        if text.casefold() in (NO.casefold(), "0", "false"):
            return False
        self.fail(
            column, _("Ghi “%(yes)s” hoặc “%(no)s”: “%(v)s”.") % {"yes": YES, "no": NO, "v": text}
        )
        return default

    def choice(
        self, column: str, labels: dict[str, str], *, default: str | None = None
    ) -> str | None:
        """A value of a choice list by its Vietnamese name (what the dropdown offers) or its
        code; empty: `default` (none: the cell is required)."""
        text = self.text(column)
        if not text:
            if default is None:
                self.fail(column, _("Không được để trống."))
            return default
        for value, label in labels.items():
            if text.casefold() in (value.casefold(), label.casefold()):
                return value
        names = "; ".join(labels.values())
        self.fail(
            column, _("“%(v)s” không có trong danh sách: %(names)s.") % {"v": text, "names": names}
        )
        return default

    def unit_types(self, column: str, allowed: Iterable[str] = UnitType.values) -> list[str]:
        types = self.codes(column)
        unknown = [t for t in types if t not in allowed]
        if unknown:
            message = _("Loại đơn vị không có: %(t)s (xem trang “%(lists)s”).")
            self.fail(column, message % {"t": ", ".join(unknown), "lists": LISTS})
        return sorted(t for t in types if t in allowed)


# --- units and assignees -------------------------------------------------------------------------


class Units:
    """Every unit, read once: units are never created by this file (import_units does that)."""

    def __init__(self) -> None:
        self.all = list(Unit.objects.order_by("path"))
        self.by_code = {u.code: u for u in self.all}
        self.by_pk = {u.pk: u for u in self.all}

    def active(self) -> list[Unit]:
        return [u for u in self.all if u.is_active]

    def find(self, cells: Cells, column: str, *, required: bool = False) -> Unit | None:
        code = cells.text(column, required=required)
        if code and code not in self.by_code:
            cells.fail(column, _("Không có đơn vị mã “%(c)s”.") % {"c": code})
        return self.by_code.get(code) if code else None

    def find_many(self, cells: Cells, column: str) -> list[Unit]:
        codes = cells.codes(column)
        missing = [c for c in codes if c not in self.by_code]
        if missing:
            cells.fail(column, _("Không có đơn vị mã: %(c)s.") % {"c": ", ".join(missing)})
        return [self.by_code[c] for c in codes if c in self.by_code]


def parse_assignees(text: str, units: Units) -> tuple[list[Unit], list[str]]:
    """The units a task's "Đơn vị thực hiện" cell names, and what is wrong in it. Tokens are
    separated by spaces, commas or semicolons; the units of every token are taken together:
    a unit code; `loại:xa` — every active unit of that type (`loại:xa loại:phuong`: all communes
    and wards); `nhánh:CODE` — every active reporting unit of that unit's subtree; `nhóm:NAME` —
    the units of the saved group of that name (org.UnitGroup) in operation on the import day,
    resolved by org.selection as on the assign page (the name runs to the next comma or
    semicolon). Empty: the lead unit alone (services.create_task). The one place that reads
    the cell."""
    chosen: dict[str, Unit] = {}
    problems, groups = [], []
    for token, is_group in _tokens(text):
        found = _group_units(token, units) if is_group else _token_units(token, units)
        if found is not None:
            chosen.update((u.code, u) for u in found)
        elif is_group:
            groups.append(token)
        else:
            problems.append(token)
    messages = []
    if problems:
        message = _(
            "Không hiểu “%(t)s”: ghi mã đơn vị, “loại:<mã loại>” (ví dụ loại:xa), "
            "“nhánh:<mã đơn vị>” hoặc “nhóm:<tên nhóm đơn vị>”."
        )
        messages.append(message % {"t": ", ".join(problems)})
    for name in groups:
        messages.append(_("Không có nhóm đơn vị tên “%(n)s”.") % {"n": name})
    return list(chosen.values()), messages


def _tokens(text: str) -> Iterator[tuple[str, bool]]:
    """The cell's tokens, each with whether it is a group's name (what follows `nhóm:` up to
    the next comma or semicolon); a `nhóm:` with no name is a token not understood."""
    for part in _LIST_SEPARATORS.split(text):
        match = _GROUP_PREFIX.search(part)
        head = part if match is None else part[: match.start()]
        yield from ((t, False) for t in _SEPARATORS.split(head.strip()) if t)
        if match is not None:
            name = part[match.end() :].strip()
            yield (name, True) if name else (match.group().strip(), False)


def _group_units(name: str, units: Units) -> list[Unit] | None:
    group = UnitGroup.objects.filter(name=name).first()
    if group is None:
        return None
    selection = Selection(kind=SelectionKind.GROUP, group=group)
    return [units.by_pk[u.pk] for u in selection.resolve(timezone.localdate())]


def _token_units(token: str, units: Units) -> list[Unit] | None:
    lowered = token.casefold()
    for prefix in _TYPE_PREFIXES:
        if lowered.startswith(prefix):
            kind = token[len(prefix) :]
            if kind not in UnitType.values:
                return None
            return [u for u in units.active() if u.unit_type == kind]
    for prefix in _SUBTREE_PREFIXES:
        if lowered.startswith(prefix):
            top = units.by_code.get(token[len(prefix) :])
            if top is None:
                return None
            return [
                u
                for u in units.active()
                if u.path.startswith(top.path) and u.unit_type in REPORTING_TYPES
            ]
    unit = units.by_code.get(token)
    return None if unit is None else [unit]


def describe_assignees(assigned: Sequence[Unit], lead: Unit, units: Units) -> str:
    """The shortest cell `parse_assignees` reads back as exactly these units: empty for the lead
    unit alone, unit types when the units are every active unit of those types, else codes."""
    codes = {u.code for u in assigned}
    if codes == {lead.code}:
        return ""
    types = sorted({u.unit_type for u in assigned})
    by_types = {u.code for u in units.active() if u.unit_type in types}
    if len(codes) > 1 and by_types == codes:
        return ", ".join(f"{_TYPE_PREFIXES[0]}{t}" for t in types)
    return ", ".join(sorted(codes))


def current_assignees(task: Task, units: Units) -> list[Unit]:
    """The units that carry the task out now (its open assignments, prefetched: one taken off
    a task keeps its row, ended)."""
    return [units.by_pk[a.unit_id] for a in task.assignments.all() if a.ended_on is None]


# --- formatting for export -----------------------------------------------------------------------


def number_cell(value: Decimal | None) -> Any:
    """A stored decimal as the cell shows it: a whole number as such, a fraction as a float when
    the float holds it exactly enough (15 digits), else as text."""
    if value is None:
        return ""
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value) if len(value.as_tuple().digits) <= 15 else str(value)


def or_default(value: int | None, default: int) -> int:
    """An empty number cell's default (0 stays 0)."""
    return default if value is None else value


def yes_no(value: bool) -> str:
    return YES if value else NO


def joined(codes: Iterable[str]) -> str:
    return ", ".join(codes)


@dataclass
class AssigneeCount:
    """How many units an existing task's row gives the task to, and takes it off."""

    task: str
    added: int
    removed: int


@dataclass
class Context:
    actor: User
    units: Units
    assignees: list[AssigneeCount] = field(default_factory=list)  # changes made, row by row


CREATED, UPDATED = "created", "updated"


@dataclass(frozen=True)
class Dropdown:
    """A column's dropdown: the list sits in another sheet's column (`source` sheet and its
    column letter)."""

    column: str
    sheet: str
    source_column: str


class Sheet(ABC):
    """One sheet: its headers, the columns that key its rows, how its rows are written and how
    one row is applied. `apply` returns CREATED, UPDATED or None (unchanged) and raises
    ImportRejected (naming cells) or a service's refusal."""

    name: ClassVar[str]
    headers: ClassVar[tuple[str, ...]]
    key: ClassVar[tuple[str, ...]]
    # Columns of `headers` a file may lack (added after files were written): read as empty.
    optional: ClassVar[tuple[str, ...]] = ()
    # Where a service's complaint about a field shows in the sheet.
    field_columns: ClassVar[dict[str, str]] = {}
    help: ClassVar[dict[str, str]] = {}  # column → what to write there (instructions sheet)
    model: ClassVar[type[models.Model] | None] = None  # what its rows write, found by code

    @abstractmethod
    def rows(self, units: Units) -> Iterator[list[Any]]:
        """The sheet's rows as the export writes them."""

    @abstractmethod
    def apply(self, ctx: Context, cells: Cells) -> str | None:
        """Write one row through the services."""

    def dropdowns(self) -> list[Dropdown]:
        return []

    @staticmethod
    def done(cells: Cells) -> None:
        """Stop the row when any of its cells is wrong: nothing of it is written."""
        if cells.errors:
            raise ImportRejected(cells.errors)


def find(
    cells: Cells, column: str, model: type[models.Model], what: str, *, required: bool = True
) -> Any:
    """The row named by the cell's code (created by this file's earlier rows or before)."""
    code = cells.text(column, required=required)
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()  # type: ignore[attr-defined]
    if found is None:
        _missing(cells, column, model, what, [code])
    return found


def find_many(cells: Cells, column: str, model: type[models.Model], what: str) -> list[Any]:
    codes = cells.codes(column)
    found = {r.code: r for r in model._default_manager.filter(code__in=codes)}  # type: ignore[attr-defined]
    _missing(cells, column, model, what, [c for c in codes if c not in found])
    return [found[c] for c in codes if c in found]


def _missing(
    cells: Cells, column: str, model: type[models.Model], what: str, codes: list[str]
) -> None:
    """Name the codes not found; those whose own row in this file was refused, as such."""
    refused = [c for c in codes if cells.refused.sheet_of(model, c)]
    unknown = [c for c in codes if c not in refused]
    if len(unknown) == 1:
        cells.fail(column, _("Không có %(what)s mã “%(c)s”.") % {"what": what, "c": unknown[0]})
    elif unknown:
        message = _("Không có %(what)s mã: %(c)s.") % {"what": what, "c": ", ".join(unknown)}
        cells.fail(column, message)
    if refused:
        sheet = cells.refused.sheet_of(model, refused[0])
        message = _("%(what)s mã %(c)s chưa được lưu vì dòng của nó ở trang “%(s)s” có lỗi.")
        cells.fail(column, capfirst(message % {"what": what, "c": ", ".join(refused), "s": sheet}))


class Refused:
    """The codes whose rows this file could not write, by what those rows write: a later row
    naming one is told why it is missing."""

    def __init__(self) -> None:
        self._by_model: dict[type[models.Model], tuple[str, set[str]]] = {}

    def add(self, sheet: Sheet, code: str) -> None:
        if sheet.model is not None:
            self._by_model.setdefault(sheet.model, (sheet.name, set()))[1].add(code)

    def sheet_of(self, model: type[models.Model], code: str) -> str | None:
        name, codes = self._by_model.get(model, ("", set()))
        return name if code in codes else None


def same(row: Any, wanted: dict[str, Any]) -> bool:
    """Whether the stored row already says what the file says (sets compared as sets)."""
    for name, value in wanted.items():
        stored = getattr(row, name)
        if isinstance(value, (set, frozenset)):
            stored = {u.pk for u in stored.all()}
            value = {u.pk for u in value}
        if stored != value:
            return False
    return True


# Column names shared by several sheets.
