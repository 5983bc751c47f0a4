"""Data-quality rules (ValidationRule) checked at entry (check_entry, used by
services.record_values and the XLSX import) and over a whole period on demand (check_period;
period_check adds which warnings were confirmed, and on which figures).

A rule is only judged when the figures it needs are there: parts_sum needs the total and every
part, ratio_matches the percent, numerator and a non-zero denominator, jump this and the previous
period's value (non-zero). A missing figure is the business of a "required" rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from indicators.models import (
    ConfirmedWarning,
    DataElement,
    RuleKind,
    Severity,
    ValidationRule,
)
from indicators.queries import reporters, rule_scope, stored_values
from indicators.templatetags.indicator_ui import vn_decimal
from org.models import Unit
from periods.models import Period

HUNDRED = Decimal(100)
RATIO_TOLERANCE = Decimal("0.1")  # percentage points, when a ratio rule sets no threshold


@dataclass(frozen=True)
class Violation:
    rule: str  # ValidationRule.code
    severity: str  # "error" or "warning"
    unit_code: str
    element_code: str  # the rule's main element: the total for parts_sum
    message: str
    # Not part of what a violation says, so not compared: the figures it is about (see
    # `fingerprint`) and the ids a confirmation stores.
    fingerprint: str = field(default="", compare=False)
    rule_id: int | None = field(default=None, compare=False)
    element_id: int | None = field(default=None, compare=False)


class EntryRejected(ValidationError):
    """Nothing was saved. `violations` are the rule violations that stopped the entry: errors,
    or — when the caller did not accept them — warnings only (see `needs_confirmation`)."""

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = list(violations)
        super().__init__([v.message for v in self.violations] or [_("Số liệu không hợp lệ.")])

    @property
    def needs_confirmation(self) -> bool:
        """Only warnings: the same entry goes through with accept_warnings=True."""
        return all(v.severity == Severity.WARNING for v in self.violations)


# A unit's figures for one period: element code → number, or text for text elements.
Figures = Mapping[str, Decimal | str | None]


def number(value: Decimal) -> str:
    """A figure as Vietnamese write it, without trailing zeros: 74,13 — 12.000."""
    return vn_decimal(value)


def _name(element: DataElement) -> str:
    """What an officer reads: the element's name, never its code."""
    return element.name or element.code


def _figure(figures: Figures, element: DataElement | None) -> Decimal | None:
    """The element's number among the figures (None: no element, no number or a text)."""
    if element is None:
        return None
    value = figures.get(element.code)
    return value if isinstance(value, Decimal) else None


def rule_codes(rule: ValidationRule) -> set[str]:
    """The element codes a rule reads (parts must be prefetched or are queried)."""
    elements = [rule.total, rule.element, rule.numerator, rule.denominator, *rule.parts.all()]
    return {e.code for e in elements if e is not None}


def applies(rule: ValidationRule, unit: Unit, period: Period) -> bool:
    """Whether the rule judges the unit's figures for the period: its main element is of the
    period's kind, in force and reported by the unit, and the rule's own scope (units, dates)
    takes the unit and the period in."""
    main = rule.main_element
    if main is None or main.period_kind != period.kind:
        return False
    asked, scope = reporters(main), rule_scope(rule)
    return (
        asked.in_force(period)
        and scope.in_force(period)
        and asked.include(unit)
        and scope.include(unit)
    )


def fingerprint(rule: ValidationRule, current: Figures, previous: Figures) -> str:
    """The figures a rule's verdict rests on, as text ("A=1;B=2;prev:A=3"): a confirmed warning
    stays confirmed while these are the same, and is open again once one changes."""
    figures = [f"{code}={_canonical(current.get(code))}" for code in sorted(rule_codes(rule))]
    if rule.kind == RuleKind.JUMP and rule.element is not None:
        figures.append(f"prev:{rule.element.code}={_canonical(previous.get(rule.element.code))}")
    return ";".join(figures)


def _canonical(value: Decimal | str | None) -> str:
    """One text per figure, however it was read (120 typed, 120.0000 from the database)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else value


def evaluate(
    rule: ValidationRule, unit: Unit, current: Figures, previous: Figures
) -> Violation | None:
    """The rule's violation for a unit's figures, or None; `applies` is the caller's business."""
    main = rule.main_element
    assert main is not None
    message = _message(rule, main, current, previous)
    if message is None:
        return None
    return Violation(
        rule=rule.code,
        severity=rule.severity,
        unit_code=unit.code,
        element_code=main.code,
        message=rule.message or message,
        fingerprint=fingerprint(rule, current, previous),
        rule_id=rule.pk,
        element_id=main.pk,
    )


