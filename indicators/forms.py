"""Forms of the set-up pages (data elements, indicators, sets, targets, validation rules). They
read and check what was typed and hand plain values to indicators.services, which decides again
(permission, the rules of each kind) and raises ValidationError keyed by the same field names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from indicators.models import (
    DataElement,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    ValueType,
)
from indicators.templatetags.indicator_ui import parse_vn_number, vn_decimal
from nq57.forms import CheckboxList
from org.models import REPORTING_TYPES, Unit, UnitType
from periods.models import PeriodKind
from tasks.forms import date_field
from tasks.models import Area

FREQUENCIES = PeriodKind.choices  # a quick report asks a few figures of its own kind too
REPORTING_TYPE_CHOICES = [c for c in UnitType.choices if c[0] in REPORTING_TYPES]
CODE_HELP = _("Chữ cái đầu, rồi chữ, số hoặc dấu gạch dưới; không đổi được sau khi tạo.")


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text.strip()) if c]


class CodesField(forms.CharField):
    """Rows typed by code (comma, space or new line between them), each named when missing."""

    def __init__(self, queryset: QuerySet[Any], missing: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "cols": 20}))
        super().__init__(required=False, **kwargs)
        self.queryset, self.missing = queryset, missing

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Iterable) and not isinstance(value, str):
            return ", ".join(row.code for row in value)
        return value

    def clean(self, value: Any) -> list[Any]:
        codes = _codes(super().clean(value) or "")
        rows = {row.code: row for row in self.queryset.filter(code__in=codes)}
        unknown = [c for c in codes if c not in rows]
        if unknown:
            raise ValidationError(self.missing % {"codes": ", ".join(unknown)})
        return list(dict.fromkeys(rows[c] for c in codes))


class VnDecimalField(forms.CharField):
    """A number typed the Vietnamese way (229.413; 87,3)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(max_length=40, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return vn_decimal(value) if isinstance(value, (Decimal, int)) else value

    def clean(self, value: Any) -> Decimal | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        try:
            return parse_vn_number(text)
        except ValueError:
            raise ValidationError(_("Không phải là số (ví dụ: 229.413 hoặc 87,3).")) from None


def subtree_roots() -> QuerySet[Unit]:
    """Units with units under them: what "within the subtree of" offers."""
    return Unit.objects.filter(numchild__gt=0).order_by("path")


class _UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ScopeForm(forms.Form):
    """Which units and dates (models.UnitScope): types, a subtree, a list, from … to."""

    unit_types = forms.MultipleChoiceField(
        label=_("Loại đơn vị"),
        required=False,
        choices=REPORTING_TYPE_CHOICES,
        widget=CheckboxList,
        help_text=_("Không chọn: mọi loại đơn vị báo cáo."),
    )
    within = _UnitChoice(
        label=_("Thuộc nhánh"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("— Toàn tỉnh —"),
        help_text=_("Chỉ các đơn vị thuộc nhánh này (ví dụ một khối)."),
    )
    units = CodesField(
        Unit.objects.all(),
        _("Không có đơn vị mã: %(codes)s."),
        label=_("Hoặc chỉ các đơn vị (mã)"),
        help_text=_(
            "Mã đơn vị, cách nhau bởi dấu phẩy hoặc xuống dòng. Có danh sách thì chỉ các đơn "
            "vị này, không xét loại và nhánh."
        ),
    )
    active_from = date_field(_("Áp dụng từ ngày"), required=False)
    active_to = date_field(_("Áp dụng đến ngày"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["within"].queryset = subtree_roots()  # type: ignore[attr-defined]

    SCOPE = ("unit_types", "within", "units", "active_from", "active_to")

    def scope(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("unit_types", "within", "active_from", "active_to")
        return {n: data[n] for n in names}

    def scope_fields(self) -> list[forms.BoundField]:
        """The scope's fields, shown together in their own box."""
        return [self[name] for name in self.SCOPE]

    def main_fields(self) -> list[forms.BoundField]:
        """The other fields, in order."""
        return [field for field in self if field.name not in self.SCOPE]


def _initial_scope(scoped: Any, listed: Iterable[Unit]) -> dict[str, Any]:
    return {
        "unit_types": scoped.unit_types,
        "within": scoped.within.code if scoped.within_id else None,
        "units": list(listed),
        "active_from": scoped.active_from,
        "active_to": scoped.active_to,
    }


# --- data elements -------------------------------------------------------------------------------


class ElementForm(ScopeForm):
    code = forms.CharField(label=_("Mã"), max_length=60, help_text=CODE_HELP)
    name = forms.CharField(label=_("Tên"), max_length=255)
    value_type = forms.ChoiceField(label=_("Kiểu số liệu"), choices=ValueType.choices)
    unit_label = forms.CharField(
        label=_("Đơn vị tính"), max_length=40, required=False, help_text=_("Ví dụ: hồ sơ, %.")
    )
    period_kind = forms.ChoiceField(label=_("Tần suất báo cáo"), choices=FREQUENCIES)
    update_days = forms.IntegerField(
        label=_("Cập nhật ít nhất mỗi (ngày)"),
        required=False,
        min_value=1,
        max_value=3660,
        help_text=_(
            "Số liệu của đơn vị không được cập nhật trong chừng ấy ngày bị đánh dấu “Chưa cập "
            "nhật”. Để trống: theo tần suất (tháng 31, quý 92, sáu tháng 184, chín tháng 275, "
            "năm 366 ngày)."
        ),
    )
    field_order = ["code", "name", "value_type", "unit_label", "period_kind", "update_days"]

    def __init__(self, *args: Any, element: DataElement | None = None, **kwargs: Any) -> None:
        if element is not None:
            kwargs["initial"] = {
                "code": element.code,
                "name": element.name,
                "value_type": element.value_type,
                "unit_label": element.unit_label,
                "period_kind": element.period_kind,
                "update_days": element.update_days,
            } | _initial_scope(element, element.reporting_units.all())
        super().__init__(*args, **kwargs)
        self.units_label()
        if element is not None:
            self.fields["code"].disabled = True

    def units_label(self) -> None:
        self.fields["units"].label = _("Hoặc chỉ các đơn vị báo cáo (mã)")
        self.fields["unit_types"].label = _("Loại đơn vị báo cáo")

    def element_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.create_element / update_element (no code)."""
        data = self.cleaned_data
        names = ("name", "value_type", "unit_label", "period_kind", "update_days")
        return {n: data[n] for n in names} | self.scope() | {"reporting_units": data["units"]}


# --- indicators ----------------------------------------------------------------------------------


class _AreaChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class IndicatorForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=60, help_text=CODE_HELP)
    name = forms.CharField(label=_("Tên chỉ tiêu"), max_length=500)
    area = _AreaChoice(
        label=_("Lĩnh vực"),
        queryset=Area.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("— Chưa chọn —"),
    )
    period_kind = forms.ChoiceField(
        label=_("Tính theo kỳ"), choices=FREQUENCIES, initial=PeriodKind.QUARTER
    )
    formula = forms.CharField(
        label=_("Công thức"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 20, "spellcheck": "false"}),
        help_text=_(
            "Mã số liệu với + − × ÷ và ngoặc; sum(A, B), ratio(tử, mẫu) = tử/mẫu × 100, "
            "latest(A) = giá trị gần nhất, count_units(A > 0) = số đơn vị thỏa điều kiện."
        ),
    )
    unit_label = forms.CharField(label=_("Đơn vị tính"), max_length=40, required=False)
    direction = forms.ChoiceField(label=_("Chiều đánh giá"), choices=Direction.choices)
    evaluation = forms.ChoiceField(label=_("Phương pháp đánh giá"), choices=Evaluation.choices)
    legal_source = forms.CharField(
        label=_("Căn cứ pháp lý (phương pháp chính thức)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
    )
    method_note = forms.CharField(
        label=_("Cách đánh giá tạm thời và căn cứ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
    )
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32767, initial=0)
    sets = forms.ModelMultipleChoiceField(
        label=_("Thuộc bộ chỉ tiêu"),
        queryset=IndicatorSet.objects.order_by("order", "code"),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None:
            names = (
                "code", "name", "formula", "period_kind", "unit_label", "direction",
                "evaluation", "legal_source", "method_note", "order",
            )  # fmt: skip
            kwargs["initial"] = {n: getattr(indicator, n) for n in names} | {
                "area": indicator.area.code if indicator.area is not None else None,
                "sets": list(indicator.sets.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["sets"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]
        if indicator is not None:
            self.fields["code"].disabled = True

    def indicator_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.create_indicator / update_indicator (no code)."""
        data = self.cleaned_data
        names = (
            "name", "formula", "period_kind", "unit_label", "direction", "evaluation",
            "legal_source", "method_note", "area", "order", "sets",
        )  # fmt: skip
        return {n: data[n] for n in names}


class FormulaForm(forms.Form):
    """What the formula editor sends as it is typed."""

    formula = forms.CharField(required=False, max_length=4000, strip=False)
    period_kind = forms.ChoiceField(choices=FREQUENCIES, required=False)


class IndicatorSetForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=20, help_text=CODE_HELP)
    name = forms.CharField(
        label=_("Tên"), max_length=255, help_text=_("Như tỉnh viết: “giai đoạn 2025–2045”.")
    )
    first_year = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32767, initial=0)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Các chỉ tiêu của bộ"),
        queryset=Indicator.objects.order_by("order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, indicator_set: IndicatorSet | None = None, **kw: Any) -> None:
        if indicator_set is not None:
            names = ("code", "name", "first_year", "last_year", "order")
            kw["initial"] = {n: getattr(indicator_set, n) for n in names} | {
                "indicators": list(indicator_set.indicators.all())
            }
        super().__init__(*args, **kw)
        field = self.fields["indicators"]
        field.label_from_instance = lambda i: i.name  # type: ignore[attr-defined]
        if indicator_set is not None:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z_-]*", code):
            raise ValidationError(_("Mã chỉ gồm chữ, số, dấu gạch ngang hoặc gạch dưới."))
        return code


class TargetForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Để trống: mục tiêu dài hạn (đến hết giai đoạn, ví dụ 2045)."),
    )
    unit_type = forms.ChoiceField(
        label=_("Cho loại đơn vị"),
        required=False,
        choices=[("", _("— Mọi đơn vị —")), *REPORTING_TYPE_CHOICES],
    )
    value = VnDecimalField(label=_("Giá trị mục tiêu"))

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if value is None:
            raise ValidationError(_("Chưa nhập giá trị."))
        return value


# --- validation rules ----------------------------------------------------------------------------


class _ElementChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _element_choice(label: Any) -> _ElementChoice:
    return _ElementChoice(
        label=label,
        queryset=DataElement.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )


# The fields each kind of rule asks for (the form shows those of the chosen kind; the service
# keeps only those).
KIND_FIELDS = {
    RuleKind.PARTS_SUM: ("total", "parts"),
    RuleKind.RATIO_MATCHES: ("element", "numerator", "denominator", "threshold"),
    RuleKind.RANGE: ("element", "min_value", "max_value"),
    RuleKind.JUMP: ("element", "threshold"),
    RuleKind.REQUIRED: ("element",),
}


class RuleForm(ScopeForm):
    code = forms.CharField(label=_("Mã"), max_length=60, help_text=CODE_HELP)
    name = forms.CharField(label=_("Tên quy tắc"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại quy tắc"), choices=RuleKind.choices)
    severity = forms.ChoiceField(
        label=_("Mức độ"),
        choices=Severity.choices,
        help_text=_("Lỗi: không cho lưu số liệu. Cảnh báo: lưu được khi người nhập xác nhận."),
    )
    element = _element_choice(_("Số liệu được kiểm tra"))
    total = _element_choice(_("Tổng số"))
    parts = CodesField(
        DataElement.objects.all(),
        _("Không có số liệu mã: %(codes)s."),
        label=_("Các phần (mã số liệu)"),
        help_text=_("Cộng lại phải bằng tổng số; mã cách nhau bởi dấu phẩy."),
    )
    numerator = _element_choice(_("Tử số"))
    denominator = _element_choice(_("Mẫu số"))
    min_value = VnDecimalField(label=_("Giá trị nhỏ nhất"), required=False)
    max_value = VnDecimalField(label=_("Giá trị lớn nhất"), required=False)
    threshold = VnDecimalField(
        label=_("Ngưỡng"),
        required=False,
        help_text=_(
            "Thay đổi so với kỳ trước: % tăng/giảm cho phép. Tỷ lệ khớp: số điểm phần trăm "
            "chênh lệch cho phép (để trống: 0,1)."
        ),
    )
    message = forms.CharField(
        label=_("Thông báo riêng (để trống: thông báo tự sinh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
    )
    field_order = [
        "code", "name", "kind", "severity", "element", "total", "parts", "numerator",
        "denominator", "min_value", "max_value", "threshold", "message",
    ]  # fmt: skip

    def __init__(self, *args: Any, rule: Any = None, **kwargs: Any) -> None:
        if rule is not None:
            names = ("code", "name", "kind", "severity", "min_value", "max_value", "threshold")
            elements = ("element", "total", "numerator", "denominator")
            kwargs["initial"] = (
                {n: getattr(rule, n) for n in names}
                | {n: getattr(rule, n).code for n in elements if getattr(rule, f"{n}_id")}
                | {"parts": list(rule.parts.all()), "message": rule.message}
                | _initial_scope(rule, rule.units.all())
            )
        super().__init__(*args, **kwargs)
        if rule is not None:
            self.fields["code"].disabled = True

    def head_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("code", "name", "kind", "severity")]

    def kind_fields(self) -> list[forms.BoundField]:
        """The fields of the kind chosen (posted, or stored), or of "required" at first."""
        kind = self["kind"].value() or RuleKind.REQUIRED
        return [self[name] for name in KIND_FIELDS.get(kind, ())]

    def rule_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.create_rule / update_rule (no code)."""
        data = self.cleaned_data
        names = (
            "name", "kind", "severity", "element", "total", "parts", "numerator",
            "denominator", "min_value", "max_value", "threshold", "message", "units",
        )  # fmt: skip
        return {n: data[n] for n in names} | self.scope()


# --- the history of a unit's figures -----------------------------------------------------------


def _title(period: Any) -> str:
    return str(period.title)


class FigureHistoryForm(forms.Form):
    """The history page's filters, bound to its query string; a bad value shows everything."""

    period: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Kỳ"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        to_field_name="code",
        empty_label=_("— Mọi kỳ —"),
    )
    element = _element_choice(_("Số liệu"))

    def __init__(self, *args: Any, periods: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = periods.order_by("-starts_on", "code")
        field.label_from_instance = _title  # type: ignore[method-assign,assignment]
        self.fields["element"].empty_label = _("— Mọi số liệu —")  # type: ignore[attr-defined]

    def choice(self) -> tuple[Any, DataElement | None]:
        if not self.is_valid():
            return None, None
        return self.cleaned_data["period"], self.cleaned_data["element"]
