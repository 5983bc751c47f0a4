"""Every write to data elements, indicators, indicator sets, targets and data values. Permission
is checked here (org.access), each call is one transaction, and a refused call changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.expressions import CODE_RE, ExpressionError, parse, references
from indicators.models import (
    DataElement,
    DataValue,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    Severity,
    Target,
    ValueType,
)
from indicators.queries import is_active_during, reporters
from indicators.validation import EntryRejected, Violation, check_entry
from org import access
from org.access import Action
from org.models import Unit, UnitType, User
from periods.models import Period
from tasks.models import Area

HUNDRED = Decimal(100)
DECIMALS = 4  # DataValue.value: 24 digits, 4 of them after the point
MAX_VALUE = Decimal(10) ** 20


def _check_code(code: str) -> None:
    if not CODE_RE.fullmatch(code):
        raise ValidationError(
            {"code": _("Mã bắt đầu bằng chữ cái, chỉ gồm chữ, số và dấu gạch dưới.")}
        )


@transaction.atomic
def create_element(
    *,
    actor: User,
    code: str,
    name: str,
    value_type: str,
    period_kind: str,
    unit_label: str = "",
    unit_types: Iterable[str] = (),
    reporting_units: Iterable[Unit] = (),
) -> DataElement:
    """`reporting_units`, when given, are the only units that report the element (a figure owned
    by one unit, e.g. 4G coverage by the science department), whatever `unit_types` says."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    _check_code(code)
    types = sorted(set(unit_types))
    unknown = [t for t in types if t not in UnitType.values]
    if unknown:
        raise ValidationError(
            {"unit_types": _("Loại đơn vị không có: %(t)s.") % {"t": ", ".join(unknown)}}
        )
    element = DataElement(
        code=code, name=name, value_type=value_type, period_kind=period_kind,
        unit_label=unit_label, unit_types=types,
    )  # fmt: skip
    element.full_clean()
    element.save()
    owners = list(reporting_units)
    if owners:
        element.reporting_units.set(owners)
    return element


def check_formula(formula: str) -> set[str]:
    """The formula's element codes; ValidationError when it does not parse or names a code that
    does not exist."""
    try:
        codes = references(parse(formula))
    except ExpressionError as error:
        raise ValidationError({"formula": error.message}) from error
    missing = sorted(
        codes - set(DataElement.objects.filter(code__in=codes).values_list("code", flat=True))
    )
    if missing:
        raise ValidationError(
            {"formula": _("Công thức dùng mã số liệu chưa có: %(c)s.") % {"c": ", ".join(missing)}}
        )
    return codes


@transaction.atomic
def create_indicator(
    *,
    actor: User,
    code: str,
    name: str,
    formula: str,
    period_kind: str,
    unit_label: str = "",
    direction: str = Direction.HIGHER,
    evaluation: str = Evaluation.OFFICIAL,
    legal_source: str = "",
    method_note: str = "",
    area: Area | None = None,
    sets: Iterable[IndicatorSet] = (),
    order: int = 0,
) -> Indicator:
    """`sets`: the indicator sets it joins (see save_indicator_set)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    _check_code(code)
    check_formula(formula)
    if evaluation == Evaluation.OFFICIAL and not legal_source.strip():
        raise ValidationError({"legal_source": _("Phương pháp chính thức cần căn cứ pháp lý.")})
    if evaluation == Evaluation.PROVISIONAL and not method_note.strip():
        raise ValidationError({"method_note": _("Phương pháp tạm thời cần mô tả cách đánh giá.")})
    indicator = Indicator(
        code=code, name=name, formula=formula, period_kind=period_kind, unit_label=unit_label,
        direction=direction, evaluation=evaluation, legal_source=legal_source,
        method_note=method_note, area=area, order=order,
    )  # fmt: skip
    indicator.full_clean()
    indicator.save()
    for indicator_set in sets:
        indicator_set.indicators.add(indicator)
    return indicator


@transaction.atomic
def save_indicator_set(
    *,
    actor: User,
    code: str,
    name: str,
    first_year: int,
    last_year: int,
    order: int = 0,
    indicators: Iterable[Indicator] | None = None,
) -> IndicatorSet:
    """Create the set with this code or change it: its name as the province writes it
    ("giai đoạn 2025–2045"), its years and its place among the sets; `indicators`, when given,
    become its members (the others leave it). Its history keeps every change."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    indicator_set = IndicatorSet.objects.select_for_update().filter(code=code).first()
    if indicator_set is None:
        indicator_set = IndicatorSet(code=code)
    indicator_set.name, indicator_set.order = name, order
    indicator_set.first_year, indicator_set.last_year = first_year, last_year
    indicator_set.full_clean()
    indicator_set._history_user = actor  # type: ignore[attr-defined]
    indicator_set.save()
    if indicators is not None:
        indicator_set.indicators.set(list(indicators))
    return indicator_set


