"""XLSX import of figures: one sheet per period, named by the period code (e.g. "2025-Q3"), with
the columns `Mã đơn vị | Mã số liệu | Giá trị` (an optional `Ghi chú` column is read and ignored:
a figure has no note).

The import is all-or-nothing and names every bad row: problems of a row's own cells come from
parse_value_file; unknown periods, units and elements, rights, type checks (record_value) and
the validation rules of severity "error" are found by import_value_rows, which runs every row
in one transaction (nq57.xlsx.run_import) and rolls it back when anything is wrong or for a dry
run. Whether a unit's figures may be written at all (its report not submitted, the period not
closed) is reporting's rule, handed in as `guard`: the import is started by
reporting.services.import_figures. A warning refuses the import too, naming its row, unless the
importer confirms the warnings with a comment (`accept_warnings`, `comment`): then they are
stored as confirmed (services.confirm_warnings) and listed in the summary, and the comment is the
reason on every figure the import changes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from indicators import services
from indicators.models import DataElement, DataValue, Severity, ValueType
from indicators.validation import (
    Violation,
    applies,
    evaluate,
    previous_period,
    rule_codes,
    rules,
)
from nq57.xlsx import (
    ImportRejected,
    RowError,
    build_workbook,
    cell_text,
    read_rows,
    run_import,
    sheet_error,
)
from org.models import Unit, User
from periods.models import Period, PeriodKind

C_UNIT, C_ELEMENT, C_VALUE, C_NOTE = "Mã đơn vị", "Mã số liệu", "Giá trị", "Ghi chú"
HEADERS = (C_UNIT, C_ELEMENT, C_VALUE)
# A number typed as text: digits with an optional decimal point or comma. A fraction of exactly
# three digits ("181.580") may be a Vietnamese thousands separator, so it is refused as unclear.
_NUMBER_TEXT = re.compile(r"-?\d+(?:[.,](\d+))?")


@dataclass(frozen=True)
class ValueRow:
    sheet: str  # the period code
    row: int  # Excel row number within its sheet
    unit_code: str
    element_code: str
    value: Decimal | None  # the cell as a number, when it is one
    text: str  # the cell as text, when it is not a number (kept for text elements)
    errors: tuple[RowError, ...] = ()  # what is wrong in the row's own cells


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)  # validation warnings (confirmed or not)


def _cell_value(raw: Any) -> tuple[Decimal | None, str, str | None]:
    """(number, text, problem) of the value cell."""
    if raw is None or raw == "":
        return None, "", None
    if isinstance(raw, bool):
        return None, str(raw), None
    if isinstance(raw, (int, float, Decimal)):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return None, "", _("Giá trị không hợp lệ.")
        return (number, "", None) if number.is_finite() else (None, "", _("Giá trị không hợp lệ."))
    text = str(raw).strip()
    match = _NUMBER_TEXT.fullmatch(text)
    if match is None:
        return None, text, None  # a text figure, or text in a number cell (decided at import)
    if match.group(1) is not None and len(match.group(1)) == 3:
        problem = _(
            "“%(v)s” không rõ là số thập phân hay có dấu phân cách hàng nghìn; hãy nhập ô kiểu số."
        )
        return None, text, problem % {"v": text}
    return Decimal(text.replace(",", ".")), "", None


def _row(sheet: str, number: int, cells: dict[str, Any]) -> ValueRow:
    errors = []
    unit_code, element_code = cell_text(cells[C_UNIT]), cell_text(cells[C_ELEMENT])
    for column, code in ((C_UNIT, unit_code), (C_ELEMENT, element_code)):
        if not code:
            errors.append(sheet_error(sheet, number, column, _("Không được để trống.")))
    value, text, problem = _cell_value(cells[C_VALUE])
    if problem:
        errors.append(sheet_error(sheet, number, C_VALUE, problem))
    return ValueRow(sheet, number, unit_code, element_code, value, text, tuple(errors))


def parse_value_file(source: IO[bytes]) -> list[ValueRow]:
    """Rows of every sheet, each carrying the problems of its own cells (blank codes, unclear
    numbers, the same unit and element twice in a sheet)."""
    try:
        workbook = load_workbook(source, read_only=True)
        sheets = list(workbook.sheetnames)
        workbook.close()
    except Exception as exc:  # any malformed workbook: openpyxl raises many kinds
        raise ImportRejected(
            [RowError(0, "", _("Tệp không phải là bảng tính XLSX hợp lệ."))]
        ) from exc
    rows: list[ValueRow] = []
    for sheet in sheets:
        source.seek(0)
        rows += [_row(sheet, number, cells) for number, cells in read_rows(source, sheet, HEADERS)]
    counts = Counter((r.sheet, r.unit_code, r.element_code) for r in rows if r.unit_code)
    return [
        replace(
            r,
            errors=(
                *r.errors,
                sheet_error(r.sheet, r.row, C_ELEMENT, _("Số liệu bị lặp trong trang.")),
            ),
        )
        if r.unit_code and r.element_code and counts[(r.sheet, r.unit_code, r.element_code)] > 1
        else r
        for r in rows
    ]


# --- importing -------------------------------------------------------------------------------


@dataclass
class _Lookups:
    periods: dict[str, Period]
    units: dict[str, Unit]
    elements: dict[str, DataElement]
    stored: dict[tuple[int, int, int], DataValue]  # by (period, unit, element) ids

    @classmethod
    def load(cls, rows: Sequence[ValueRow]) -> _Lookups:
        periods = {p.code: p for p in Period.objects.filter(code__in={r.sheet for r in rows})}
        units = {u.code: u for u in Unit.objects.filter(code__in={r.unit_code for r in rows})}
        elements = {
            e.code: e for e in DataElement.objects.filter(code__in={r.element_code for r in rows})
        }
        stored = DataValue.objects.filter(
            period__in=periods.values(), unit__in=units.values(), element__in=elements.values()
        )
        return cls(
            periods, units, elements, {(v.period_id, v.unit_id, v.element_id): v for v in stored}
        )


def _references(row: ValueRow, look: _Lookups) -> list[RowError]:
    errors = []
    if row.sheet not in look.periods:
        message = _("Không có kỳ báo cáo “%(c)s” (tên trang tính là mã kỳ).") % {"c": row.sheet}
        errors.append(sheet_error(row.sheet, row.row, C_UNIT, message))
    if row.unit_code not in look.units:
        message = _("Không có đơn vị mã “%(c)s”.") % {"c": row.unit_code}
        errors.append(sheet_error(row.sheet, row.row, C_UNIT, message))
    if row.element_code not in look.elements:
        message = _("Không có số liệu mã “%(c)s”.") % {"c": row.element_code}
        errors.append(sheet_error(row.sheet, row.row, C_ELEMENT, message))
    element = look.elements.get(row.element_code)
    if element is not None and element.value_type != ValueType.TEXT and row.text:
        message = _("Cần một số, không phải chữ: “%(v)s”.") % {"v": row.text}
        errors.append(sheet_error(row.sheet, row.row, C_VALUE, message))
    return errors


@dataclass(frozen=True)
class _Entry:
    """Who imports, when (one moment for every figure and confirmation of the file), whether
    the warnings are confirmed and with which comment."""

    actor: User
    guard: FigureGuard
    at: datetime
    accept_warnings: bool
    comment: str


def _apply(entry: _Entry, row: ValueRow, look: _Lookups, summary: ImportSummary) -> None:
    period, unit = look.periods[row.sheet], look.units[row.unit_code]
    element = look.elements[row.element_code]
    entry.guard(entry.actor, unit, period)  # an unchanged row is checked too: not another's
    old = look.stored.get((period.pk, unit.pk, element.pk))
    if old is not None and old.value == row.value and old.text == row.text:
        summary.unchanged += 1
        return
    services.record_value(
        actor=entry.actor, unit=unit, period=period, element=element, value=row.value,
        text=row.text, reason=entry.comment, at=entry.at,
    )  # fmt: skip
    if old is None:
        summary.created += 1
    else:
        summary.updated += 1


def _row_problem(row: ValueRow, exc: Exception) -> list[RowError]:
    if isinstance(exc, (PermissionDenied, Http404)):
        message = _("Bạn không được nhập số liệu cho đơn vị này.")
        return [sheet_error(row.sheet, row.row, C_UNIT, message)]
    assert isinstance(exc, ValidationError)
    column = {"unit": C_UNIT, "period": C_UNIT, "value": C_VALUE}
    if not hasattr(exc, "error_dict"):
        return [sheet_error(row.sheet, row.row, C_VALUE, m) for m in exc.messages]
    return [
        sheet_error(row.sheet, row.row, column.get(name, C_VALUE), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _check_rules(
    applied: Sequence[ValueRow], look: _Lookups, summary: ImportSummary, entry: _Entry
) -> list[RowError]:
    """The rules over the figures as imported (read back inside the import's transaction), for
    the units and periods of the file; a rule counts only when it reads a figure of the file.
    A violation is named by the row of the rule's main element (or the unit's first row): an
    error always, a warning unless the importer confirmed the warnings with a comment, when it
    is stored as confirmed and listed in the summary."""
    by_unit: dict[tuple[str, str], dict[str, ValueRow]] = defaultdict(dict)
    for row in applied:
        by_unit[(row.sheet, row.unit_code)][row.element_code] = row
    all_rules, errors = rules(), []
    confirmed = entry.accept_warnings and bool(entry.comment.strip())
    for (sheet, unit_code), file_rows in by_unit.items():
        period, unit = look.periods[sheet], look.units[unit_code]
        current = _figures(period, unit)
        before = previous_period(period)
        previous = _figures(before, unit) if before is not None else {}
        warnings = []
        for rule in all_rules:
            if not applies(rule, unit, period) or not rule_codes(rule) & set(file_rows):
                continue
            violation = evaluate(rule, unit, current, previous)
            if violation is None:
                continue
            row = file_rows.get(violation.element_code) or next(iter(file_rows.values()))
            if violation.severity == Severity.WARNING:
                summary.warnings.append(f"{sheet} · {unit_code}: {violation.message}")
                warnings.append(violation)
                if not confirmed:
                    errors.append(
                        sheet_error(sheet, row.row, C_VALUE, _unconfirmed(entry, violation))
                    )
                continue
            errors.append(sheet_error(sheet, row.row, C_VALUE, violation.message))
        if confirmed and warnings:
            services.confirm_warnings(
                actor=entry.actor, unit=unit, period=period, warnings=warnings,
                comment=entry.comment, at=entry.at,
            )  # fmt: skip
    return errors


def _unconfirmed(entry: _Entry, violation: Violation) -> str:
    if entry.accept_warnings:  # confirmed, but without saying why
        return _("Cảnh báo: %(m)s %(c)s") % {
            "m": violation.message,
            "c": services.WARNING_COMMENT_NEEDED,
        }
    return _(
        "Cảnh báo: %(m)s Nếu số liệu đúng, hãy đánh dấu xác nhận cảnh báo và ghi chú lý do."
    ) % {"m": violation.message}


def _figures(period: Period, unit: Unit) -> dict[str, Decimal | str | None]:
    return {
        code: value if value is not None else text
        for code, value, text in DataValue.objects.filter(period=period, unit=unit).values_list(
            "element__code", "value", "text"
        )
    }


# Decides whether the actor may write the unit's figures for the period now, raising one of
# nq57.xlsx.ROW_REFUSALS when not. Indicators cannot tell (whether the unit's report is submitted
# is reporting's business, above this app), so the caller hands in the one rule:
# reporting.services.check_figures_editable, through reporting.services.import_figures.
FigureGuard = Callable[[User, Unit, Period], None]


def import_value_rows(
    *,
    actor: User,
    rows: Sequence[ValueRow],
    guard: FigureGuard,
    dry_run: bool = False,
    accept_warnings: bool = False,
    comment: str = "",
) -> ImportSummary:
    """Apply every row or none (nq57.xlsx.run_import), each row refused unless `guard` lets the
    actor write that unit's figures for that period; the warnings of the rules refuse it too
    unless `accept_warnings` with a `comment` (see the module). With `dry_run` the same work is
    done and then rolled back."""
    look, summary = _Lookups.load(rows), ImportSummary()
    entry = _Entry(actor, guard, timezone.now(), accept_warnings, comment.strip())
    run_import(
        rows,
        checked=lambda row: [*row.errors, *_references(row, look)],
        apply=lambda row: _apply(entry, row, look, summary),
        problems=_row_problem,
        finish=lambda applied: _check_rules(applied, look, summary, entry),
        dry_run=dry_run,
    )
    return summary


def value_template() -> bytes:
    """An empty workbook with one sheet named by the latest period of figures (rename it to the
    period being imported; add a sheet per period)."""
    latest = Period.objects.exclude(kind=PeriodKind.QUICK).order_by("-starts_on").first()
    sheet = latest.code if latest is not None else "2025-Q3"
    return build_workbook(sheet[:31], (*HEADERS, C_NOTE), [])
