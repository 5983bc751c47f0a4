"""The standing office's forms for setting up tasks: a task's description (create, edit with a
reason) and who carries it out (a choice of units resolved by org.selection, effective from a
date; taking units off from a date)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nq57.forms import CheckboxList
from org.models import REPORTING_TYPES, Unit, UnitGroup, UnitType
from org.selection import SELECTION_LABELS, Selection, SelectionKind
from tasks.forms import date_field
from tasks.models import Area, Source, Task

# The fields of a task the form edits, in the order the page shows them (the code only when
# created: tasks.services.update_task keeps it).
TASK_FIELDS = (
    "title",
    "source",
    "area",
    "year",
    "start_date",
    "deadline",
    "expected_product",
    "description",
    "lead_unit",
    "coordinating_units",
    "responsible_person",
)


class _UnitName(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Units by name, indented by their depth in the tree."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


class _UnitNames(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _in_operation() -> QuerySet[Unit]:
    return Unit.objects.filter(active_to__isnull=True).order_by("path")


class _Choices(forms.RadioSelect):
    """Bootstrap radio buttons side by side (Django's own list breaks at 360 px)."""

    template_name = "tasks/widgets/radio_list.html"


class TaskForm(forms.ModelForm):
    """A task's description. Editing asks why (`reason`, kept with the revision)."""

    start_date = date_field(_("Ngày bắt đầu"), required=False)
    deadline = date_field(
        _("Thời hạn"), required=False, help_text=_("Để trống: nhiệm vụ thường xuyên.")
    )
    lead_unit = _UnitName(label=_("Đơn vị chủ trì"), queryset=Unit.objects.none())
    coordinating_units = _UnitNames(
        label=_("Đơn vị phối hợp"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ phím Ctrl (hoặc chạm trên điện thoại) để chọn nhiều đơn vị."),
    )
    reason = forms.CharField(
        label=_("Lý do thay đổi"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: điều chỉnh theo Kế hoạch số …; được lưu cùng lịch sử nhiệm vụ."),
    )

    class Meta:
        model = Task
        fields = ["code", *TASK_FIELDS]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "expected_product": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        units = _in_operation()
        if editing:  # a unit closed since stays selectable where the task already names it
            coordinating = self.instance.coordinating_units.values_list("pk", flat=True)
            named = [self.instance.lead_unit_id, *coordinating]
            units = Unit.objects.filter(Q(active_to__isnull=True) | Q(pk__in=named))
            units = units.order_by("path")
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["coordinating_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["source"].queryset = Source.objects.order_by("code")  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.all()  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]  # the code names the task everywhere: it does not change
        else:
            del self.fields["reason"]
            self.fields["year"].initial = timezone.localdate().year

    def _post_clean(self) -> None:
        """The services validate the task (and name each field): nothing is checked twice."""

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in TASK_FIELDS}


class AssignForm(forms.Form):
    """Give the task to more units: a choice (org.selection) effective from a date."""

    kind = forms.ChoiceField(
        label=_("Chọn đơn vị theo"),
        choices=[(k.value, label) for k, label in SELECTION_LABELS.items()],
        widget=_Choices,
        initial=SelectionKind.LIST.value,
    )
    units = _UnitNames(
        label=_("Các đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    unit_types = forms.MultipleChoiceField(
        label=_("Loại đơn vị"),
        choices=[(t.value, t.label) for t in UnitType if t in REPORTING_TYPES],
        required=False,
        widget=CheckboxList,
        help_text=_("Ví dụ: chọn Xã và Phường để giao cho tất cả xã, phường."),
    )
    root = _UnitName(
        label=_("Đơn vị và các đơn vị trực thuộc"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Giao cho các đơn vị báo cáo trong nhánh này (kể cả chính đơn vị)."),
    )
    group = forms.ModelChoiceField(
        label=_("Nhóm đơn vị"), queryset=UnitGroup.objects.none(), required=False
    )
    effective_on = date_field(_("Giao từ ngày"))
    reason = forms.CharField(
        label=_("Lý do, căn cứ"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = _in_operation()
        self.fields["units"].queryset = units.filter(unit_type__in=REPORTING_TYPES)  # type: ignore[attr-defined]
        self.fields["root"].queryset = units  # type: ignore[attr-defined]
        self.fields["group"].queryset = UnitGroup.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["effective_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {
            SelectionKind.LIST: "units",
            SelectionKind.TYPE: "unit_types",
            SelectionKind.SUBTREE: "root",
            SelectionKind.GROUP: "group",
        }
        kind = data.get("kind")
        if kind and not data.get(needed[SelectionKind(kind)]):
            self.add_error(needed[SelectionKind(kind)], _("Hãy chọn ở mục này."))
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            kind=SelectionKind(data["kind"]),
            units=list(data["units"] or ()),
            unit_types=list(data["unit_types"] or ()),
            root=data["root"],
            group=data["group"],
        )


class _Assignee(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A current assignee by name, with the day it was given the task when it has one."""

    def label_from_instance(self, obj: Any) -> str:
        begun = getattr(obj, "assigned_from", None)
        if begun is None:
            return str(obj.name)
        return _("%(name)s (từ %(date)s)") % {"name": obj.name, "date": f"{begun:%d/%m/%Y}"}


class EndForm(forms.Form):
    """Take the task away from some of its current assignees after a day (their last)."""

    units = _Assignee(
        label=_("Thôi giao cho các đơn vị"), queryset=Unit.objects.none(), widget=CheckboxList
    )
    ended_on = date_field(_("Thực hiện đến hết ngày"))
    reason = forms.CharField(
        label=_("Lý do thôi giao"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, current: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = current  # type: ignore[attr-defined]
        self.fields["ended_on"].initial = timezone.localdate()