def _message(
    rule: ValidationRule, main: DataElement, current: Figures, previous: Figures
) -> str | None:
    kind = rule.kind
    if kind == RuleKind.REQUIRED:
        value = current.get(main.code)
        if value is None or value == "":
            return _("%(e)s: chưa nhập giá trị.") % {"e": _name(main)}
        return None
    if kind == RuleKind.PARTS_SUM:
        return _parts_sum(rule, main, current)
    if kind == RuleKind.RATIO_MATCHES:
        return _ratio(rule, main, current)
    if kind == RuleKind.RANGE:
        return _range(rule, main, current)
    if kind == RuleKind.JUMP:
        return _jump(rule, main, current, previous)
    return None


def _parts_sum(rule: ValidationRule, total_element: DataElement, current: Figures) -> str | None:
    parts = list(rule.parts.all())
    total = _figure(current, total_element)
    values = [_figure(current, p) for p in parts]
    if total is None or not parts or any(v is None for v in values):
        return None
    added = sum((v for v in values if v is not None), Decimal(0))
    if added == total:
        return None
    return _("%(e)s: Tổng các phần (%(parts)s) khác tổng số (%(total)s).") % {
        "e": _name(total_element),
        "parts": number(added),
        "total": number(total),
    }


def _ratio(rule: ValidationRule, main: DataElement, current: Figures) -> str | None:
    stated = _figure(current, main)
    top, bottom = _figure(current, rule.numerator), _figure(current, rule.denominator)
    if stated is None or top is None or bottom is None or bottom == 0:
        return None
    computed = top / bottom * HUNDRED
    tolerance = rule.threshold if rule.threshold is not None else RATIO_TOLERANCE
    if abs(stated - computed) <= tolerance:
        return None
    return _(
        "%(e)s: tỷ lệ đã nhập (%(stated)s%%) khác tỷ lệ tính từ số liệu "
        "(%(top)s / %(bottom)s = %(computed)s%%)."
    ) % {
        "e": _name(main),
        "stated": number(stated),
        "top": number(top),
        "bottom": number(bottom),
        "computed": number(computed.quantize(Decimal("0.01"))),
    }


def _range(rule: ValidationRule, main: DataElement, current: Figures) -> str | None:
    value = _figure(current, main)
    if value is None:
        return None
    low, high = rule.min_value, rule.max_value
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    bounds = (
        f"{number(low) if low is not None else '…'} – {number(high) if high is not None else '…'}"
    )
    return _("%(e)s: giá trị (%(v)s) ngoài khoảng cho phép (%(bounds)s).") % {
        "e": _name(main),
        "v": number(value),
        "bounds": bounds,
    }


def _jump(
    rule: ValidationRule, main: DataElement, current: Figures, previous: Figures
) -> str | None:
    value, before = _figure(current, main), _figure(previous, main)
    if value is None or before is None or before == 0 or rule.threshold is None:
        return None
    change = (value - before) / abs(before) * HUNDRED
    if abs(change) <= rule.threshold:
        return None
    return _(
        "%(e)s: thay đổi %(change)s%% so với kỳ trước (%(before)s → %(value)s), "
        "vượt ngưỡng %(threshold)s%%."
    ) % {
        "e": _name(main),
        "change": number(change.quantize(Decimal("0.1"))),
        "before": number(before),
        "value": number(value),
        "threshold": number(rule.threshold),
    }


# --- loading ---------------------------------------------------------------------------------


def rules() -> list[ValidationRule]:
    """Every rule with its elements and scopes: a fixed number of queries."""
    return list(
        ValidationRule.objects.select_related(
            "total__within", "element__within", "numerator", "denominator", "within"
        ).prefetch_related("parts", "units", "total__reporting_units", "element__reporting_units")
    )


def previous_period(period: Period) -> Period | None:
    """The period of the same kind that started last before this one."""
    return (
        Period.objects.filter(kind=period.kind, starts_on__lt=period.starts_on)
        .order_by("-starts_on")
        .first()
    )


