from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nq57.forms import CheckboxList, day_field
from nq57.imports import ImportForm
from org import access
from org.access import Action
from org.account_rows import AccountRow
from org.models import REPORTING_TYPES, Role, Unit, UnitGroup, UnitType, User
from org.services import NewUnit
from org.unit_rows import UNIT_CODE, units_by_code

REASON_HELP = _("Ví dụ: số, ngày của nghị quyết hoặc quyết định.")


def reason_field(required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Lý do, căn cứ"),
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class UnitForm(forms.ModelForm):
    """The unit's description. Bound to the unit as it was when the form was opened (`seen`, its
    history row), so that only what this editor changed is saved (org.services.update_unit)."""

    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    effective_on = day_field(_("Tên mới dùng từ ngày (nếu đổi tên)"), required=False)
    reason = reason_field(required=False)

    class Meta:
        model = Unit
        fields = [
            "name",
            "unit_type",
            "cluster",
            "is_standing_office",
            "head_name",
            "head_title",
            "active_from",
        ]
        widgets = {"active_from": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}

    def changes(self) -> dict[str, Any]:
        """The unit's fields this editor changed (not the extra fields)."""
        return {f: self.cleaned_data[f] for f in self.changed_data if f in self.Meta.fields}


class _UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


def _active_units(actor: User) -> Any:
    units = access.units_where(actor, Action.MANAGE_UNITS)
    return units.filter(active_to__isnull=True).order_by("path")


class UnitCreateForm(forms.Form):
    parent = _UnitChoice(label=_("Đơn vị cấp trên"), queryset=Unit.objects.none())
    code = forms.CharField(label=_("Mã đơn vị"), max_length=32)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    unit_type = forms.ChoiceField(label=_("Loại"), choices=UnitType.choices)
    cluster = forms.CharField(label=_("Cụm (địa bàn cũ)"), max_length=100, required=False)
    active_from = day_field(_("Hoạt động từ ngày"), required=False)
    reason = reason_field(required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_units(actor)  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"])


class UnitMoveForm(forms.Form):
    new_parent = _UnitChoice(label=_("Đơn vị cấp trên mới"), queryset=Unit.objects.none())
    effective_on = day_field(_("Ngày hiệu lực"), required=False)
    reason = reason_field(required=False)

    def __init__(self, *args: Any, actor: User, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outside = _active_units(actor).exclude(path__startswith=unit.path)
        self.fields["new_parent"].queryset = outside  # type: ignore[attr-defined]


class UnitCloseForm(forms.Form):
    active_to = day_field(_("Hoạt động đến hết ngày"))
    reason = reason_field()


def _code(text: str) -> str:
    code = text.strip()
    if not UNIT_CODE.fullmatch(code):
        raise forms.ValidationError(
            _("Mã đơn vị chỉ gồm chữ, số và các dấu “.”, “_”, “-” (không dấu cách).")
        )
    return code


class MergeForm(forms.Form):
    """N → 1: the units merged, and the one that takes them (an existing unit by code, or a new
    one with its name, type and parent)."""

    predecessors = forms.CharField(
        label=_("Mã các đơn vị được sáp nhập"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Cách nhau bởi dấu phẩy, dấu cách hoặc xuống dòng."),
    )
    successor_code = forms.CharField(
        label=_("Mã đơn vị sau sáp nhập"),
        max_length=32,
        help_text=_("Mã của một đơn vị đang có, hoặc mã mới để lập đơn vị mới."),
    )
    successor_name = forms.CharField(
        label=_("Tên đơn vị mới"), max_length=255, required=False,
        help_text=_("Chỉ khi lập đơn vị mới."),
    )  # fmt: skip
    successor_type = forms.ChoiceField(
        label=_("Loại đơn vị mới"), choices=[("", "—"), *UnitType.choices], required=False
    )
    successor_parent = _UnitChoice(
        label=_("Đơn vị cấp trên của đơn vị mới"), queryset=Unit.objects.none(), required=False
    )
    effective_on = day_field(_("Ngày hiệu lực"))
    reason = reason_field()

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = access.units_where(actor, Action.MANAGE_UNITS)
        self.fields["successor_parent"].queryset = _active_units(actor)  # type: ignore[attr-defined]

    def clean_predecessors(self) -> list[Unit]:
        return units_by_code(self.units, self.cleaned_data["predecessors"])

    def clean_successor_code(self) -> str:
        return _code(self.cleaned_data["successor_code"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("successor_code")
        if code and not self.units.filter(code=code).exists():
            for field in ("successor_name", "successor_type", "successor_parent"):
                if not data.get(field):
                    self.add_error(field, _("Cần cho đơn vị mới."))
        return data

    def successor(self) -> Unit | NewUnit:
        data = self.cleaned_data
        existing = self.units.filter(code=data["successor_code"]).first()
        if existing is not None:
            return existing
        return NewUnit(
            code=data["successor_code"],
            name=data["successor_name"].strip(),
            unit_type=data["successor_type"],
            parent=data["successor_parent"],
        )


class SuccessorForm(forms.Form):
    code = forms.CharField(label=_("Mã"), max_length=32)
    name = forms.CharField(label=_("Tên"), max_length=255)

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"])


SuccessorFormSet = forms.formset_factory(
    SuccessorForm, extra=3, min_num=2, validate_min=True, max_num=20, validate_max=True
)


class SplitForm(forms.Form):
    """1 → N: the new units (same type and parent as the one split); whose accounts go where."""

    effective_on = day_field(_("Ngày hiệu lực"))
    reason = reason_field()
    accounts_to = forms.CharField(
        label=_("Tài khoản của đơn vị chuyển sang đơn vị (mã)"),
        max_length=32,
        required=False,
        help_text=_("Để trống: đơn vị kế thừa đầu tiên."),
    )


class AccountForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Vai trò"))
    scope = forms.ModelChoiceField(
        label=_("Phạm vi theo dõi"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Chỉ cho vai trò theo dõi: nhánh đơn vị người này được xem."),
    )
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        required=False,
        help_text=_("Để trống để dùng thư điện tử."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = access.units_where(actor, Action.MANAGE_ACCOUNTS).order_by("path")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["scope"].queryset = units  # type: ignore[attr-defined]
        assignable = access.assignable_roles(actor)
        self.fields["role"].choices = [c for c in Role.choices if c[0] in assignable]  # type: ignore[attr-defined]

    def to_row(self) -> AccountRow:
        data = self.cleaned_data
        email = data["email"].lower()
        return AccountRow(
            row=1,
            unit_code=data["unit"].code,
            full_name=data["full_name"].strip(),
            email=email,
            phone=data["phone"].strip(),
            role=data["role"],
            username=data["username"].strip() or email,
            scope_code=data["scope"].code if data["scope"] else "",
        )


class AccountImportForm(ImportForm):
    """The account import's upload (nq57.imports.ImportForm: one checked XLSX file)."""


class _UnitChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class UnitGroupForm(forms.Form):
    """A saved group: its name and its units (those in operation, by name)."""

    name = forms.CharField(label=_("Tên nhóm"), max_length=255)
    description = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    units = _UnitChoices(label=_("Các đơn vị"), queryset=Unit.objects.none(), widget=CheckboxList)

    def __init__(self, *args: Any, group: UnitGroup | None = None, **kwargs: Any) -> None:
        if group is not None:
            kwargs.setdefault(
                "initial",
                {"name": group.name, "description": group.description, "units": group.units.all()},
            )
        super().__init__(*args, **kwargs)
        # a group keeps a member closed since: it can be taken out, not added again
        current = Q(active_to__isnull=True)
        if group is not None:
            current |= Q(unit_groups=group)
        units = Unit.objects.filter(current, unit_type__in=REPORTING_TYPES).order_by("path")
        self.fields["units"].queryset = units.distinct()  # type: ignore[attr-defined]
