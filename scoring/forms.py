from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nq57.forms import service_errors
from nq57.uploads import DOCUMENT_MAGIC
from org.models import UnitType
from scoring import services
from scoring.facts import KIND_TYPES
from scoring.models import Criterion, Fact, Method, Scheme
from tasks.forms import date_field

MONTH_FORMATS = ("%m/%Y", "%Y-%m")


class MonthField(forms.CharField):
    """A month typed mm/yyyy (or yyyy-mm), as its first day."""

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        for fmt in MONTH_FORMATS:
            try:
                return datetime.strptime(text.strip(), fmt).date().replace(day=1)
            except ValueError:
                continue
        raise ValidationError(_("Tháng viết dạng mm/yyyy, ví dụ 11/2026."))


def month_field(label: Any, **kwargs: Any) -> MonthField:
    return MonthField(
        label=label, widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"}), **kwargs
    )


class RunForm(forms.Form):
    month = month_field(_("Tháng chấm điểm"))


class SchemeForm(forms.ModelForm):
    valid_from = month_field(_("Áp dụng từ tháng"))

    class Meta:
        model = Scheme
        fields = [
            "kind",
            "valid_from",
            "name",
            "basis",
            "total_points",
            "excellent_from",
            "good_from",
            "done_from",
            "excellent_cap_percent",
            "cutoff_day",
            "contest_days",
        ]
        widgets = {"basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"], self.fields["valid_from"]
        else:
            self.fields["valid_from"].initial = None


class CopyForm(forms.Form):
    valid_from = month_field(_("Áp dụng từ tháng"))
    name = forms.CharField(label=_("Tên phương án mới"), max_length=255)


class CriterionForm(forms.Form):
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, initial=0)
    code = forms.CharField(label=_("Mã"), max_length=20)
    name = forms.CharField(label=_("Tên tiêu chí"), max_length=255)
    fact = forms.ChoiceField(label=_("Số liệu chấm"), choices=Fact.choices)
    method = forms.ChoiceField(label=_("Cách tính điểm"), choices=Method.choices)
    max_points = forms.DecimalField(label=_("Điểm tối đa"), max_digits=6, decimal_places=2)
    bands = forms.CharField(
        label=_("Khung điểm"),
        required=False,
        help_text=_(
            "Với cách tính theo khung: tỷ lệ:điểm, cách nhau bởi dấu chấm phẩy, ví dụ "
            "100:10; 90:8; 70:5 (dưới khung thấp nhất: 0 điểm)."
        ),
    )
    per_item = forms.DecimalField(
        label=_("Điểm mỗi trường hợp"),
        max_digits=6,
        decimal_places=2,
        initial=0,
        help_text=_(
            "Trừ điểm: mỗi nhiệm vụ quá hạn, báo cáo nộp muộn, lỗi số liệu; "
            "điểm thưởng: mỗi sản phẩm."
        ),
    )
    per_day = forms.DecimalField(
        label=_("Điểm trừ mỗi ngày chậm"), max_digits=6, decimal_places=2, initial=0
    )
    per_missed = forms.DecimalField(
        label=_("Điểm trừ mỗi báo cáo không nộp"), max_digits=6, decimal_places=2, initial=0
    )
    unit_types = forms.MultipleChoiceField(
        label=_("Chỉ áp dụng cho"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi đơn vị của phương án."),
    )

    def __init__(
        self, *args: Any, scheme: Scheme, criterion: Criterion | None = None, **kwargs: Any
    ) -> None:
        self.scheme, self.criterion = scheme, criterion
        if criterion is not None:
            kwargs.setdefault("initial", {}).update(
                {name: getattr(criterion, name) for name in services.CRITERION_FIELDS}
                | {"bands": "; ".join(f"{low}:{points}" for low, points in criterion.bands)}
            )
        super().__init__(*args, **kwargs)
        types = KIND_TYPES[scheme.kind]
        self.fields["unit_types"].choices = [  # type: ignore[attr-defined]
            c for c in UnitType.choices if c[0] in types
        ]

    def clean_bands(self) -> list[list[str]]:
        try:
            return services.parse_bands(self.cleaned_data["bands"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def save(self, actor: Any) -> Criterion | None:
        if not self.is_valid():
            return None
        try:
            return services.save_criterion(
                actor=actor, scheme=self.scheme, criterion=self.criterion, **self.cleaned_data
            )
        except ValidationError as exc:
            service_errors(self, exc)
            return None


class ContestForm(forms.Form):
    text = forms.CharField(label=_("Nội dung giải trình"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_MAGIC)}),
    )
    evidence_link = forms.URLField(
        label=_("Đường dẫn minh chứng"), required=False, assume_scheme="https"
    )


class AdjustForm(forms.Form):
    points = forms.DecimalField(label=_("Điểm mới"), max_digits=7, decimal_places=2, min_value=0)
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    points = forms.DecimalField(
        label=_("Điều chỉnh điểm thành"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=0,
        help_text=_("Để trống nếu giữ nguyên điểm."),
    )


class WhatIfForm(forms.Form):
    task = forms.TypedMultipleChoiceField(
        label=_("Nhiệm vụ hoàn thành"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    on = date_field(_("Hoàn thành vào ngày"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = choices  # type: ignore[attr-defined]