def _stored(
    period: Period | None, units: Iterable[int], as_of: date | None = None
) -> dict[int, dict[str, Decimal | str]]:
    """Stored figures by unit id, then element code (as stored at the end of `as_of`, see
    queries.stored_values; None: now): one query."""
    result: dict[int, dict[str, Decimal | str]] = defaultdict(dict)
    if period is None:
        return result
    wanted = Q(period=period, unit_id__in=list(units))
    rows = stored_values(wanted, as_of).values_list("unit_id", "element__code", "value", "text")
    for unit_id, code, value, text in rows:
        figure = value if value is not None else text
        if figure is not None and figure != "":
            result[unit_id][code] = figure
    return result


def check_entry(
    *,
    unit: Unit,
    period: Period,
    values: Mapping[str, Decimal | None],
    touched_only: bool = False,
) -> list[Violation]:
    """The violations of the unit's figures for the period if `values` (element code → value,
    None to clear) were saved over what is stored; "jump" compares with the previous period.
    `touched_only`: only the rules reading one of `values` (a correction of one figure is
    judged by the rules it takes part in, not held by the unit's other figures)."""
    current: dict[str, Decimal | str | None] = dict(_stored(period, [unit.pk])[unit.pk])
    for code, value in values.items():
        current[code] = None if value is None else Decimal(value)
    previous = _stored(previous_period(period), [unit.pk])[unit.pk]
    found = []
    for rule in rules():
        if touched_only and not rule_codes(rule) & set(values):
            continue
        if applies(rule, unit, period):
            violation = evaluate(rule, unit, current, previous)
            if violation is not None:
                found.append(violation)
    return found


def check_period(
    period: Period, only: Sequence[ValidationRule] | None = None, as_of: date | None = None
) -> list[Violation]:
    """Every required unit of the period against every rule (or the rules `only`), in a fixed
    number of queries, ordered by unit code then rule code; with `as_of`, the figures as they
    were stored at the end of that day (the monthly scoring reads them as of its cut-off)."""
    all_rules = rules() if only is None else list(only)
    if not all_rules:
        return []
    units = sorted(period.required_units.all(), key=lambda u: u.code)
    ids = [u.pk for u in units]
    current = _stored(period, ids, as_of)
    previous = _stored(previous_period(period), ids, as_of)
    found = []
    for unit in units:
        for rule in all_rules:
            if applies(rule, unit, period):
                violation = evaluate(rule, unit, current[unit.pk], previous[unit.pk])
                if violation is not None:
                    found.append(violation)
    return found


# --- what is still open ------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A violation found now, with the confirmation that covers it (a warning confirmed on the
    same figures), if any."""

    violation: Violation
    confirmation: ConfirmedWarning | None

    @property
    def is_open(self) -> bool:
        """An error, or a warning nobody confirmed on these figures."""
        return self.confirmation is None


def confirmed(violations: Iterable[Violation], period: Period) -> list[Checked]:
    """Each violation with its confirmation (the latest for the same unit, rule and figures):
    one query."""
    latest: dict[tuple[str, str, str], ConfirmedWarning] = {}
    rows = (
        ConfirmedWarning.objects.filter(period=period)
        .select_related("unit", "rule", "confirmed_by")
        .order_by("confirmed_at", "pk")
    )
    for row in rows:
        latest[(row.unit.code, row.rule.code, row.fingerprint)] = row
    return [
        Checked(
            v,
            latest.get((v.unit_code, v.rule, v.fingerprint))
            if v.severity == Severity.WARNING
            else None,
        )
        for v in violations
    ]


@dataclass(frozen=True)
class PeriodCheck:
    """What the rules find in a period's figures now: shown before a report is generated."""

    period: Period
    checked: list[Checked]

    @property
    def errors(self) -> int:
        return sum(1 for c in self.checked if c.violation.severity == Severity.ERROR)

    @property
    def open_warnings(self) -> int:
        return sum(
            1 for c in self.checked if c.violation.severity == Severity.WARNING and c.is_open
        )

    @property
    def confirmed_warnings(self) -> int:
        return sum(1 for c in self.checked if not c.is_open)

    @property
    def open(self) -> list[Checked]:
        return [c for c in self.checked if c.is_open]


def period_check(period: Period) -> PeriodCheck:
    """check_period with the confirmations read: open violations (errors, warnings not
    confirmed on these figures) and confirmed ones."""
    return PeriodCheck(period, confirmed(check_period(period), period))
