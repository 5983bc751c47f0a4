"""Every write to data elements, indicators, indicator sets, targets, validation rules and data
values. Permission is checked here (org.access), each call is one transaction, a refused call
changes nothing, and every change is kept in its row's history with the actor.

The set-up services (create/update/delete of elements, indicators, sets, targets, rules) take
plain values and raise ValidationError keyed by field, so a page, an import of the programme
workbook or the demo call them alike and can run many in one all-or-nothing transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.expressions import CODE_RE, ExpressionError, parse, references
from indicators.models import (
    ConfirmedWarning,
    DataElement,
    DataValue,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    UnitScope,
    ValidationRule,
    ValueType,
)
from indicators.queries import is_active_during, reporters
from indicators.validation import EntryRejected, Violation, check_entry, check_period, rules
from org import access
from org.access import Action
from org.models import Unit, UnitType, User
from periods.models import Period
from tasks.models import Area

HUNDRED = Decimal(100)
DECIMALS = 4  # DataValue.value: 24 digits, 4 of them after the point
MAX_VALUE = Decimal(10) ** 20
YES_NO = (Decimal(0), Decimal(1))


def _check_code(code: str) -> None:
    if not CODE_RE.fullmatch(code):
        raise ValidationError(
            {"code": _("Mã bắt đầu bằng chữ cái, chỉ gồm chữ, số và dấu gạch dưới.")}
        )


def _save(actor: User, row: models.Model) -> None:
    """Check the row's fields, then save it with the actor on its history row."""
    row.full_clean()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()


def _set_scope(
    scoped: UnitScope,
    *,
    unit_types: Iterable[str],
    within: Unit | None,
    active_from: date | None,
    active_to: date | None,
) -> None:
    """The scope's fields (models.UnitScope), the unit types checked."""
    types = sorted(set(unit_types))
    unknown = [t for t in types if t not in UnitType.values]
    if unknown:
        raise ValidationError(
            {"unit_types": _("Loại đơn vị không có: %(t)s.") % {"t": ", ".join(unknown)}}
        )
    scoped.unit_types, scoped.within = types, within
    scoped.active_from, scoped.active_to = active_from, active_to


# --- data elements -------------------------------------------------------------------------------


@transaction.atomic
def create_element(*, actor: User, code: str, **fields: Any) -> DataElement:
    """A data element; `fields` as `_save_element` takes them."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    _check_code(code)
    return _save_element(actor, DataElement(code=code), **fields)


@transaction.atomic
def update_element(*, actor: User, element: DataElement, **fields: Any) -> DataElement:
    """Change everything but the code (formulas and files name the element by it); `fields` as
    for create_element. Once figures are stored, its value type and frequency stay: they say
    what those figures mean."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    element = DataElement.objects.select_for_update().get(pk=element.pk)
    if element.values.exists():
        messages = {
            "value_type": _("Đã có số liệu được nhập; không đổi kiểu số liệu."),
            "period_kind": _("Đã có số liệu được nhập; không đổi tần suất."),
        }
        changed = {
            name: message
            for name, message in messages.items()
            if name in fields and getattr(element, name) != fields[name]
        }
        if changed:
            raise ValidationError(changed)
    return _save_element(actor, element, **fields)


def _save_element(
    actor: User,
    element: DataElement,
    *,
    name: str,
    value_type: str,
    period_kind: str,
    unit_label: str = "",
    unit_types: Iterable[str] = (),
    reporting_units: Iterable[Unit] = (),
    within: Unit | None = None,
    active_from: date | None = None,
    active_to: date | None = None,
    update_days: int | None = None,
) -> DataElement:
    """Reported for periods of `period_kind` (its frequency) by the units of `unit_types` (none:
    every reporting type) within the subtree of `within`; `reporting_units`, when given, are the
    only units that report it (a figure owned by one unit, e.g. 4G coverage by the science
    department), whatever their type. In force from `active_from` to `active_to`; a unit's
    figure not updated for `update_days` (None: the length of its period kind) is stale."""
    _set_scope(
        element, unit_types=unit_types, within=within, active_from=active_from,
        active_to=active_to,
    )  # fmt: skip
    element.name, element.value_type, element.period_kind = name, value_type, period_kind
    element.unit_label, element.update_days = unit_label, update_days
    _save(actor, element)
    owners = list(reporting_units)
    if set(owners) != set(element.reporting_units.all()):
        element.reporting_units.set(owners)
    return element


