"""Forms of the documents pages. They only read what was typed; documents.services decides who
may request what (an out-of-sight unit or period is answered 404 there, not as a form error)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.composer.blocks import BLOCKS
from documents.composer.letterhead import province_root
from documents.content import KIND_LABELS, Kind
from documents.models import DateLine, DocumentProfile, FollowUpState, Format, Level
from documents.pdf import PdfUnavailable, pdf_available
from documents.services import PROFILE_FIELDS, PROVINCE_KINDS
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from periods.models import Period
from periods.queries import periods_visible_to
from reporting.models import TEXT_KINDS
from tasks.forms import date_field
from tasks.models import Area


def requestable_kinds(user: User) -> list[Kind]:
    """The kinds the user may ask for: the province's with the standing office's right on the
    whole tree, a unit's own where the user reports."""
    kinds = []
    root = Unit.objects.get_first_root_node()  # none yet on an empty database: no province kinds
    if root is not None and access.can(user, Action.MANAGE_PROGRAMME, root):
        kinds += [kind for kind in Kind if kind in PROVINCE_KINDS]
    if access.has_anywhere(user, Action.REPORT):
        kinds.append(Kind.UNIT)
    return kinds


class RequestForm(forms.Form):
    """Any kind, period and unit is accepted by code so that the service answers a forbidden one
    (404 or 403); the menus offer only what the user may pick."""

    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=list(KIND_LABELS.items()))
    period = forms.ModelChoiceField(
        label=_("Kỳ báo cáo"), queryset=Period.objects.all(), to_field_name="code"
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị (với báo cáo của đơn vị)"),
        queryset=Unit.objects.all(),
        to_field_name="code",
        required=False,
    )
    as_of = date_field(
        _("Số liệu tính đến ngày"),
        required=False,
        help_text=_("Để trống: ngày cuối kỳ (hoặc hôm nay nếu kỳ chưa kết thúc)."),
    )
    fmt = forms.ChoiceField(label=_("Định dạng"), choices=Format.choices, initial=Format.DOCX)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = requestable_kinds(user)
        self.fields["kind"].widget.choices = [(k.value, KIND_LABELS[k]) for k in self.kinds]
        periods = periods_visible_to(user).order_by("-starts_on", "code")
        self.fields["period"].widget.choices = [(p.code, f"{p.title} ({p.code})") for p in periods]
        units = access.units_where(user, Action.REPORT).filter(unit_type__in=REPORTING_TYPES)
        units = units.order_by("path")
        self.fields["unit"].widget.choices = [("", "—"), *((u.code, str(u)) for u in units)]
        if access.can(user, Action.REPORT, user.unit) and user.unit.is_reporting:
            self.fields["unit"].initial = user.unit.code
        if not pdf_available():  # offered greyed out, with the reason, rather than failing later
            self.fields["fmt"].widget = PdfDisabledSelect(choices=Format.choices)
            self.fields["fmt"].help_text = str(PdfUnavailable())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in PROVINCE_KINDS:
            data["unit"] = province_root()
        elif kind == Kind.UNIT and data.get("unit") is None:
            self.add_error("unit", _("Chọn đơn vị của báo cáo."))
        return data


class PdfDisabledSelect(forms.Select):
    """The format menu with PDF shown but not selectable (LibreOffice is not installed)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] == Format.PDF:
            option["attrs"]["disabled"] = True
        return option


class ProfileForm(forms.ModelForm):
    class Meta:
        model = DocumentProfile
        fields = PROFILE_FIELDS
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 6}),
            "basis": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_line"].required = False  # left out: the day and month stay blank

    def clean_date_line(self) -> str:
        return self.cleaned_data.get("date_line") or DateLine.BLANK


class _TypedCodeField(forms.ModelChoiceField):
    """A unit typed by its code (spaces around it ignored)."""

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)


class UnitPickForm(forms.Form):
    """Open a unit's own letterhead by its code, among the units the user manages (any other
    text is a form error, never a broken link)."""

    unit = _TypedCodeField(
        label=_("Mã đơn vị"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        widget=forms.TextInput,
        error_messages={"invalid_choice": _("Không có đơn vị với mã này trong phạm vi quản lý.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = access.units_where(user, Action.MANAGE_PROGRAMME)


# --- the composer and the outline -------------------------------------------------------------


class ProseForm(forms.Form):
    """A section's prose as typed, and the version the editor started from."""

    text = forms.CharField(
        label=_("Phần viết của cơ quan thường trực"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true", "lang": "vi"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PickForm(forms.Form):
    """Texts the units wrote, picked to go into the prose: each as a point, or merged."""

    texts = forms.MultipleChoiceField(label=_("Ý kiến của đơn vị"), choices=())
    merge = forms.BooleanField(label=_("Gộp thành một đoạn"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # What the editor holds, sent along so that picking never loses unsaved typing.
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["texts"]).choices = [(t, t) for t in choices]


class SectionForm(forms.Form):
    """A section of an outline as the standing office edits it."""

    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=500)
    level = forms.TypedChoiceField(label=_("Cấp"), choices=Level.choices, coerce=int)
    blocks = forms.MultipleChoiceField(
        label=_("Nội dung tính từ dữ liệu"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, block.label) for code, block in BLOCKS.items()],
    )
    area_code = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    said = forms.MultipleChoiceField(
        label=_("Ý kiến của đơn vị hiện bên cạnh"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(kind.value, kind.label) for kind in TEXT_KINDS],
    )
    numbered = forms.BooleanField(label=_("Đánh số các ý (1), (2)…"), required=False)
    omit_empty = forms.BooleanField(
        label=_("Bỏ cả mục khi các khối không có số liệu (không nêu “chưa có …”)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = [("", "—"), *Area.objects.values_list("code", "name")]
        cast(forms.ChoiceField, self.fields["area_code"]).choices = areas


class FollowUpForm(forms.Form):
    """Where a proposal to the province's own bodies stands (documents.services
    .follow_up_proposal decides what each state needs)."""

    state = forms.ChoiceField(label=_("Tình trạng"), choices=FollowUpState.choices)
    handler = forms.CharField(label=_("Cơ quan, người xử lý"), max_length=300, required=False)
    note = forms.CharField(
        label=_("Ghi chú, kết quả xử lý"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
