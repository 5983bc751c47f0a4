"""The product workbook: the same columns out (export) and in (import), so an exported file
imported again changes nothing. An import registers drafts (a new row) or changes a draft the
unit still holds (a row with its product code), all or nothing through nq57.xlsx's runner,
every bad cell named in Vietnamese by row and column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from indicators.models import Indicator
from nq57.xlsx import (
    RowError,
    add_sheet,
    cell_date,
    cell_text,
    date_text,
    read_rows,
    run_import,
    workbook_bytes,
)
from org import access
from org.access import Action
from org.models import Unit, User
from products import services
from products.models import FundSource, Product
from products.services import MilestoneInput
from tasks.models import Area, Task

SHEET = "Sản phẩm"
CODE, UNIT, YEAR = "Mã sản phẩm", "Mã đơn vị", "Năm"
# Column → the product field it holds (and the service's name for it in its errors).
COLUMNS: dict[str, str] = {
    CODE: "code",
    UNIT: "unit",
    YEAR: "year",
    "Tên sản phẩm": "title",
    "Mô tả": "description",
    "Kết quả mang lại": "expected_result",
    "Đối tượng thụ hưởng": "beneficiaries",
    "Chỉ số đo kết quả": "measure",
    "Đơn vị tính": "measure_unit",
    "Giá trị ban đầu": "baseline",
    "Giá trị mục tiêu": "target",
    "Mã lĩnh vực": "area",
    "Mã nhiệm vụ liên quan": "tasks",
    "Mã chỉ tiêu liên quan": "indicators",
    "Kinh phí (đồng)": "budget",
    "Nguồn kinh phí": "fund_source",
    "Người chịu trách nhiệm": "owner_name",
    "Chức vụ": "owner_title",
    "Hạn hoàn thành": "due_on",
    "Các mốc (ngày: nội dung; …)": "milestones",
}
HEADERS = (*COLUMNS, "Trạng thái")  # the state is shown, never imported
_BY_FIELD = {name: column for column, name in COLUMNS.items()}
_SPLIT = re.compile(r"[\s,;]+")
_TEXT = (
    "title",
    "description",
    "expected_result",
    "beneficiaries",
    "measure",
    "measure_unit",
    "owner_name",
    "owner_title",
)


def _number(value: Decimal | None) -> Decimal | int | None:
    """A stored amount as the sheet shows it: whole numbers without decimals."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value


def product_row(product: Product) -> list[Any]:
    """One product in the workbook's columns."""
    milestones = "; ".join(f"{date_text(m.due_on)}: {m.title}" for m in product.milestones.all())
    values = {
        "code": product.code,
        "unit": product.unit.code,
        "year": product.year,
        **{name: getattr(product, name) for name in _TEXT},
        "baseline": _number(product.baseline),
        "target": _number(product.target),
        "area": product.area.code if product.area else "",
        "tasks": ", ".join(t.code for t in product.tasks.all()),
        "indicators": ", ".join(i.code for i in product.indicators.all()),
        "budget": _number(product.budget),
        "fund_source": product.get_fund_source_display(),
        "due_on": date_text(product.due_on),
        "milestones": milestones,
    }
    return [values[name] for name in COLUMNS.values()] + [product.get_state_display()]


def workbook(products: Iterable[Product]) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    add_sheet(book, SHEET, HEADERS, (product_row(p) for p in products))
    return workbook_bytes(book)


def template() -> bytes:
    return workbook([])


# --- reading ---------------------------------------------------------------------------------


@dataclass
class ProductRow:
    number: int
    cells: dict[str, Any]
    unit: Unit | None = None
    product: Product | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    milestones: list[MilestoneInput] = field(default_factory=list)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    text = cell_text(value).replace(" ", "")
    if not isinstance(value, int | float):
        text = text.replace(".", "").replace(",", ".")  # 1.250.000 or 12,5 as Vietnamese write
    return Decimal(text)


_FUNDS = {str(label).casefold(): code for code, label in FundSource.choices} | {
    code: code for code in FundSource.values
}


