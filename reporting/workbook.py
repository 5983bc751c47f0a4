"""The programme workbook: the standing office's whole set-up in one XLSX file — sources, areas,
programme groups, tasks with their assignees, data elements, indicator sets, indicators and their
formulas, targets, validation rules, report forms and schedules — read and written by
`manage.py export_programme / import_programme` and the programme page alike.

It lives in reporting because schedules and report forms are reporting's: it is the lowest app
that may import everything the file carries (tasks, indicators, periods and reporting itself).

Import is all-or-nothing (nq57.xlsx.run_import, one transaction over every sheet, in the order
below so a row may name what an earlier sheet creates), and every write goes through the
services that the pages use. A row is matched by its code and the service is called only when
the row says something different from what is stored, so importing a fresh export changes
nothing. Nothing is ever deleted: rows absent from the file stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from itertools import zip_longest
from typing import IO, Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators import services as indicator_services
from indicators.models import (
    DataElement,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    ValidationRule,
    ValueType,
)
from nq57.uploads import OfficeFileRefused, check_office_archive
from nq57.xlsx import ImportRejected, RowError, add_sheet, read_rows, run_import, workbook_bytes
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.models import Frequency, PeriodKind
from reporting import schedules
from reporting.models import ReportForm, Schedule, SectionKind
from tasks import services as task_services
from tasks.models import Area, ProgrammeGroup, Source, Task

DATE_FORMAT = "%d/%m/%Y"
TIME_FORMAT = "%H:%M"
LANGUAGE = "vi"  # the file's names of choices are Vietnamese whatever the page's language
INSTRUCTIONS = "Hướng dẫn"
LISTS = "Danh mục"
# Rows of a sheet that carry the dropdowns (the template's empty rows included).
VALIDATED_ROWS = 2000
_SEPARATORS = re.compile(r"[\s,;]+")
_NUMBER_TEXT = re.compile(r"-?\d+(?:[.,]\d+)?")
# Assignee tokens: `loại:xa` (every active unit of a type), `nhánh:CODE` (every active
# reporting unit of a subtree); the unaccented spelling is accepted too.
_TYPE_PREFIXES = ("loại:", "loai:")
_SUBTREE_PREFIXES = ("nhánh:", "nhanh:")


# --- cells ---------------------------------------------------------------------------------------


def _error(sheet: str, row: int, column: str, message: str) -> RowError:
    """Row numbers repeat from sheet to sheet, so every message names its sheet (as the figure
    import does)."""
    return RowError(row, column, _("Trang “%(s)s”: %(m)s") % {"s": sheet, "m": message})


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """value → its Vietnamese name, as the file writes it whatever the reader's language."""
    with translation.override(LANGUAGE):
        return {value: str(label) for value, label in choices}


YES, NO = "Có", "Không"


# The codes whose rows this file could not write, by the sheet that writes them: a later row
# naming one is told why it is missing.
Refused = dict[str, set[str]]