@transaction.atomic
def set_target(
    *,
    actor: User,
    indicator: Indicator,
    value: Decimal,
    year: int | None = None,
    unit_type: str = "",
) -> Target:
    """The target for a year, or for 2025–2045 when `year` is None; replaces an existing one."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if unit_type and unit_type not in UnitType.values:
        raise ValidationError({"unit_type": _("Loại đơn vị không có.")})
    target, _created = Target.objects.update_or_create(
        indicator=indicator, year=year, unit_type=unit_type, defaults={"value": value}
    )
    return target


def _check_value(element: DataElement, value: Decimal | None, text: str) -> None:
    kind = element.value_type
    if kind == ValueType.TEXT:
        if value is not None:
            raise ValidationError({"value": _("Số liệu này là văn bản, không nhập số.")})
        return
    if value is None:
        raise ValidationError({"value": _("Chưa nhập giá trị.")})
    if not value.is_finite():
        raise ValidationError({"value": _("Giá trị không hợp lệ.")})
    exponent = value.as_tuple().exponent
    if abs(value) >= MAX_VALUE or (isinstance(exponent, int) and exponent < -DECIMALS):
        message = _("Giá trị nhỏ hơn 10^20 và có tối đa %(n)d chữ số thập phân.") % {"n": DECIMALS}
        raise ValidationError({"value": message})
    if kind == ValueType.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValidationError({"value": _("Số đếm phải là số nguyên không âm.")})
    if kind == ValueType.PERCENT and not 0 <= value <= HUNDRED:
        raise ValidationError({"value": _("Tỷ lệ phần trăm phải từ 0 đến 100.")})
    if kind == ValueType.AMOUNT_VND and value < 0:
        raise ValidationError({"value": _("Số tiền không được âm.")})


@transaction.atomic
def record_value(
    *,
    actor: User,
    unit: Unit,
    period: Period,
    element: DataElement,
    value: Decimal | int | None = None,
    text: str = "",
) -> DataValue:
    """Set the unit's value of the element for the period; simple-history keeps the old one."""
    access.authorize(actor, Action.REPORT, unit)
    if not is_active_during(unit, period):
        closed = unit.active_to is not None and unit.active_to < period.starts_on
        message = (
            _("Đơn vị đã ngừng hoạt động trước kỳ này.")
            if closed
            else _("Đơn vị bắt đầu hoạt động sau kỳ này.")
        )
        raise ValidationError({"unit": message})
    rule = reporters(element)
    if not rule.include(unit):
        message = (
            _("Đơn vị này không báo cáo số liệu %(c)s.")
            if rule.owners
            else _("Đơn vị loại này không báo cáo số liệu %(c)s.")
        )
        raise ValidationError({"unit": message % {"c": element.code}})
    if period.kind != element.period_kind:
        raise ValidationError(
            {"period": _("Số liệu %(c)s báo cáo theo kỳ loại khác.") % {"c": element.code}}
        )
    number = None if value is None else Decimal(value)
    _check_value(element, number, text)
    record = (
        DataValue.objects.select_for_update()
        .filter(unit=unit, period=period, element=element)
        .first()
    ) or DataValue(unit=unit, period=period, element=element)
    record.value = number
    record.text = text
    record.entered_by = actor
    record.entered_at = timezone.now()
    record._history_user = actor  # type: ignore[attr-defined]
    record.save()
    return record


@transaction.atomic
def record_values(
    *,
    actor: User,
    unit: Unit,
    period: Period,
    values: Mapping[str, Decimal | None],
    accept_warnings: bool = False,
) -> list[Violation]:
    """Set several of the unit's figures for the period at once (element code → value), all or
    none, each through record_value (same permission and type checks, same history).

    The validation rules are checked first on the figures as they would be after the entry:
    any "error" raises EntryRejected and nothing is saved. Warnings also raise EntryRejected
    (with `needs_confirmation` true) unless `accept_warnings` is set — a form shows them and
    asks the user to confirm; confirmed, the figures are saved and the warnings returned.

    An unknown element code is a ValidationError on "values"; None is a type error for a number
    (record_value: a figure is corrected, never cleared) and an empty text for a text element."""
    access.authorize(actor, Action.REPORT, unit)  # before any stored figure is shown back
    elements = {
        e.code: e
        for e in DataElement.objects.filter(code__in=list(values)).prefetch_related(
            "reporting_units"
        )
    }
    unknown = sorted(set(values) - set(elements))
    if unknown:
        raise ValidationError(
            {"values": _("Mã số liệu không có: %(c)s.") % {"c": ", ".join(unknown)}}
        )
    violations = check_entry(unit=unit, period=period, values=values)
    errors = [v for v in violations if v.severity == Severity.ERROR]
    if errors:
        raise EntryRejected(errors)
    if violations and not accept_warnings:
        raise EntryRejected(violations)
    for code, value in values.items():
        record_value(actor=actor, unit=unit, period=period, element=elements[code], value=value)
    return violations