class _Reader:
    """Checks every cell of a row, naming each problem; fills the row's typed values."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.units = {u.code: u for u in access.units_where(actor, Action.REPORT)}
        self.areas = {a.code: a for a in Area.objects.all()}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.products = {p.code: p for p in Product.objects.select_related("unit")}

    def check(self, row: ProductRow) -> list[RowError]:
        errors: list[RowError] = []

        def bad(name: str, message: str) -> None:
            errors.append(RowError(row.number, _BY_FIELD[name], message))

        cells = {name: row.cells.get(column) for column, name in COLUMNS.items()}
        row.unit = self.units.get(cell_text(cells["unit"]))
        if row.unit is None:
            bad("unit", _("Không có đơn vị mã này, hoặc bạn không được đăng ký cho đơn vị đó."))
        code = cell_text(cells["code"])
        if code:
            row.product = self.products.get(code)
            if row.product is None or (row.unit and row.product.unit_id != row.unit.pk):
                bad("code", _("Không có sản phẩm mã này của đơn vị."))
        self._typed(row, cells, bad)
        return errors

    def _typed(self, row: ProductRow, cells: dict[str, Any], bad: Any) -> None:
        fields = row.fields
        for name in _TEXT:
            fields[name] = cell_text(cells[name])
        try:
            fields["year"] = int(cell_text(cells["year"]))
        except ValueError:
            bad("year", _("Năm phải là số, ví dụ 2026."))
        for name in ("baseline", "target", "budget"):
            try:
                fields[name] = _decimal(cells[name])
            except (InvalidOperation, ValueError):
                bad(name, _("Phải là số."))
        if fields.get("budget") is None:
            fields["budget"] = Decimal(0)
        try:
            fields["due_on"] = cell_date(cells["due_on"])
        except ValidationError:
            bad("due_on", _("Ngày phải viết dạng dd/mm/yyyy."))
        if fields.get("due_on") is None:
            bad("due_on", _("Phải nêu hạn hoàn thành."))
        area = cell_text(cells["area"])
        fields["area"] = self.areas.get(area)
        if area and fields["area"] is None:
            bad("area", _("Không có lĩnh vực mã “%(code)s”.") % {"code": area})
        fund = cell_text(cells["fund_source"])
        fields["fund_source"] = _FUNDS.get(fund.casefold(), FundSource.PROVINCE if not fund else "")
        if not fields["fund_source"]:
            bad(
                "fund_source",
                _("Nguồn kinh phí là một trong: %(names)s.")
                % {"names": ", ".join(str(label) for label in FundSource.labels)},
            )
        self._links(row, cells, bad)

    def _links(self, row: ProductRow, cells: dict[str, Any], bad: Any) -> None:
        codes = [c for c in _SPLIT.split(cell_text(cells["tasks"])) if c]
        found = {t.code: t for t in Task.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            bad("tasks", _("Không có nhiệm vụ: %(codes)s.") % {"codes": ", ".join(missing)})
        row.tasks = [found[c] for c in codes if c in found]
        codes = [c for c in _SPLIT.split(cell_text(cells["indicators"])) if c]
        missing = [c for c in codes if c not in self.indicators]
        if missing:
            bad("indicators", _("Không có chỉ tiêu: %(codes)s.") % {"codes": ", ".join(missing)})
        row.indicators = [self.indicators[c] for c in codes if c in self.indicators]
        for part in (
            p.strip() for p in cell_text(cells["milestones"]).replace("\n", ";").split(";")
        ):
            if not part:
                continue
            day, sep, title = part.partition(":")
            try:
                due = cell_date(day.strip()) if sep else None
            except ValidationError:
                due = None
            if due is None or not title.strip():
                bad(
                    "milestones",
                    _("Mốc “%(part)s” phải viết dạng dd/mm/yyyy: nội dung.") % {"part": part},
                )
                continue
            row.milestones.append(MilestoneInput(title.strip(), due))


def _unchanged(row: ProductRow) -> bool:
    product = row.product
    if product is None:
        return False
    assert row.unit is not None
    return product_row(product)[: len(COLUMNS)] == _as_row(row)


def _as_row(row: ProductRow) -> list[Any]:
    """What the typed row would export as: compared with the product's own row."""
    assert row.unit is not None and row.product is not None
    shown = Product(unit=row.unit, code=row.product.code, **row.fields)
    values = {
        "code": shown.code,
        "unit": row.unit.code,
        "year": shown.year,
        **{name: getattr(shown, name) for name in _TEXT},
        "baseline": _number(shown.baseline),
        "target": _number(shown.target),
        "area": shown.area.code if shown.area else "",
        "tasks": ", ".join(t.code for t in row.tasks),
        "indicators": ", ".join(i.code for i in row.indicators),
        "budget": _number(shown.budget),
        "fund_source": shown.get_fund_source_display(),
        "due_on": date_text(shown.due_on),
        "milestones": "; ".join(f"{date_text(m.due_on)}: {m.title}" for m in row.milestones),
    }
    return [values[name] for name in COLUMNS.values()]


def import_products(*, actor: User, source: IO[bytes], dry_run: bool = False) -> ImportSummary:
    """Register or change every row's product, or none (ImportRejected names every problem)."""
    rows = [ProductRow(n, cells) for n, cells in read_rows(source, SHEET, tuple(COLUMNS))]
    reader, summary = _Reader(actor), ImportSummary()

    def apply(row: ProductRow) -> None:
        assert row.unit is not None
        if _unchanged(row):
            summary.unchanged += 1
            return
        fields = dict(row.fields)
        year = fields.pop("year")
        if row.product is None:
            services.create_product(
                actor=actor,
                unit=row.unit,
                year=year,
                tasks=row.tasks,
                indicators=row.indicators,
                milestones=row.milestones,
                **fields,
            )
            summary.created += 1
            return
        services.update_product(
            actor=actor,
            product=row.product,
            version=row.product.version,
            tasks=row.tasks,
            indicators=row.indicators,
            milestones=row.milestones,
            **fields,
        )
        summary.updated += 1

    run_import(rows, checked=reader.check, apply=apply, problems=_problems, dry_run=dry_run)
    return summary


def _problems(row: ProductRow, exc: Exception) -> Sequence[RowError]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            RowError(row.number, _BY_FIELD.get(name, ""), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    messages = (
        exc.messages
        if isinstance(exc, ValidationError)
        else [_("Bạn không được đăng ký sản phẩm cho đơn vị này.")]
    )
    return [RowError(row.number, CODE, m) for m in messages]