class _Cells:
    """Typed access to one row's cells; each problem is recorded, naming sheet, row and column."""

    def __init__(
        self, sheet: str, number: int, raw: dict[str, Any], refused: Refused | None = None
    ) -> None:
        self.sheet, self.number, self.raw = sheet, number, raw
        self.refused = refused if refused is not None else {}
        self.errors: list[RowError] = []

    def fail(self, column: str, message: str) -> None:
        self.errors.append(_error(self.sheet, self.number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.raw[column]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(column, _("Không được để trống."))
        return text

    def codes(self, column: str) -> list[str]:
        """Codes separated by spaces, commas or semicolons, each once, in their order."""
        return list(dict.fromkeys(c for c in _SEPARATORS.split(self.text(column)) if c))

    def date(self, column: str) -> date | None:
        value = self.raw[column]
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(str(value).strip(), DATE_FORMAT).date()
        except ValueError:
            self.fail(column, _("Ngày không hợp lệ (cần dd/mm/yyyy): “%(v)s”.") % {"v": value})
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
        if _NUMBER_TEXT.fullmatch(text):
            try:
                return Decimal(text.replace(",", "."))
            except InvalidOperation:
                pass
        self.fail(column, _("Cần một số: “%(v)s”.") % {"v": text})
        return None

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

    def active(self) -> list[Unit]:
        return [u for u in self.all if u.is_active]

    def find(self, cells: _Cells, column: str, *, required: bool = False) -> Unit | None:
        code = cells.text(column, required=required)
        if code and code not in self.by_code:
            cells.fail(column, _("Không có đơn vị mã “%(c)s”.") % {"c": code})
        return self.by_code.get(code) if code else None

    def find_many(self, cells: _Cells, column: str) -> list[Unit]:
        codes = cells.codes(column)
        missing = [c for c in codes if c not in self.by_code]
        if missing:
            cells.fail(column, _("Không có đơn vị mã: %(c)s.") % {"c": ", ".join(missing)})
        return [self.by_code[c] for c in codes if c in self.by_code]


def parse_assignees(text: str, units: Units) -> tuple[list[Unit], list[str]]:
    """The units a task's "Đơn vị thực hiện" cell names, and what is wrong in it. Tokens are
    separated by spaces, commas or semicolons; the units of every token are taken together:
    a unit code; `loại:xa` — every active unit of that type (`loại:xa loại:phuong`: all communes
    and wards); `nhánh:CODE` — every active reporting unit of that unit's subtree. Empty: the
    lead unit alone (services.create_task). The one place that reads the cell: a saved group of
    units is one more kind of token."""
    chosen: dict[str, Unit] = {}
    problems = []
    for token in (t for t in _SEPARATORS.split(text.strip()) if t):
        found = _token_units(token, units)
        if found is None:
            problems.append(token)
        else:
            chosen.update((u.code, u) for u in found)
    if not problems:
        return list(chosen.values()), []
    message = _(
        "Không hiểu “%(t)s”: ghi mã đơn vị, “loại:<mã loại>” (ví dụ loại:xa) hoặc "
        "“nhánh:<mã đơn vị>”."
    )
    return list(chosen.values()), [message % {"t": ", ".join(problems)}]


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


def current_assignees(task: Task) -> list[Unit]:
    """The units that carry the task out now (its assignments' units, prefetched)."""
    return [a.unit for a in task.assignments.all()]


# --- formatting for export -----------------------------------------------------------------------


def _date_text(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def _number(value: Decimal | None) -> Any:
    """A stored decimal as the cell shows it: a whole number as such, a fraction as a float when
    the float holds it exactly enough (15 digits), else as text."""
    if value is None:
        return ""
    value = value.normalize()
    if value == value.to_integral_value():
        return int(value)
    return float(value) if len(value.as_tuple().digits) <= 15 else str(value)


def _or(value: int | None, default: int) -> int:
    """An empty number cell's default (0 stays 0)."""
    return default if value is None else value


def _yes_no(value: bool) -> str:
    return YES if value else NO


def _joined(codes: Iterable[str]) -> str:
    return ", ".join(codes)


# --- sheets --------------------------------------------------------------------------------------


@dataclass
class SheetCount:
    sheet: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ProgrammeSummary:
    sheets: list[SheetCount] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Context:
    actor: User
    units: Units


CREATED, UPDATED = "created", "updated"


@dataclass(frozen=True)
class Dropdown:
    """A column's dropdown: the list sits in another sheet's column (`source` sheet and its
    column letter)."""

    column: str
    sheet: str
    source_column: str


class _Sheet:
    """One sheet: its headers, the columns that key its rows, how its rows are written and how
    one row is applied. `apply` returns CREATED, UPDATED or None (unchanged) and raises
    ImportRejected (naming cells) or a service's refusal."""

    name: ClassVar[str]
    headers: ClassVar[tuple[str, ...]]
    key: ClassVar[tuple[str, ...]]
    # Where a service's complaint about a field shows in the sheet.
    field_columns: ClassVar[dict[str, str]] = {}
    help: ClassVar[dict[str, str]] = {}  # column → what to write there (instructions sheet)
    model: ClassVar[type[models.Model] | None] = None  # what its rows write, found by code

    def rows(self, units: Units) -> Iterator[list[Any]]:
        raise NotImplementedError

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        raise NotImplementedError

    def dropdowns(self) -> list[Dropdown]:
        return []

    @staticmethod
    def done(cells: _Cells) -> None:
        """Stop the row when any of its cells is wrong: nothing of it is written."""
        if cells.errors:
            raise ImportRejected(cells.errors)


def _find(
    cells: _Cells, column: str, model: type[models.Model], what: str, *, required: bool = True
) -> Any:
    """The row named by the cell's code (created by this file's earlier rows or before)."""
    code = cells.text(column, required=required)
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()  # type: ignore[attr-defined]
    if found is None:
        _missing(cells, column, model, what, [code])
    return found


def _find_many(cells: _Cells, column: str, model: type[models.Model], what: str) -> list[Any]:
    codes = cells.codes(column)
    found = {r.code: r for r in model._default_manager.filter(code__in=codes)}  # type: ignore[attr-defined]
    _missing(cells, column, model, what, [c for c in codes if c not in found])
    return [found[c] for c in codes if c in found]


def _missing(
    cells: _Cells, column: str, model: type[models.Model], what: str, codes: list[str]
) -> None:
    """Name the codes not found; those whose own row in this file was refused, as such."""
    sheet = next((s.name for s in SHEETS if s.model is model), "")
    refused = [c for c in codes if c in cells.refused.get(sheet, set())]
    unknown = [c for c in codes if c not in refused]
    if len(unknown) == 1:
        cells.fail(column, _("Không có %(what)s mã “%(c)s”.") % {"what": what, "c": unknown[0]})
    elif unknown:
        message = _("Không có %(what)s mã: %(c)s.") % {"what": what, "c": ", ".join(unknown)}
        cells.fail(column, message)
    if refused:
        message = _("%(what)s mã %(c)s chưa được lưu vì dòng của nó ở trang “%(s)s” có lỗi.")
        cells.fail(column, capfirst(message % {"what": what, "c": ", ".join(refused), "s": sheet}))


def _same(row: Any, wanted: dict[str, Any]) -> bool:
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
C_CODE, C_NAME, C_ORDER = "Mã", "Tên", "Thứ tự"
C_TYPES, C_WITHIN, C_FROM, C_TO = "Loại đơn vị", "Thuộc nhánh", "Áp dụng từ", "Áp dụng đến"


class SourceSheet(_Sheet):
    name = "Nguồn"
    model = Source
    C_NUMBER, C_ISSUED, C_ISSUER = "Số, ký hiệu", "Ngày ban hành", "Cơ quan ban hành"
    headers = (C_CODE, C_NAME, C_NUMBER, C_ISSUED, C_ISSUER)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "number": C_NUMBER, "issued_on": C_ISSUED}
    help = {C_ISSUED: gettext_noop("Nhiệm vụ của nguồn được tính từ ngày này (dd/mm/yyyy).")}

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for s in Source.objects.order_by("code"):
            yield [s.code, s.name, s.number, _date_text(s.issued_on), s.issuer]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "number": cells.text(self.C_NUMBER),
            "issued_on": cells.date(self.C_ISSUED),
            "issuer": cells.text(self.C_ISSUER),
        }
        self.done(cells)
        existing = Source.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        task_services.save_source(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class AreaSheet(_Sheet):
    name = "Lĩnh vực"
    model = Area
    headers = (C_CODE, C_NAME, C_ORDER)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "order": C_ORDER}
    help = {C_ORDER: gettext_noop("Thứ tự phần trong báo cáo của tỉnh.")}

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for a in Area.objects.order_by("order", "code"):
            yield [a.code, a.name, a.order]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
        }
        self.done(cells)
        existing = Area.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        task_services.save_area(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class GroupSheet(_Sheet):
    name = "Nhóm nhiệm vụ"
    model = ProgrammeGroup
    C_SOURCES, C_THIS_YEAR = "Nguồn", "Chỉ nhiệm vụ của năm số liệu"
    headers = (C_CODE, C_NAME, C_ORDER, C_SOURCES, C_THIS_YEAR)
    key = (C_CODE,)
    field_columns = {"code": C_CODE, "name": C_NAME, "order": C_ORDER, "sources": C_SOURCES}
    help = {
        C_NAME: gettext_noop("“{year}” được thay bằng năm của ngày số liệu."),
        C_SOURCES: gettext_noop("Mã các nguồn, cách nhau bởi dấu phẩy."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for g in ProgrammeGroup.objects.prefetch_related("sources").order_by("order", "code"):
            sources = sorted(s.code for s in g.sources.all())
            yield [g.code, g.name, g.order, _joined(sources), _yes_no(g.this_year_only)]

    def dropdowns(self) -> list[Dropdown]:
        return [Dropdown(self.C_THIS_YEAR, LISTS, ListsSheet.letter(ListsSheet.YES_NO))]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
            "sources": set(_find_many(cells, self.C_SOURCES, Source, _("nguồn"))),
            "this_year_only": cells.boolean(self.C_THIS_YEAR, False),
        }
        self.done(cells)
        existing = ProgrammeGroup.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        wanted["sources"] = sorted(wanted["sources"], key=lambda s: s.code)
        task_services.save_programme_group(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class TaskSheet(_Sheet):
    name = "Nhiệm vụ"
    model = Task
    C_TITLE, C_SOURCE, C_AREA, C_YEAR = "Tên nhiệm vụ", "Nguồn", "Lĩnh vực", "Năm"
    C_START, C_DEADLINE, C_PRODUCT, C_DESCRIPTION = "Ngày bắt đầu", "Thời hạn", "Sản phẩm", "Mô tả"
    C_LEAD, C_COORD, C_ASSIGNEES = "Đơn vị chủ trì", "Đơn vị phối hợp", "Đơn vị thực hiện"
    headers = (
        C_CODE, C_TITLE, C_SOURCE, C_AREA, C_YEAR, C_START, C_DEADLINE, C_PRODUCT,
        C_DESCRIPTION, C_LEAD, C_COORD, C_ASSIGNEES,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "title": C_TITLE, "year": C_YEAR, "start_date": C_START,
        "deadline": C_DEADLINE, "expected_product": C_PRODUCT, "description": C_DESCRIPTION,
        "lead_unit": C_LEAD,
    }  # fmt: skip
    help = {
        C_DEADLINE: gettext_noop("Để trống: nhiệm vụ thường xuyên."),
        C_COORD: gettext_noop("Mã các đơn vị, cách nhau bởi dấu phẩy."),
        C_ASSIGNEES: gettext_noop(
            "Để trống: giao cho đơn vị chủ trì. Hoặc mã các đơn vị (cách nhau bởi dấu phẩy); "
            "“loại:xa, loại:phuong”: mọi xã, phường đang hoạt động; “nhánh:<mã đơn vị>”: mọi "
            "đơn vị báo cáo thuộc đơn vị đó. Có thể ghi nhiều cách cùng lúc."
        ),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        tasks = Task.objects.select_related("source", "area", "lead_unit").prefetch_related(
            "coordinating_units", "assignments__unit"
        )
        for t in tasks.order_by("code"):
            yield [
                t.code, t.title, t.source.code, t.area.code, t.year, _date_text(t.start_date),
                _date_text(t.deadline), t.expected_product, t.description, t.lead_unit.code,
                _joined(sorted(u.code for u in t.coordinating_units.all())),
                describe_assignees(current_assignees(t), t.lead_unit, units),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_SOURCE, SourceSheet.name, "A"),
            Dropdown(self.C_AREA, AreaSheet.name, "A"),
            Dropdown(self.C_LEAD, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "title": cells.text(self.C_TITLE, required=True),
            "source": _find(cells, self.C_SOURCE, Source, _("nguồn")),
            "area": _find(cells, self.C_AREA, Area, _("lĩnh vực")),
            "lead_unit": ctx.units.find(cells, self.C_LEAD, required=True),
            "year": cells.integer(self.C_YEAR, 2000, 2100, required=True),
            "start_date": cells.date(self.C_START),
            "deadline": cells.date(self.C_DEADLINE),
            "expected_product": cells.text(self.C_PRODUCT),
            "description": cells.text(self.C_DESCRIPTION),
            "coordinating_units": set(ctx.units.find_many(cells, self.C_COORD)),
        }
        assignees, problems = parse_assignees(cells.text(self.C_ASSIGNEES), ctx.units)
        for problem in problems:
            cells.fail(self.C_ASSIGNEES, problem)
        self.done(cells)
        wanted["coordinating_units"] = sorted(wanted["coordinating_units"], key=lambda u: u.code)
        existing = (
            Task.objects.filter(code=code)
            .prefetch_related("coordinating_units", "assignments__unit")
            .first()
        )
        if existing is None:
            task_services.create_task(actor=ctx.actor, code=code, assignees=assignees, **wanted)
            return CREATED
        self._same_assignees(cells, existing, assignees or [wanted["lead_unit"]])
        return (
            UPDATED if task_services.update_task(actor=ctx.actor, task=existing, **wanted) else None
        )

    def _same_assignees(self, cells: _Cells, task: Task, wanted: list[Unit]) -> None:
        """Who carries out a task already given is changed on the task's page, where adding or
        taking off a unit keeps its history; the file only gives new tasks."""
        if {u.pk for u in wanted} != {u.pk for u in current_assignees(task)}:
            message = _(
                "Nhiệm vụ đã giao cho %(n)s đơn vị; tệp không đổi được đơn vị thực hiện của "
                "nhiệm vụ đã có — hãy đổi trên trang nhiệm vụ."
            )
            cells.fail(self.C_ASSIGNEES, message % {"n": len(current_assignees(task))})
            self.done(cells)


_ELEMENT_SCOPE_HELP = {
    C_TYPES: gettext_noop(
        "Mã các loại đơn vị (xem trang “Danh mục”); để trống: mọi loại đơn vị báo cáo."
    ),
    C_WITHIN: gettext_noop("Mã một đơn vị: chỉ các đơn vị thuộc đơn vị đó; để trống: cả tỉnh."),
}


class ElementSheet(_Sheet):
    name = "Số liệu"
    model = DataElement
    C_VALUE_TYPE, C_UNIT_LABEL, C_KIND = "Kiểu số liệu", "Đơn vị tính", "Tần suất báo cáo"
    C_REPORTERS, C_UPDATE = "Đơn vị báo cáo", "Cập nhật ít nhất mỗi (ngày)"
    headers = (
        C_CODE, C_NAME, C_VALUE_TYPE, C_UNIT_LABEL, C_KIND, C_TYPES, C_WITHIN, C_REPORTERS,
        C_FROM, C_TO, C_UPDATE,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "value_type": C_VALUE_TYPE, "unit_label": C_UNIT_LABEL,
        "period_kind": C_KIND, "unit_types": C_TYPES, "within": C_WITHIN,
        "reporting_units": C_REPORTERS, "active_from": C_FROM, "active_to": C_TO,
        "update_days": C_UPDATE,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop(
            "Chữ cái đầu, chỉ gồm chữ, số và dấu gạch dưới; công thức chỉ tiêu dùng mã này."
        ),
        **_ELEMENT_SCOPE_HELP,
        C_REPORTERS: gettext_noop("Mã các đơn vị: khi có, chỉ các đơn vị này báo cáo."),
        C_UPDATE: gettext_noop("Để trống: theo độ dài của kỳ."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        value_types, kinds = _labels(ValueType.choices), _labels(PeriodKind.choices)
        elements = DataElement.objects.select_related("within").prefetch_related("reporting_units")
        for e in elements.order_by("code"):
            yield [
                e.code, e.name, value_types[e.value_type], e.unit_label, kinds[e.period_kind],
                _joined(e.unit_types), e.within.code if e.within else "",
                _joined(sorted(u.code for u in e.reporting_units.all())),
                _date_text(e.active_from), _date_text(e.active_to), e.update_days or "",
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_VALUE_TYPE, LISTS, ListsSheet.letter(ListsSheet.VALUE_TYPES)),
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
            Dropdown(C_WITHIN, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "value_type": cells.choice(self.C_VALUE_TYPE, _labels(ValueType.choices)),
            "unit_label": cells.text(self.C_UNIT_LABEL),
            "period_kind": cells.choice(self.C_KIND, _labels(PeriodKind.choices)),
            "unit_types": cells.unit_types(C_TYPES),
            "within": ctx.units.find(cells, C_WITHIN),
            "reporting_units": set(ctx.units.find_many(cells, self.C_REPORTERS)),
            "active_from": cells.date(C_FROM),
            "active_to": cells.date(C_TO),
            "update_days": cells.integer(self.C_UPDATE, 1, 32767),
        }
        self.done(cells)
        existing = DataElement.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_element(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_element(actor=ctx.actor, element=existing, **wanted)
        return UPDATED


class SetSheet(_Sheet):
    name = "Bộ chỉ tiêu"
    model = IndicatorSet
    C_FIRST, C_LAST = "Từ năm", "Đến năm"
    headers = (C_CODE, C_NAME, C_FIRST, C_LAST, C_ORDER)
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "first_year": C_FIRST, "last_year": C_LAST,
        "order": C_ORDER,
    }  # fmt: skip
    help = {
        C_NAME: gettext_noop(
            "Cách tỉnh viết tên bộ, ví dụ “giai đoạn 2025–2045”; chỉ tiêu của bộ ghi ở "
            "trang “Chỉ tiêu”."
        )
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        for s in IndicatorSet.objects.order_by("order", "code"):
            yield [s.code, s.name, s.first_year, s.last_year, s.order]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "first_year": cells.integer(self.C_FIRST, 2000, 2100, required=True),
            "last_year": cells.integer(self.C_LAST, 2000, 2100, required=True),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
        }
        self.done(cells)
        existing = IndicatorSet.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        # Its members are said by the indicators' sheet (`indicators=None` keeps them here).
        indicator_services.save_indicator_set(actor=ctx.actor, code=code, **wanted)
        return UPDATED if existing else CREATED


class IndicatorSheet(_Sheet):
    name = "Chỉ tiêu"
    model = Indicator
    C_AREA, C_FORMULA, C_UNIT_LABEL = "Lĩnh vực", "Công thức", "Đơn vị tính"
    C_DIRECTION, C_EVALUATION = "Chiều đánh giá", "Phương pháp đánh giá"
    C_LEGAL, C_METHOD, C_KIND = "Căn cứ pháp lý", "Mô tả phương pháp tạm thời", "Loại kỳ"
    C_SETS = "Bộ chỉ tiêu"
    headers = (
        C_CODE, C_NAME, C_AREA, C_FORMULA, C_UNIT_LABEL, C_DIRECTION, C_EVALUATION, C_LEGAL,
        C_METHOD, C_KIND, C_ORDER, C_SETS,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "area": C_AREA, "formula": C_FORMULA,
        "unit_label": C_UNIT_LABEL, "direction": C_DIRECTION, "evaluation": C_EVALUATION,
        "legal_source": C_LEGAL, "method_note": C_METHOD, "period_kind": C_KIND,
        "order": C_ORDER,
    }  # fmt: skip
    help = {
        C_FORMULA: gettext_noop("Biểu thức trên mã số liệu, ví dụ 100 * DVC_TT / TTHC_TONG."),
        C_LEGAL: gettext_noop("Bắt buộc khi phương pháp chính thức."),
        C_METHOD: gettext_noop("Bắt buộc khi phương pháp tạm thời."),
        C_SETS: gettext_noop(
            "Mã các bộ chỉ tiêu (trang “Bộ chỉ tiêu”) có chỉ tiêu này, cách nhau bởi dấu phẩy."
        ),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        directions, evaluations = _labels(Direction.choices), _labels(Evaluation.choices)
        kinds = _labels(PeriodKind.choices)
        indicators = Indicator.objects.select_related("area").prefetch_related("sets")
        for i in indicators.order_by("order", "code"):
            yield [
                i.code, i.name, i.area.code if i.area else "", i.formula, i.unit_label,
                directions[i.direction], evaluations[i.evaluation], i.legal_source,
                i.method_note, kinds[i.period_kind], i.order,
                _joined(sorted(s.code for s in i.sets.all())),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_AREA, AreaSheet.name, "A"),
            Dropdown(self.C_DIRECTION, LISTS, ListsSheet.letter(ListsSheet.DIRECTIONS)),
            Dropdown(self.C_EVALUATION, LISTS, ListsSheet.letter(ListsSheet.EVALUATIONS)),
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        wanted: dict[str, Any] = {
            "name": cells.text(C_NAME, required=True),
            "area": _find(cells, self.C_AREA, Area, _("lĩnh vực"), required=False),
            "formula": cells.text(self.C_FORMULA, required=True),
            "unit_label": cells.text(self.C_UNIT_LABEL),
            "direction": cells.choice(
                self.C_DIRECTION, _labels(Direction.choices), default=Direction.HIGHER
            ),
            "evaluation": cells.choice(
                self.C_EVALUATION, _labels(Evaluation.choices), default=Evaluation.OFFICIAL
            ),
            "legal_source": cells.text(self.C_LEGAL),
            "method_note": cells.text(self.C_METHOD),
            "period_kind": cells.choice(self.C_KIND, _labels(PeriodKind.choices)),
            "order": cells.integer(C_ORDER, 0, 32767) or 0,
            "sets": set(_find_many(cells, self.C_SETS, IndicatorSet, _("bộ chỉ tiêu"))),
        }
        self.done(cells)
        existing = Indicator.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_indicator(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_indicator(actor=ctx.actor, indicator=existing, **wanted)
        return UPDATED


class TargetSheet(_Sheet):
    name = "Mục tiêu"
    C_INDICATOR, C_YEAR, C_VALUE = "Chỉ tiêu", "Năm", "Giá trị"
    headers = (C_INDICATOR, C_YEAR, C_TYPES, C_VALUE)
    key = (C_INDICATOR, C_YEAR, C_TYPES)
    field_columns = {"year": C_YEAR, "unit_type": C_TYPES, "value": C_VALUE}
    help = {
        C_INDICATOR: gettext_noop("Mã chỉ tiêu."),
        C_YEAR: gettext_noop("Để trống: mục tiêu giai đoạn 2025–2045."),
        C_TYPES: gettext_noop("Mã một loại đơn vị; để trống: mọi đơn vị."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        targets = Target.objects.select_related("indicator")
        ordered = sorted(targets, key=lambda t: (t.indicator.code, t.year or 0, t.unit_type))
        for t in ordered:
            yield [t.indicator.code, t.year or "", t.unit_type, _number(t.value)]

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_INDICATOR, IndicatorSheet.name, "A"),
            Dropdown(C_TYPES, LISTS, ListsSheet.letter(ListsSheet.UNIT_TYPES)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        indicator = _find(cells, self.C_INDICATOR, Indicator, _("chỉ tiêu"))
        year = cells.integer(self.C_YEAR, 2000, 2100)
        types = cells.unit_types(C_TYPES)
        if len(types) > 1:
            cells.fail(C_TYPES, _("Mỗi dòng một loại đơn vị."))
        value = cells.decimal(self.C_VALUE, required=True)
        self.done(cells)
        unit_type = types[0] if types else ""
        existing = Target.objects.filter(
            indicator=indicator, year=year, unit_type=unit_type
        ).first()
        if existing is not None and existing.value == value:
            return None
        assert value is not None  # a required cell: done() refused the row otherwise
        indicator_services.set_target(
            actor=ctx.actor, indicator=indicator, value=value, year=year, unit_type=unit_type
        )
        return UPDATED if existing else CREATED


class RuleSheet(_Sheet):
    name = "Quy tắc kiểm tra"
    model = ValidationRule
    C_KIND, C_SEVERITY, C_ELEMENT, C_TOTAL = "Loại quy tắc", "Mức độ", "Số liệu", "Tổng số"
    C_PARTS, C_NUMERATOR, C_DENOMINATOR = "Các phần", "Tử số", "Mẫu số"
    C_MIN, C_MAX, C_THRESHOLD, C_MESSAGE = (
        "Giá trị nhỏ nhất",
        "Giá trị lớn nhất",
        "Ngưỡng",
        "Thông báo",
    )
    C_UNITS = "Chỉ các đơn vị"
    headers = (
        C_CODE, C_NAME, C_KIND, C_SEVERITY, C_ELEMENT, C_TOTAL, C_PARTS, C_NUMERATOR,
        C_DENOMINATOR, C_MIN, C_MAX, C_THRESHOLD, C_MESSAGE, C_TYPES, C_WITHIN, C_UNITS,
        C_FROM, C_TO,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "kind": C_KIND, "severity": C_SEVERITY,
        "element": C_ELEMENT, "total": C_TOTAL, "parts": C_PARTS, "numerator": C_NUMERATOR,
        "denominator": C_DENOMINATOR, "min_value": C_MIN, "max_value": C_MAX,
        "threshold": C_THRESHOLD, "message": C_MESSAGE, "unit_types": C_TYPES,
        "within": C_WITHIN, "units": C_UNITS, "active_from": C_FROM, "active_to": C_TO,
    }  # fmt: skip
    help = {
        C_KIND: gettext_noop(
            "Các phần cộng lại bằng tổng số: Tổng số, Các phần. Tỷ lệ khớp: Số liệu (tỷ lệ), Tử "
            "số, Mẫu số, Ngưỡng (điểm %). Giá trị trong khoảng: Số liệu, Giá trị nhỏ nhất/lớn "
            "nhất. Thay đổi so với kỳ trước: Số liệu, Ngưỡng (%). Bắt buộc nhập: Số liệu."
        ),
        C_PARTS: gettext_noop("Mã các số liệu, cách nhau bởi dấu phẩy."),
        **_ELEMENT_SCOPE_HELP,
        C_UNITS: gettext_noop("Mã các đơn vị: khi có, quy tắc chỉ áp dụng cho các đơn vị này."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        kinds, severities = _labels(RuleKind.choices), _labels(Severity.choices)
        rules = ValidationRule.objects.select_related(
            "element", "total", "numerator", "denominator", "within"
        ).prefetch_related("parts", "units")

        def code(element: DataElement | None) -> str:
            return element.code if element else ""

        for r in rules.order_by("code"):
            yield [
                r.code, r.name, kinds[r.kind], severities[r.severity], code(r.element),
                code(r.total), _joined(sorted(p.code for p in r.parts.all())),
                code(r.numerator), code(r.denominator), _number(r.min_value),
                _number(r.max_value), _number(r.threshold), r.message, _joined(r.unit_types),
                r.within.code if r.within else "",
                _joined(sorted(u.code for u in r.units.all())),
                _date_text(r.active_from), _date_text(r.active_to),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        elements = [
            Dropdown(column, ElementSheet.name, "A")
            for column in (self.C_ELEMENT, self.C_TOTAL, self.C_NUMERATOR, self.C_DENOMINATOR)
        ]
        return [
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.RULE_KINDS)),
            Dropdown(self.C_SEVERITY, LISTS, ListsSheet.letter(ListsSheet.SEVERITIES)),
            *elements,
            Dropdown(C_WITHIN, LISTS, ListsSheet.letter(ListsSheet.UNIT_CODES)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        kind = cells.choice(self.C_KIND, _labels(RuleKind.choices))

        def element(column: str) -> DataElement | None:
            return _find(cells, column, DataElement, _("số liệu"), required=False)

        wanted: dict[str, Any] = {
            "kind": kind,
            "severity": cells.choice(
                self.C_SEVERITY, _labels(Severity.choices), default=Severity.ERROR
            ),
            "name": cells.text(C_NAME),
            "element": element(self.C_ELEMENT),
            "total": element(self.C_TOTAL),
            "parts": set(_find_many(cells, self.C_PARTS, DataElement, _("số liệu"))),
            "numerator": element(self.C_NUMERATOR),
            "denominator": element(self.C_DENOMINATOR),
            "min_value": cells.decimal(self.C_MIN),
            "max_value": cells.decimal(self.C_MAX),
            "threshold": cells.decimal(self.C_THRESHOLD),
            "message": cells.text(self.C_MESSAGE),
            "unit_types": cells.unit_types(C_TYPES),
            "within": ctx.units.find(cells, C_WITHIN),
            "units": set(ctx.units.find_many(cells, self.C_UNITS)),
            "active_from": cells.date(C_FROM),
            "active_to": cells.date(C_TO),
        }
        self.done(cells)
        # What the service keeps of a kind's fields (a range rule has no parts): compare that.
        used = indicator_services.RULE_FIELDS[kind or ""]
        for name in (
            "element",
            "total",
            "numerator",
            "denominator",
            "min_value",
            "max_value",
            "threshold",
        ):
            if name not in used:
                wanted[name] = None
        if "parts" not in used:
            wanted["parts"] = set()
        existing = ValidationRule.objects.filter(code=code).first()
        if existing is not None and _same(existing, wanted):
            return None
        if existing is None:
            indicator_services.create_rule(actor=ctx.actor, code=code, **wanted)
            return CREATED
        indicator_services.update_rule(actor=ctx.actor, rule=existing, **wanted)
        return UPDATED


class FormSheet(_Sheet):
    name = "Mẫu báo cáo"
    model = ReportForm
    C_KIND, C_SECTIONS, C_EVERY = "Loại kỳ", "Các phần nội dung", "Mọi số liệu của loại kỳ"
    C_ELEMENTS, C_QUESTIONS = "Số liệu", "Câu hỏi"
    headers = (C_CODE, C_NAME, C_KIND, C_SECTIONS, C_EVERY, C_ELEMENTS, C_QUESTIONS)
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "kind": C_KIND, "sections": C_SECTIONS,
        "elements": C_ELEMENTS, "questions": C_QUESTIONS,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop("Chữ in hoa không dấu, chữ số và dấu “-”."),
        C_SECTIONS: gettext_noop("Mã các phần (xem trang “Danh mục”), cách nhau bởi dấu phẩy."),
        C_ELEMENTS: gettext_noop("Khi không hỏi mọi số liệu: mã các số liệu được hỏi."),
        C_QUESTIONS: gettext_noop("Chỉ báo cáo nhanh: mỗi câu hỏi một dòng trong ô."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        kinds = _labels(PeriodKind.choices)
        for f in ReportForm.objects.prefetch_related("elements").order_by("code"):
            yield [
                f.code, f.name, kinds[f.kind], _joined(f.sections), _yes_no(f.every_element),
                _joined(sorted(e.code for e in f.elements.all())), f.questions,
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_KIND, LISTS, ListsSheet.letter(ListsSheet.PERIOD_KINDS)),
            Dropdown(self.C_EVERY, LISTS, ListsSheet.letter(ListsSheet.YES_NO)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        sections = cells.codes(self.C_SECTIONS)
        unknown = [s for s in sections if s not in SectionKind.values]
        if unknown:
            message = _("Phần nội dung không có: %(s)s (xem trang “%(lists)s”).")
            cells.fail(self.C_SECTIONS, message % {"s": ", ".join(unknown), "lists": LISTS})
        data = schedules.FormInput(
            code=code,
            name=cells.text(C_NAME, required=True),
            kind=cells.choice(self.C_KIND, _labels(PeriodKind.choices)) or "",
            sections=sections,
            every_element=cells.boolean(self.C_EVERY, True),
            elements=_find_many(cells, self.C_ELEMENTS, DataElement, _("số liệu")),
            questions=cells.text(self.C_QUESTIONS),
        )
        self.done(cells)
        existing = ReportForm.objects.filter(code=code).first()
        if existing is not None and self._stored(existing) == self._stored(data):
            return None
        schedules.save_report_form(actor=ctx.actor, data=data, form=existing)
        return UPDATED if existing else CREATED

    @staticmethod
    def _stored(form: ReportForm | schedules.FormInput) -> tuple[Any, ...]:
        """What save_report_form stores of a form: its parts in the report's order, its
        questions one a line, its elements only when it does not ask every one."""
        elements = form.elements.all() if isinstance(form, ReportForm) else form.elements
        questions = [q.strip() for q in form.questions.splitlines() if q.strip()]
        return (
            form.name.strip(), form.kind, sorted(form.sections), form.every_element,
            set() if form.every_element else {e.pk for e in elements}, questions,
        )  # fmt: skip


class ScheduleSheet(_Sheet):
    name = "Lịch báo cáo"
    model = Schedule
    C_FREQUENCY, C_FORM, C_STARTS, C_ENDS = (
        "Tần suất",
        "Mẫu báo cáo",
        "Bắt đầu từ ngày",
        "Kết thúc ngày",
    )
    C_CUTOFF, C_DUE_DAY, C_DUE_MONTH = (
        "Ngày chốt số liệu",
        "Hạn nộp: ngày trong tháng",
        "Hạn nộp: tháng",
    )
    C_DUE_WORKING, C_DUE_TIME = "Hạn nộp: số ngày làm việc sau ngày chốt", "Giờ hạn nộp"
    C_OPENS, C_CLOSES = "Mở nhận báo cáo trước hạn (ngày)", "Đóng kỳ sau hạn (ngày)"
    C_REPORT_TYPES, C_BLOCS, C_UNITS = "Loại đơn vị phải báo cáo", "Thuộc khối", "Thêm các đơn vị"
    C_ACTIVE = "Đang áp dụng"
    headers = (
        C_CODE, C_NAME, C_FREQUENCY, C_FORM, C_STARTS, C_ENDS, C_CUTOFF, C_DUE_DAY,
        C_DUE_MONTH, C_DUE_WORKING, C_DUE_TIME, C_OPENS, C_CLOSES, C_REPORT_TYPES, C_BLOCS,
        C_UNITS, C_ACTIVE,
    )  # fmt: skip
    key = (C_CODE,)
    field_columns = {
        "code": C_CODE, "name": C_NAME, "frequency": C_FREQUENCY, "form": C_FORM,
        "starts_on": C_STARTS, "ends_on": C_ENDS, "cutoff_day": C_CUTOFF, "due_day": C_DUE_DAY,
        "due_month_offset": C_DUE_MONTH, "due_working_days": C_DUE_WORKING,
        "due_time": C_DUE_TIME, "opens_days_before": C_OPENS, "closes_days_after": C_CLOSES,
        "unit_types": C_REPORT_TYPES, "blocs": C_BLOCS, "units": C_UNITS,
    }  # fmt: skip
    help = {
        C_CODE: gettext_noop(
            "Chữ in hoa không dấu, chữ số và dấu “-”; đứng đầu mã các kỳ được tạo."
        ),
        C_CUTOFF: gettext_noop(
            "1: theo tháng dương lịch; 15: số liệu từ ngày 15 tháng trước đến ngày 14."
        ),
        C_DUE_DAY: gettext_noop(
            "Ghi một trong hai: ngày trong tháng, hoặc số ngày làm việc sau ngày chốt."
        ),
        C_DUE_TIME: gettext_noop("hh:mm, ví dụ 17:00."),
        C_OPENS: gettext_noop("Để trống: 5 ngày."),
        C_REPORT_TYPES: gettext_noop("Mã các loại đơn vị, cách nhau bởi dấu phẩy."),
        C_BLOCS: gettext_noop("Mã các khối: chỉ đơn vị thuộc các khối này."),
    }

    def rows(self, units: Units) -> Iterator[list[Any]]:
        frequencies = _labels(Frequency.choices)
        rows = Schedule.objects.select_related("form").prefetch_related("blocs", "units")
        for s in rows.order_by("code"):
            yield [
                s.code, s.name, frequencies[s.frequency], s.form.code, _date_text(s.starts_on),
                _date_text(s.ends_on), s.cutoff_day, s.due_day or "", s.due_month_offset,
                s.due_working_days or "", s.due_time.strftime(TIME_FORMAT), s.opens_days_before,
                "" if s.closes_days_after is None else s.closes_days_after,
                _joined(s.unit_types), _joined(sorted(u.code for u in s.blocs.all())),
                _joined(sorted(u.code for u in s.units.all())), _yes_no(s.active),
            ]  # fmt: skip

    def dropdowns(self) -> list[Dropdown]:
        return [
            Dropdown(self.C_FREQUENCY, LISTS, ListsSheet.letter(ListsSheet.FREQUENCIES)),
            Dropdown(self.C_FORM, FormSheet.name, "A"),
            Dropdown(self.C_ACTIVE, LISTS, ListsSheet.letter(ListsSheet.YES_NO)),
        ]

    def apply(self, ctx: _Context, cells: _Cells) -> str | None:
        code = cells.text(C_CODE, required=True)
        starts_on = cells.date(self.C_STARTS)
        if starts_on is None:
            cells.text(self.C_STARTS, required=True)
        data = schedules.ScheduleInput(
            code=code,
            name=cells.text(C_NAME, required=True),
            frequency=cells.choice(self.C_FREQUENCY, _labels(Frequency.choices)) or "",
            form=_find(cells, self.C_FORM, ReportForm, _("mẫu báo cáo")),
            starts_on=starts_on or date.min,  # only when the row is refused below
            ends_on=cells.date(self.C_ENDS),
            cutoff_day=cells.integer(self.C_CUTOFF, 1, 28) or 1,
            due_day=cells.integer(self.C_DUE_DAY, 1, 31),
            due_month_offset=cells.integer(self.C_DUE_MONTH, 0, 3) or 0,
            due_working_days=cells.integer(self.C_DUE_WORKING, 1, 60),
            due_time=cells.time(self.C_DUE_TIME) or time(17),
            opens_days_before=_or(cells.integer(self.C_OPENS, 0, 60), 5),
            closes_days_after=cells.integer(self.C_CLOSES, 0, 32767),
            unit_types=cells.unit_types(self.C_REPORT_TYPES, REPORTING_TYPES),
            blocs=ctx.units.find_many(cells, self.C_BLOCS),
            units=ctx.units.find_many(cells, self.C_UNITS),
        )
        active = cells.boolean(self.C_ACTIVE, True)
        self.done(cells)
        existing = Schedule.objects.filter(code=code).first()
        change = None
        if existing is None or self._stored(existing) != self._stored(data):
            change = UPDATED if existing else CREATED
            existing = schedules.save_schedule(actor=ctx.actor, data=data, schedule=existing)
        if existing.active != active:  # a new schedule starts active
            schedules.set_schedule_active(actor=ctx.actor, schedule=existing, active=active)
            change = change or UPDATED
        return change

    @staticmethod
    def _stored(schedule: Schedule | schedules.ScheduleInput) -> tuple[Any, ...]:
        blocs, units = schedule.blocs, schedule.units
        if isinstance(schedule, Schedule):
            blocs, units = schedule.blocs.all(), schedule.units.all()  # type: ignore[assignment]
        return (
            schedule.name.strip(), schedule.frequency, schedule.form.pk, schedule.starts_on,
            schedule.ends_on, schedule.cutoff_day, schedule.due_day, schedule.due_month_offset,
            schedule.due_working_days, schedule.due_time, schedule.opens_days_before,
            schedule.closes_days_after, sorted(schedule.unit_types),
            {u.pk for u in blocs}, {u.pk for u in units},  # type: ignore[union-attr]
        )  # fmt: skip


class ListsSheet:
    """The lists the dropdowns offer (and the reader looks codes up in): one column each."""

    UNIT_TYPES, UNIT_TYPE_NAMES = "Mã loại đơn vị", "Tên loại đơn vị"
    UNIT_CODES, UNIT_NAMES = "Mã đơn vị", "Tên đơn vị"
    VALUE_TYPES, PERIOD_KINDS = "Kiểu số liệu", "Loại kỳ / tần suất báo cáo"
    DIRECTIONS, EVALUATIONS = "Chiều đánh giá", "Phương pháp đánh giá"
    RULE_KINDS, SEVERITIES = "Loại quy tắc", "Mức độ"
    FREQUENCIES, YES_NO = "Tần suất lịch báo cáo", "Có/không"
    SECTIONS, SECTION_NAMES = "Mã phần nội dung", "Tên phần nội dung"
    HEADERS = (
        UNIT_TYPES, UNIT_TYPE_NAMES, VALUE_TYPES, PERIOD_KINDS, DIRECTIONS, EVALUATIONS,
        RULE_KINDS, SEVERITIES, FREQUENCIES, YES_NO, SECTIONS, SECTION_NAMES, UNIT_CODES,
        UNIT_NAMES,
    )  # fmt: skip

    @classmethod
    def letter(cls, header: str) -> str:
        return get_column_letter(cls.HEADERS.index(header) + 1)

    @classmethod
    def columns(cls, units: Units) -> list[list[Any]]:
        def names(choices: Iterable[tuple[str, Any]]) -> list[str]:
            return list(_labels(choices).values())

        return [
            list(UnitType.values), names(UnitType.choices), names(ValueType.choices),
            names(PeriodKind.choices), names(Direction.choices), names(Evaluation.choices),
            names(RuleKind.choices), names(Severity.choices), names(Frequency.choices),
            [YES, NO], list(SectionKind.values), names(SectionKind.choices),
            [u.code for u in units.all], [u.name for u in units.all],
        ]  # fmt: skip


SHEETS: tuple[_Sheet, ...] = (
    SourceSheet(),
    AreaSheet(),
    GroupSheet(),
    TaskSheet(),
    ElementSheet(),
    SetSheet(),
    IndicatorSheet(),
    TargetSheet(),
    RuleSheet(),
    FormSheet(),
    ScheduleSheet(),
)


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


def _add_dropdowns(worksheet: Worksheet, sheet: _Sheet, last_row: int) -> None:
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
    sheet: _Sheet
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
            found = read_rows(source, sheet.name, sheet.headers)
        except ImportRejected as rejected:
            raise ImportRejected(
                [_error(sheet.name, e.row, e.column, e.message) for e in rejected.errors]
            ) from None
        first: dict[tuple[str, ...], int] = {}
        for number, raw in found:
            key = tuple(_key_text(raw[c]) for c in sheet.key)
            duplicate = first.get(key) if any(key) else None
            first.setdefault(key, number)
            rows.append(_Row(sheet, number, raw, duplicate))
    return rows


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


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
        self.rows, self.ctx = rows, _Context(actor=actor, units=Units())
        self.counts = {sheet.name: SheetCount(sheet.name) for sheet in SHEETS}
        self.refused: Refused = {}

    def checked(self, row: _Row) -> list[RowError]:
        if row.duplicate_of is None:
            return []
        message = (
            _("Mã bị lặp trong tệp.") + " " + _("(Dòng %(n)s đã có.)") % {"n": row.duplicate_of}
        )
        return [_error(row.sheet.name, row.number, row.sheet.key[0], message)]

    def apply(self, row: _Row) -> None:
        cells = _Cells(row.sheet.name, row.number, row.raw, self.refused)
        change = row.sheet.apply(self.ctx, cells)
        count, key = (
            self.counts[row.sheet.name],
            " ".join(_key_text(row.raw[c]) for c in row.sheet.key),
        )
        if change == CREATED:
            count.created.append(key)
        elif change == UPDATED:
            count.updated.append(key)
        else:
            count.unchanged += 1

    def problems(self, row: _Row, exc: Exception) -> list[RowError]:
        self.refused.setdefault(row.sheet.name, set()).add(_key_text(row.raw[row.sheet.key[0]]))
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
        return [_error(sheet.name, row.number, key_column, message)]
    assert isinstance(exc, ValidationError)
    if not hasattr(exc, "error_dict"):
        return [_error(sheet.name, row.number, key_column, m) for m in exc.messages]
    return [
        _error(sheet.name, row.number, sheet.field_columns.get(name, key_column), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]