def element_uses(element: DataElement) -> list[str]:
    """What keeps the element from being deleted (figures, indicators, rules), as sentences."""
    uses = []
    if element.values.exists():
        uses.append(_("đã có số liệu được nhập"))
    formulas = Indicator.objects.filter(formula__contains=element.code).only("code", "formula")
    named = [i.code for i in formulas if element.code in references(parse(i.formula))]
    if named:
        uses.append(_("chỉ tiêu dùng trong công thức: %(c)s") % {"c": ", ".join(named)})
    rules = ValidationRule.objects.filter(
        models.Q(total=element) | models.Q(element=element) | models.Q(numerator=element)
        | models.Q(denominator=element) | models.Q(parts=element)
    ).distinct()  # fmt: skip
    if rules:
        uses.append(_("quy tắc kiểm tra: %(c)s") % {"c": ", ".join(r.code for r in rules)})
    return uses


@transaction.atomic
def delete_element(*, actor: User, element: DataElement) -> None:
    """Delete an element nothing uses yet (a mistake); one in use is ended with `active_to`."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    element = DataElement.objects.select_for_update().get(pk=element.pk)
    uses = element_uses(element)
    if uses:
        message = _("Không xóa được số liệu đang được dùng (%(u)s); hãy đặt ngày kết thúc.")
        raise ValidationError(message % {"u": "; ".join(uses)})
    element._history_user = actor  # type: ignore[attr-defined]
    element.delete()


# --- indicators ----------------------------------------------------------------------------------


def check_formula(formula: str) -> set[str]:
    """The formula's element codes; ValidationError on "formula" when it does not parse (the
    message says what and where) or names a code that does not exist (the message names it)."""
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


def _check_method(evaluation: str, legal_source: str, method_note: str) -> None:
    if evaluation == Evaluation.OFFICIAL and not legal_source.strip():
        raise ValidationError({"legal_source": _("Phương pháp chính thức cần căn cứ pháp lý.")})
    if evaluation == Evaluation.PROVISIONAL and not method_note.strip():
        raise ValidationError({"method_note": _("Phương pháp tạm thời cần mô tả cách đánh giá.")})


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
    indicator = Indicator(code=code)
    _save_indicator(
        actor, indicator, name=name, formula=formula, period_kind=period_kind,
        unit_label=unit_label, direction=direction, evaluation=evaluation,
        legal_source=legal_source, method_note=method_note, area=area, order=order,
    )  # fmt: skip
    for indicator_set in sets:
        indicator_set.indicators.add(indicator)
    return indicator


@transaction.atomic
def update_indicator(
    *,
    actor: User,
    indicator: Indicator,
    name: str,
    formula: str,
    period_kind: str,
    unit_label: str = "",
    direction: str = Direction.HIGHER,
    evaluation: str = Evaluation.OFFICIAL,
    legal_source: str = "",
    method_note: str = "",
    area: Area | None = None,
    order: int = 0,
    sets: Iterable[IndicatorSet] | None = None,
) -> Indicator:
    """Change everything but the code; `sets`, when given, become the sets it belongs to (each
    set's history records the change)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _save_indicator(
        actor, indicator, name=name, formula=formula, period_kind=period_kind,
        unit_label=unit_label, direction=direction, evaluation=evaluation,
        legal_source=legal_source, method_note=method_note, area=area, order=order,
    )  # fmt: skip
    if sets is not None:
        wanted = {s.pk for s in sets}
        current = set(indicator.sets.values_list("pk", flat=True))
        for indicator_set in IndicatorSet.objects.filter(pk__in=wanted ^ current):
            indicator_set._history_user = actor  # type: ignore[attr-defined]
            if indicator_set.pk in wanted:
                indicator_set.indicators.add(indicator)
            else:
                indicator_set.indicators.remove(indicator)
    return indicator


