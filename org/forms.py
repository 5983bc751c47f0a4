from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nq57.imports import ImportForm
from org import access
from org.access import Action
from org.account_rows import AccountRow
from org.models import Role, Unit, User


class UnitForm(forms.ModelForm):
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
