"""Forms of the programme set-up pages (sources, areas, programme groups) and of the lead and
coordinating units' words on a task. They check what was typed and hand plain values to
tasks.services, which decides again and raises ValidationError keyed by the same names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from nq57.limits import TEXT_MAX
from nq57.uploads import DOCUMENT_MAGIC
from org.models import Unit
from tasks.forms import date_field
from tasks.models import ProgrammeGroup, Source

CODE_HELP = _("Không chứa dấu “/” hay khoảng trắng; không đổi được sau khi tạo.")


class _CodedForm(forms.Form):
    """A row named by its code: typed when created, shown but fixed when edited."""

    code = forms.CharField(label=_("Mã"), max_length=40, help_text=CODE_HELP)
    names: tuple[str, ...] = ()  # the row's fields the form edits, besides its code

    def __init__(self, *args: Any, row: Model | None = None, **kwargs: Any) -> None:
        if row is not None:
            kwargs["initial"] = {n: getattr(row, n) for n in ("code", *self.names)}
        super().__init__(*args, **kwargs)
        if row is not None:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()

    def fields_of_row(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.names}


class SourceForm(_CodedForm):
    name = forms.CharField(label=_("Tên văn bản"), max_length=255)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = date_field(_("Ngày ban hành"), required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    upload = forms.FileField(
        label=_("Tệp văn bản"),
        required=False,
        help_text=_(
            "PDF, DOCX, XLSX, JPG hoặc PNG. Tệp mới thay tệp cũ; tệp cũ vẫn giữ trong lịch sử."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_MAGIC)}),
    )
    names = ("name", "number", "issued_on", "issuer")

    def clean_upload(self) -> UploadedFile | None:
        return self.cleaned_data.get("upload") or None  # checked by the service


class AreaForm(_CodedForm):
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=255)
    order = forms.IntegerField(
        label=_("Thứ tự"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Thứ tự của phần trong báo cáo: số nhỏ đứng trước."),
    )
    names = ("name", "order")


class GroupForm(_CodedForm):
    name = forms.CharField(
        label=_("Tên nhóm"),
        max_length=255,
        help_text=ProgrammeGroup._meta.get_field("name").help_text,
    )
    order = forms.IntegerField(label=_("Thứ tự"), min_value=0, max_value=32767, initial=0)
    this_year_only = forms.BooleanField(
        label=_("Chỉ tính nhiệm vụ của năm số liệu"), required=False
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Các nguồn của nhóm"),
        queryset=Source.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    names = ("name", "order", "this_year_only", "sources")

    def __init__(self, *args: Any, row: ProgrammeGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, row=row, **kwargs)
        if row is not None:
            self.initial["sources"] = list(row.sources.all())

    def clean_code(self) -> str:
        code = super().clean_code()
        if "code" in self.changed_data and ProgrammeGroup.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Đã có nhóm nhiệm vụ mã này."))
        return code


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class PartForm(forms.Form):
    """A coordinating unit's account of its part; the unit offered are those the user speaks for."""

    unit = forms.ModelChoiceField(label=_("Đơn vị phối hợp"), queryset=Unit.objects.none())
    text = forms.CharField(
        label=_("Phần việc đã thực hiện"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.name  # type: ignore[attr-defined]
        if len(units) == 1:
            field.initial = units[0]
            field.widget = forms.HiddenInput()