def _save_indicator(actor: User, indicator: Indicator, **fields: Any) -> None:
    check_formula(fields["formula"])
    _check_method(fields["evaluation"], fields["legal_source"], fields["method_note"])
    for name, value in fields.items():
        setattr(indicator, name, value)
    _save(actor, indicator)


@transaction.atomic
def delete_indicator(*, actor: User, indicator: Indicator) -> None:
    """Delete an indicator that belongs to no set (its targets go with it; history keeps all)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    sets = list(indicator.sets.values_list("name", flat=True))
    if sets:
        message = _("Không xóa được chỉ tiêu thuộc bộ chỉ tiêu: %(s)s; hãy bỏ khỏi bộ trước.")
        raise ValidationError(message % {"s": ", ".join(sets)})
    for target in indicator.targets.all():
        target._history_user = actor  # type: ignore[attr-defined]
        target.delete()
    indicator._history_user = actor  # type: ignore[attr-defined]
    indicator.delete()


# --- indicator sets and targets ------------------------------------------------------------------


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
    _save(actor, indicator_set)
    if indicators is not None:
        indicator_set.indicators.set(list(indicators))
    return indicator_set


@transaction.atomic
def delete_indicator_set(*, actor: User, indicator_set: IndicatorSet) -> None:
    """Delete an empty set; a set with indicators is what reports count by."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    indicator_set = IndicatorSet.objects.select_for_update().get(pk=indicator_set.pk)
    if indicator_set.indicators.exists():
        raise ValidationError(_("Không xóa được bộ chỉ tiêu còn chỉ tiêu; hãy bỏ hết trước."))
    indicator_set._history_user = actor  # type: ignore[attr-defined]
    indicator_set.delete()


@transaction.atomic
def set_target(
    *,
    actor: User,
    indicator: Indicator,
    value: Decimal,
    year: int | None = None,
    unit_type: str = "",
) -> Target:
    """The target for a year, or the long-term one (the 2025–2045 horizon) when `year` is None;
    for units of `unit_type`, or every unit when blank. Replaces an existing one (history kept)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if unit_type and unit_type not in UnitType.values:
        raise ValidationError({"unit_type": _("Loại đơn vị không có.")})
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm phải từ 2000 đến 2100.")})
    target = (
        Target.objects.select_for_update()
        .filter(indicator=indicator, year=year, unit_type=unit_type)
        .first()
    ) or Target(indicator=indicator, year=year, unit_type=unit_type)
    target.value = value
    _save(actor, target)
    return target


@transaction.atomic
def remove_target(*, actor: User, target: Target) -> None:
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    target._history_user = actor  # type: ignore[attr-defined]
    target.delete()


# --- validation rules ----------------------------------------------------------------------------


# The fields each kind of rule reads (models.ValidationRule); the others are cleared.
RULE_FIELDS: dict[str, set[str]] = {
    RuleKind.PARTS_SUM: {"total", "parts"},
    RuleKind.RATIO_MATCHES: {"element", "numerator", "denominator", "threshold"},
    RuleKind.RANGE: {"element", "min_value", "max_value"},
    RuleKind.JUMP: {"element", "threshold"},
    RuleKind.REQUIRED: {"element"},
}


@transaction.atomic
def create_rule(*, actor: User, code: str, **fields: Any) -> ValidationRule:
    """A validation rule (see models.ValidationRule for the fields each kind needs); `fields` as
    for `update_rule`."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    _check_code(code)
    return _save_rule(actor, ValidationRule(code=code), **fields)


@transaction.atomic
def update_rule(*, actor: User, rule: ValidationRule, **fields: Any) -> ValidationRule:
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    return _save_rule(actor, rule, **fields)


def _save_rule(
    actor: User,
    rule: ValidationRule,
    *,
    kind: str,
    severity: str = Severity.ERROR,
    name: str = "",
    element: DataElement | None = None,
    total: DataElement | None = None,
    parts: Iterable[DataElement] = (),
    numerator: DataElement | None = None,
    denominator: DataElement | None = None,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    threshold: Decimal | None = None,
    message: str = "",
    unit_types: Iterable[str] = (),
    within: Unit | None = None,
    units: Iterable[Unit] = (),
    active_from: date | None = None,
    active_to: date | None = None,
) -> ValidationRule:
    """Only the fields of the rule's kind are kept (a range rule turned into a jump rule loses
    its bounds), so what is stored is what the rule checks."""
    used = RULE_FIELDS.get(kind, set())  # an unknown kind is refused by full_clean below
    given = {
        "element": element, "total": total, "numerator": numerator,
        "denominator": denominator, "min_value": min_value, "max_value": max_value,
        "threshold": threshold,
    }  # fmt: skip
    for field, value in given.items():
        setattr(rule, field, value if field in used else None)
    rule.kind, rule.severity, rule.name, rule.message = kind, severity, name, message
    _set_scope(
        rule, unit_types=unit_types, within=within, active_from=active_from, active_to=active_to
    )
    part_list = list(parts) if "parts" in used else []
    if kind == RuleKind.PARTS_SUM and not part_list:
        raise ValidationError({"parts": _("Cần ít nhất một phần.")})
    if threshold is not None and threshold < 0 and "threshold" in used:
        raise ValidationError({"threshold": _("Ngưỡng không được âm.")})
    if kind == RuleKind.RANGE and None not in (min_value, max_value):
        assert min_value is not None and max_value is not None
        if max_value < min_value:
            raise ValidationError({"max_value": _("Giá trị lớn nhất nhỏ hơn giá trị nhỏ nhất.")})
    _same_frequency(rule, part_list)
    _save(actor, rule)
    rule.parts.set(part_list)
    rule.units.set(list(units))
    return rule


def _same_frequency(rule: ValidationRule, parts: list[DataElement]) -> None:
    """The figures a rule compares are of one unit and one period: one frequency."""
    elements = [rule.total, rule.element, rule.numerator, rule.denominator, *parts]
    kinds = {e.period_kind for e in elements if e is not None}
    if len(kinds) > 1:
        raise ValidationError(_("Các số liệu của một quy tắc phải cùng tần suất báo cáo."))


@transaction.atomic
def delete_rule(*, actor: User, rule: ValidationRule) -> None:
    """Delete a rule no confirmed warning points at; one that has been confirmed stays (it says
    why a figure was accepted) and is ended with `active_to`."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    rule = ValidationRule.objects.select_for_update().get(pk=rule.pk)
    if rule.confirmations.exists():
        raise ValidationError(
            _("Không xóa được quy tắc đã có cảnh báo được xác nhận; hãy đặt ngày kết thúc.")
        )
    rule._history_user = actor  # type: ignore[attr-defined]
    rule.delete()


class _Preview(Exception):
    """Raised inside the preview's savepoint to roll the trial rule back."""

    def __init__(self, found: list[Violation]) -> None:
        self.found = found


def preview_rule(
    *, actor: User, period: Period, rule: ValidationRule | None = None, **fields: Any
) -> list[Violation]:
    """What the rule would find in the period's stored figures, before it is saved: the rule is
    created (or `rule` changed) with `fields` inside a savepoint, checked alone, and rolled back.
    Same permission and ValidationError as create_rule/update_rule."""
    try:
        with transaction.atomic():
            if rule is None:
                trial = create_rule(actor=actor, code=fields.pop("code"), **fields)
            else:
                trial = update_rule(actor=actor, rule=rule, **fields)
            raise _Preview(check_period(period, [r for r in rules() if r.pk == trial.pk]))
    except _Preview as preview:
        return preview.found


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
    if kind == ValueType.YES_NO and value not in YES_NO:
        raise ValidationError({"value": _("Số liệu có/không chỉ nhận 1 (có) hoặc 0 (không).")})


@transaction.atomic
def record_value(
    *,
    actor: User,
    unit: Unit,
    period: Period,
    element: DataElement,
    value: Decimal | int | None = None,
    text: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> DataValue:
    """Set the unit's value of the element for the period; simple-history keeps the old one,
    with `reason` (a correction's, a confirmed warning's comment) on the new history row. `at`:
    when, shared by the figures of one entry (their confirmations carry the same time)."""
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
    if not rule.in_force(period):
        raise ValidationError(
            {"period": _("Số liệu %(c)s không áp dụng cho kỳ này.") % {"c": element.code}}
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
    record.entered_at = at or timezone.now()
    record._history_user = actor  # type: ignore[attr-defined]
    record._history_date = record.entered_at  # type: ignore[attr-defined]
    record._change_reason = reason.strip() or None  # type: ignore[attr-defined]
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
    comment: str = "",
    reason: str = "",
    touched_only: bool = False,
) -> list[Violation]:
    """Set several of the unit's figures for the period at once (element code → value), all or
    none, each through record_value (same permission and type checks, same history). `reason`:
    why they change (a correction's), kept on their history rows before any warning's comment;
    `touched_only`: only the rules reading these figures are checked (validation.check_entry).

    The validation rules are checked first on the figures as they would be after the entry:
    any "error" raises EntryRejected and nothing is saved. Warnings also raise EntryRejected
    (with `needs_confirmation` true) unless `accept_warnings` is set with a `comment` saying why
    the figures are right — a form shows them and asks for both; confirmed, the figures are
    saved with the comment as their change's reason, each warning is stored as a
    ConfirmedWarning (who, when, comment) and the warnings are returned.

    An unknown element code is a ValidationError on "values"; None is a type error for a number
    (record_value: a figure is corrected, never cleared) and an empty text for a text element."""
    access.authorize(actor, Action.REPORT, unit)  # before any stored figure is shown back
    elements = {
        e.code: e
        for e in DataElement.objects.filter(code__in=list(values))
        .select_related("within")
        .prefetch_related("reporting_units")
    }
    unknown = sorted(set(values) - set(elements))
    if unknown:
        raise ValidationError(
            {"values": _("Mã số liệu không có: %(c)s.") % {"c": ", ".join(unknown)}}
        )
    violations = check_entry(unit=unit, period=period, values=values, touched_only=touched_only)
    errors = [v for v in violations if v.severity == Severity.ERROR]
    if errors:
        raise EntryRejected(errors)
    if violations and not accept_warnings:
        raise EntryRejected(violations)
    if violations and not comment.strip():
        raise ValidationError({"comment": WARNING_COMMENT_NEEDED})
    at = timezone.now()
    why = "; ".join(r for r in (reason.strip(), comment.strip() if violations else "") if r)
    for code, value in values.items():
        record_value(
            actor=actor, unit=unit, period=period, element=elements[code], value=value,
            reason=why, at=at,
        )  # fmt: skip
    confirm_warnings(
        actor=actor, unit=unit, period=period, warnings=violations, comment=comment, at=at
    )
    return violations


WARNING_COMMENT_NEEDED = gettext_lazy(
    "Ghi rõ vì sao số liệu có cảnh báo vẫn đúng (bắt buộc khi xác nhận)."
)


def confirm_warnings(
    *,
    actor: User,
    unit: Unit,
    period: Period,
    warnings: Iterable[Violation],
    comment: str,
    at: datetime,
) -> list[ConfirmedWarning]:
    """Store the warnings the actor confirmed on the unit's figures, with the comment; `at` is
    the time of the figures' entry. Called inside the entry's transaction (record_values, the
    figure import)."""
    fields = {"unit": unit, "period": period, "comment": comment.strip()}
    rows = [
        ConfirmedWarning(
            **fields,
            rule_id=w.rule_id or 0,  # a violation found by a stored rule always has both
            element_id=w.element_id or 0,
            message=w.message,
            fingerprint=w.fingerprint,
            confirmed_by=actor,
            confirmed_at=at,
        )
        for w in warnings
        if w.severity == Severity.WARNING
    ]
    return ConfirmedWarning.objects.bulk_create(rows)
