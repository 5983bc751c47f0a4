"""Forms of the reporting pages. They only read and check what was typed; every write goes
through reporting.services, which decides again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from indicators import services as indicator_services
from indicators.models import DataElement, ValueType
from indicators.templatetags.indicator_ui import parse_vn_number, vn_decimal
from nq57.forms import CheckboxList, day_field
from nq57.limits import TEXT_MAX
from nq57.uploads import DOCUMENT_MAGIC
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.models import Frequency, PeriodKind
from periods.queries import units_asked
from reporting.models import TEXT_KINDS, Question, ReportForm, Schedule, Section, SectionKind
from reporting.schedules import FormInput, ScheduleInput
from reporting.services import SectionInput
from tasks.forms import CodeChoiceField, TaskImportForm, date_field
from tasks.models import Area
from tasks.timeliness import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BLANK_ITEMS = 1  # empty items offered below the written ones; saving offers another
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
CODE_HELP = _(
    "Tháng: 2025-09 · Quý: 2025-Q3 · Sáu tháng: 2025-H2 · Năm: 2025 · "
    "Báo cáo nhanh: mã riêng, chữ in hoa."
)


def datetime_field(label: StrOrPromise, required: bool = True) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMATS[0])
    return forms.DateTimeField(
        label=label, input_formats=DATETIME_FORMATS, widget=widget, required=required
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- a period ----------------------------------------------------------------------------------


YEARS = (2000, 2100)  # beyond these, a typo; and far dates overflow time zone arithmetic


class AskedUnitsForm(forms.Form):
    """The units a period or schedule asks: reporting types, blocs (both: units meeting both),
    and units named by code; and the report form it asks them (periods.queries.units_asked)."""

    unit_types = forms.MultipleChoiceField(
        label=_("Loại đơn vị phải báo cáo"),
        required=False,
        choices=[c for c in UnitType.choices if c[0] in REPORTING_TYPES],
        widget=CheckboxList,
    )
    blocs = forms.ModelMultipleChoiceField(
        label=_("Thuộc khối"),
        required=False,
        queryset=Unit.objects.none(),
        widget=CheckboxList,
        help_text=_("Chọn loại và/hoặc khối: các đơn vị thỏa cả hai điều kiện phải báo cáo."),
    )
    unit_codes = forms.CharField(
        label=_("Thêm các đơn vị theo mã"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mã đơn vị, cách nhau bởi dấu phẩy, dấu cách hoặc xuống dòng."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = access.units_where(actor, Action.MANAGE_PROGRAMME)
        blocs = self.units.filter(unit_type=UnitType.BLOC).order_by("path")
        self.fields["blocs"].queryset = blocs  # type: ignore[attr-defined]
        self.fields["form"].queryset = ReportForm.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_unit_codes(self) -> list[Unit]:
        return _unit_codes(self.units, self.cleaned_data["unit_codes"])


class PeriodForm(AskedUnitsForm):
    code = forms.CharField(label=_("Mã kỳ"), max_length=40, help_text=CODE_HELP)
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices)
    title = forms.CharField(label=_("Tên kỳ"), max_length=255)
    starts_on = date_field(_("Từ ngày"))
    ends_on = date_field(_("Đến ngày"))
    opens_at = datetime_field(_("Mở nhận báo cáo"))
    due_at = datetime_field(_("Hạn nộp"))
    closes_at = datetime_field(_("Đóng kỳ (để trống: đóng khi bấm “Đóng kỳ”)"), required=False)
    form = forms.ModelChoiceField(
        label=_("Mẫu báo cáo"),
        required=False,
        queryset=ReportForm.objects.none(),
        help_text=_("Để trống: ba phần nội dung và mọi số liệu của loại kỳ."),
    )
    questions = forms.CharField(
        label=_("Câu hỏi của báo cáo nhanh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một câu hỏi."),
    )

    field_order = [
        "code", "kind", "title", "starts_on", "ends_on", "opens_at", "due_at", "closes_at",
        "unit_types", "blocs", "unit_codes", "form", "questions",
    ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_on", "ends_on", "opens_at", "due_at", "closes_at"):
            value = data.get(name)
            if value is not None and not YEARS[0] <= value.year <= YEARS[1]:
                self.add_error(
                    name, _("Năm phải từ %(a)s đến %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
                )
        if not self.errors and not self.required_units():
            raise forms.ValidationError(_("Chưa chọn đơn vị nào phải báo cáo."))
        form = data.get("form")
        asks = _lines(data.get("questions", "")) or (form is not None and form.question_list)
        if data.get("kind") == PeriodKind.QUICK and not asks:
            self.add_error("questions", _("Báo cáo nhanh phải có ít nhất một câu hỏi."))
        return data

    def _chosen(self) -> QuerySet[Unit]:
        """Reporting units matching every chosen condition (type, bloc), not closed (merged,
        dissolved); none when none chosen."""
        data = self.cleaned_data
        chosen = units_asked(unit_types=data.get("unit_types") or [], blocs=data.get("blocs") or [])
        return self.units.filter(pk__in=chosen.values("pk"))

    def required_units(self) -> list[Unit]:
        explicit = self.cleaned_data.get("unit_codes") or []
        return list({u.pk: u for u in [*self._chosen(), *explicit]}.values())

    def period_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.create_period."""
        data = self.cleaned_data
        names = (
            "code", "kind", "title", "starts_on", "ends_on", "opens_at", "due_at", "closes_at",
            "form",
        )  # fmt: skip
        questions = _lines(data["questions"]) if data["kind"] == PeriodKind.QUICK else []
        return {n: data[n] for n in names} | {
            "units": self.required_units(),
            "questions": questions,
        }


def _unit_codes(units: QuerySet[Unit], text: str) -> list[Unit]:
    """Units named by code (commas, spaces or lines between), among `units`."""
    codes = set(re.split(r"[\s,;]+", text.strip())) - {""}
    found = list(units.filter(code__in=codes))
    if missing := codes - {u.code for u in found}:
        raise forms.ValidationError(
            _("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(sorted(missing))}
        )
    return found


# --- report forms and schedules ----------------------------------------------------------------


class _ElementChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_period_kind_display().lower()})"


class ReportFormEditor(forms.Form):
    """What a period asks (reporting.schedules.save_report_form checks the rest)."""

    code = forms.CharField(
        label=_("Mã mẫu"), max_length=40, help_text=_("Chữ in hoa, ví dụ BC-THANG.")
    )
    name = forms.CharField(label=_("Tên mẫu"), max_length=255)
    kind = forms.ChoiceField(label=_("Dùng cho loại kỳ"), choices=PeriodKind.choices)
    sections = forms.MultipleChoiceField(
        label=_("Các phần nội dung"),
        required=False,
        choices=[(k.value, k.label) for k in TEXT_KINDS],
        widget=CheckboxList,
    )
    every_element = forms.BooleanField(
        label=_("Mọi số liệu của loại kỳ mà đơn vị báo cáo"), required=False, initial=True
    )
    elements = _ElementChoice(
        label=_("Hoặc chỉ các số liệu"),
        required=False,
        queryset=DataElement.objects.none(),
        widget=CheckboxList,
        help_text=_("Chỉ dùng khi bỏ chọn ô trên: báo cáo nhanh thường chỉ hỏi vài số liệu."),
    )
    questions = forms.CharField(
        label=_("Câu hỏi (báo cáo nhanh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một câu hỏi."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elements"].queryset = DataElement.objects.order_by("period_kind", "name")  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, form: ReportForm) -> dict[str, Any]:
        return {
            "code": form.code,
            "name": form.name,
            "kind": form.kind,
            "sections": form.sections,
            "every_element": form.every_element,
            "elements": list(form.elements.all()),
            "questions": form.questions,
        }

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def to_input(self) -> FormInput:
        data = self.cleaned_data
        return FormInput(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            sections=data["sections"],
            every_element=data["every_element"],
            elements=list(data["elements"]),
            questions=data["questions"],
        )


DUE_BY_DAY, DUE_BY_WORKING_DAYS = "day", "working_days"


class ScheduleForm(AskedUnitsForm):
    """A recurring schedule (reporting.schedules.save_schedule checks the rest)."""

    code = forms.CharField(
        label=_("Mã lịch"),
        max_length=28,
        help_text=_("Chữ in hoa; mã các kỳ báo cáo nhanh bắt đầu bằng mã này."),
    )
    name = forms.CharField(label=_("Tên lịch"), max_length=255)
    frequency = forms.ChoiceField(label=_("Tần suất"), choices=Frequency.choices)
    form = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=ReportForm.objects.none())
    starts_on = day_field(_("Bắt đầu từ ngày"))
    ends_on = day_field(_("Kết thúc ngày (để trống: không hạn)"), required=False)
    cutoff_day = forms.IntegerField(
        label=_("Ngày chốt số liệu"),
        min_value=1,
        max_value=28,
        initial=15,
        help_text=_(
            "15: số liệu từ ngày 15 tháng trước đến ngày 14 (Nghị định 09/2019/NĐ-CP); "
            "1: theo tháng dương lịch. Không dùng cho báo cáo nhanh."
        ),
    )
    due_rule = forms.ChoiceField(
        label=_("Cách tính hạn nộp"),
        choices=[
            (
                DUE_BY_DAY,
                _(
                    "Ngày cố định trong tháng (rơi vào ngày nghỉ thì lùi sang ngày làm việc "
                    "kế tiếp)"
                ),
            ),
            (DUE_BY_WORKING_DAYS, _("Số ngày làm việc sau ngày chốt số liệu")),
        ],
        initial=DUE_BY_DAY,
    )
    due_day = forms.IntegerField(
        label=_("Hạn nộp: ngày"), min_value=1, max_value=31, required=False, initial=20
    )
    due_month_offset = forms.TypedChoiceField(
        label=_("Hạn nộp: tháng"),
        coerce=int,
        choices=[
            (0, _("tháng có ngày chốt số liệu")),
            (1, _("tháng sau đó")),
            (2, _("hai tháng sau")),
            (3, _("ba tháng sau")),
        ],
        initial=0,
    )
    due_working_days = forms.IntegerField(
        label=_("Hạn nộp: số ngày làm việc"), min_value=1, max_value=60, required=False
    )
    due_time = forms.TimeField(
        label=_("Giờ hạn nộp"),
        initial=time(17),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Báo cáo nhanh hằng giờ: hạn là cuối giờ đó."),
    )
    opens_days_before = forms.IntegerField(
        label=_("Mở nhận báo cáo trước hạn (ngày)"), min_value=0, max_value=60, initial=5
    )
    closes_days_after = forms.IntegerField(
        label=_("Tự đóng kỳ sau hạn (ngày; để trống: đóng bằng tay)"),
        min_value=0,
        max_value=365,
        required=False,
    )

    field_order = [
        "code", "name", "frequency", "form", "starts_on", "ends_on", "cutoff_day", "due_rule",
        "due_day", "due_month_offset", "due_working_days", "due_time", "opens_days_before",
        "closes_days_after", "unit_types", "blocs", "unit_codes",
    ]  # fmt: skip

    @classmethod
    def initial_of(cls, schedule: Schedule) -> dict[str, Any]:
        by_day = schedule.due_working_days is None
        return {
            "code": schedule.code,
            "name": schedule.name,
            "frequency": schedule.frequency,
            "form": schedule.form,
            "starts_on": schedule.starts_on,
            "ends_on": schedule.ends_on,
            "cutoff_day": schedule.cutoff_day,
            "due_rule": DUE_BY_DAY if by_day else DUE_BY_WORKING_DAYS,
            "due_day": schedule.due_day,
            "due_month_offset": schedule.due_month_offset,
            "due_working_days": schedule.due_working_days,
            "due_time": schedule.due_time,
            "opens_days_before": schedule.opens_days_before,
            "closes_days_after": schedule.closes_days_after,
            "unit_types": schedule.unit_types,
            "blocs": list(schedule.blocs.all()),
            "unit_codes": " ".join(u.code for u in schedule.units.all()),
        }

    def to_input(self) -> ScheduleInput:
        data = self.cleaned_data
        by_day = data["due_rule"] == DUE_BY_DAY
        return ScheduleInput(
            code=data["code"],
            name=data["name"],
            frequency=data["frequency"],
            form=data["form"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            cutoff_day=data["cutoff_day"] or 1,
            due_day=data["due_day"] if by_day else None,
            due_month_offset=data["due_month_offset"] if by_day else 0,
            due_working_days=None if by_day else data["due_working_days"],
            due_time=data["due_time"],
            opens_days_before=data["opens_days_before"],
            closes_days_after=data["closes_days_after"],
            unit_types=data["unit_types"],
            blocs=list(data["blocs"]),
            units=data["unit_codes"],
        )


# --- a report's text ---------------------------------------------------------------------------


class AreaChoiceField(CodeChoiceField):
    """An area chosen by code; blank means the item is about the programme as a whole."""

    def set_rows(self, rows: Iterable[Any]) -> None:
        super().set_rows(rows)
        self.choices = [("", _("— Chung —")), *((a.code, a.name) for a in self.rows.values())]


class ItemForm(forms.Form):
    area = AreaChoiceField(_("Lĩnh vực"))
    text = forms.CharField(
        label=_("Nội dung"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, areas: Sequence[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].set_rows(areas)  # type: ignore[attr-defined]


ItemFormSet = forms.formset_factory(ItemForm, extra=BLANK_ITEMS, max_num=100, validate_max=True)


class AnswerForm(forms.Form):
    """A quick report: one answer per question of the period."""

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                label=question.text, required=False, max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def inputs(self) -> list[SectionInput]:
        data = self.cleaned_data
        return [
            SectionInput(kind=SectionKind.ANSWER, text=data[f"q{q.pk}"], question=q)
            for q in self.questions
        ]


class VersionForm(forms.Form):
    """The report's version when the form was opened: a later save by someone else wins."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


@dataclass
class ReportEditor:
    """The whole text of a report as one form: its version, then the three parts of the province
    report (a formset each, items tagged with an area) or a quick report's answers."""

    version: VersionForm
    parts: Sequence[tuple[str, StrOrPromise, Any]]  # (kind, label, formset)
    answers: AnswerForm | None

    def _forms(self) -> list[Any]:
        return [
            self.version,
            *(p[2] for p in self.parts),
            *([self.answers] if self.answers else []),
        ]

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self._forms()]  # every form, to show all errors
        return all(valid)

    def sections(self) -> list[SectionInput]:
        items = [
            SectionInput(kind=kind, text=form.cleaned_data["text"], area=form.cleaned_data["area"])
            for kind, _label, formset in self.parts
            for form in formset
            if form.cleaned_data.get("text", "").strip()
        ]
        return items + (self.answers.inputs() if self.answers else [])

    def error_messages(self) -> list[str]:
        """Every error of the bound editor as a sentence naming its part and item (for the
        status line of a save made in place, where the fields are not redrawn)."""
        messages = [str(e) for e in self.version.errors.get("version", [])]
        for _kind, label, formset in self.parts:
            messages += [f"{label}: {e}" for e in formset.non_form_errors()]
            for number, form in enumerate(formset, start=1):
                for errors in form.errors.values():
                    messages += [f"{label}, {_('mục')} {number}: {e}" for e in errors]
        if self.answers is not None:
            for name, errors in self.answers.errors.items():
                messages += [f"{self.answers.fields[name].label}: {e}" for e in errors]
        return messages

    @property
    def stored_version(self) -> int:
        return int(self.version.cleaned_data["version"])


def report_editor(
    *,
    version: int,
    sections: Sequence[Section],
    areas: Sequence[Area],
    questions: Sequence[Question],
    kinds: Sequence[SectionKind] = TEXT_KINDS,
    data: QueryDict | None = None,
) -> ReportEditor:
    """Unbound: the stored text plus blank items. Bound: what was posted. `kinds`: the parts
    of text the period asks (a quick report answers its questions instead)."""
    answers = None
    if questions:
        given = {f"q{s.question_id}": s.text for s in sections if s.question_id}
        answers = AnswerForm(data, questions=questions, initial=given)
    parts = [
        (
            kind.value,
            kind.label,
            ItemFormSet(
                data,
                prefix=kind.value,
                form_kwargs={"areas": areas},
                initial=[
                    {"area": s.area.code if s.area else "", "text": s.text}
                    for s in sections
                    if s.kind == kind
                ],
            ),
        )
        for kind in ([] if questions else kinds)
    ]
    return ReportEditor(VersionForm(data, initial={"version": version}), parts, answers)


# --- workflow, files ---------------------------------------------------------------------------


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class DecideForm(CommentForm):
    """A correction's decision; approving a figure a rule warns about needs the warnings
    confirmed, with the comment saying why the figure is right."""

    accept_warnings = forms.BooleanField(
        label=_("Xác nhận số liệu đúng dù có cảnh báo"), required=False
    )


class AttachmentForm(forms.Form):
    """The file itself is checked by services.add_attachment (content type, size, name)."""

    file = forms.FileField(
        label=_("Tệp đính kèm"),
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_MAGIC)}),
    )


# --- the board ---------------------------------------------------------------------------------


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo mã hoặc tên"), required=False, max_length=200)
    bloc = CodeChoiceField(_("Khối"))
    unit_type = forms.ChoiceField(label=_("Loại đơn vị"), required=False)
    state = forms.ChoiceField(label=_("Trạng thái"), required=False)
    overdue = forms.BooleanField(label=_("Chỉ đơn vị quá hạn mà chưa nộp"), required=False)

    def __init__(
        self, *args: Any, blocs: QuerySet[Unit], states: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bloc"].set_rows(blocs)  # type: ignore[attr-defined]
        every = [("", _("Tất cả"))]
        types = [c for c in UnitType.choices if c[0] in REPORTING_TYPES]
        self.fields["unit_type"].choices = every + types  # type: ignore[attr-defined]
        self.fields["state"].choices = every + list(states.items())  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The valid filters (a bad one is ignored, like no filter)."""
        self.is_valid()
        data = self.cleaned_data
        bloc = data.get("bloc")
        return {
            "bloc": bloc.code if bloc else None,
            "unit_type": data.get("unit_type") or None,
            "state": data.get("state") or None,
            "q": data.get("q", ""),
            "overdue": bool(data.get("overdue")),
        }


# --- indicator figures -------------------------------------------------------------------------


WARNING_COMMENT = _("Ghi chú lý do (bắt buộc khi xác nhận cảnh báo)")
YES_NO_CHOICES = [("", "—"), ("1", _("Có")), ("0", _("Không"))]


def _comment_needed(form: forms.Form, data: dict[str, Any]) -> None:
    """A confirmed warning says why the figure is right (indicators.services asks it too)."""
    if data.get("confirm") and not (data.get("comment") or "").strip():
        form.add_error("comment", indicator_services.WARNING_COMMENT_NEEDED)


def _opened_text(value: Decimal | None) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


class FiguresForm(forms.Form):
    """The unit's figures for the period: one input per numeric data element (Vietnamese number
    format accepted; a yes/no element is a choice), and the confirmation that warnings were
    checked, with the comment saying why the figures are right.

    Beside each input, hidden, the value stored when the form was opened (`opened_name`): only
    the figures typed differently from it are saved (`values`), each checked by the service
    against what is stored now (`expected`), so a form opened earlier never puts back an old
    value over a colleague's newer one."""

    confirm = forms.BooleanField(
        label=_("Tôi xác nhận các số liệu có cảnh báo là đúng"), required=False
    )
    comment = forms.CharField(
        label=WARNING_COMMENT,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
    )

    def __init__(
        self, *args: Any, elements: Sequence[DataElement], stored: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elements = [e for e in elements if e.value_type != ValueType.TEXT]
        for element in self.elements:
            value = stored.get(element.code)
            self.fields[self.field_name(element.code)] = self._input(element, value)
            self.fields[self.opened_name(element.code)] = forms.CharField(
                required=False, max_length=60, initial=_opened_text(value),
                widget=forms.HiddenInput,
            )  # fmt: skip

    @staticmethod
    def _input(element: DataElement, value: Decimal | None) -> forms.Field:
        """A number box sized to its figure, or a choice for a yes/no element."""
        if element.value_type == ValueType.YES_NO:
            widget: forms.Widget = forms.Select(choices=YES_NO_CHOICES)
        else:
            size = max(6, min(16, len(vn_decimal(value)) + 2))
            widget = forms.TextInput(
                attrs={"inputmode": "decimal", "size": size, "autocomplete": "off"}
            )
        return forms.CharField(
            label=element.name, required=False, max_length=40, initial=vn_decimal(value),
            widget=widget,
        )  # fmt: skip

    @staticmethod
    def field_name(code: str) -> str:
        return f"e_{code}"

    @staticmethod
    def opened_name(code: str) -> str:
        return f"o_{code}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for element in self.elements:
            name = self.field_name(element.code)
            text = data.get(name)
            if text is None:
                continue
            if not text.strip():
                data[name] = None
                continue
            try:
                data[name] = parse_vn_number(text)
            except ValueError:
                self.add_error(name, _("Không phải là số (ví dụ: 229.413 hoặc 87,3)."))
                continue
            try:  # the service's own type checks, to show the message next to the element
                indicator_services._check_value(element, data[name], "")
            except ValidationError as exc:
                self.add_error(name, exc.messages)
        _comment_needed(self, data)
        return data

    def _opened(self, code: str) -> tuple[bool, Decimal | None]:
        """(known, value): the value stored when the form was opened, unknown when the form
        did not say (a client that posts no hidden values: every typed figure is a change)."""
        raw = self.data.get(self.opened_name(code))
        if raw is None:
            return False, None
        try:
            return True, (Decimal(raw) if raw.strip() else None)
        except ArithmeticError:
            return False, None

    def values(self) -> dict[str, Decimal]:
        """Element code → the typed value, for the figures typed differently from the value
        the form was opened with; a blank input changes nothing."""
        typed = {e.code: self.cleaned_data.get(self.field_name(e.code)) for e in self.elements}
        return {
            code: value
            for code, value in typed.items()
            if value is not None and self._opened(code) != (True, value)
        }

    def expected(self) -> dict[str, Decimal | None]:
        """Element code → the value stored when the form was opened, for each figure `values`
        saves whose opened value the form carried (the service checks it is still stored)."""
        opened = {code: self._opened(code) for code in self.values()}
        return {code: value for code, (known, value) in opened.items() if known}

    def stale(self, current: dict[str, Decimal | None]) -> None:
        """Someone saved these figures since the form was opened: say so next to each, and
        take their stored value as the one opened with, so saving again is a deliberate
        replacement of it."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        for code, value in current.items():
            shown = "—" if value is None else vn_decimal(value)
            message = _(
                "Vừa có người khác lưu số liệu này là %(value)s. Kiểm tra lại; bấm Lưu số liệu "
                "lần nữa nếu vẫn muốn thay bằng số bạn nhập."
            ) % {"value": shown}
            self.add_error(self.field_name(code), message)
            data[self.opened_name(code)] = _opened_text(value)
        self.data = data

    def violation(self, code: str, message: str) -> None:
        """Show a message next to the element, or above the form when it has no input here."""
        name = self.field_name(code)
        self.add_error(name if name in self.fields else None, message)


class FigureImportForm(TaskImportForm):
    """The figure import: the file, a dry run, and the confirmation of the rules' warnings with
    the comment that says why the figures are right (indicators.imports)."""

    confirm = forms.BooleanField(
        label=_("Tôi xác nhận các số liệu có cảnh báo là đúng"), required=False
    )
    comment = forms.CharField(
        label=WARNING_COMMENT,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _comment_needed(self, data)
        return data

    def job_options(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"accept_warnings": bool(data["confirm"]), "comment": data["comment"]}


class _AssignmentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.task.code} · {obj.task.title}"


class CorrectionForm(forms.Form):
    """A status correction asked from the report page: which of the unit's tasks, the status it
    should have had on which day of the period, and why (reporting.corrections checks the rest)."""

    assignment = _AssignmentChoice(
        label=_("Nhiệm vụ"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái đúng"),
        choices=[(v, label) for v, label in Status.choices if v != Status.REMOVED],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    effective_date = date_field(_("Ngày"))
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 20, "class": "form-control"}),
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = unit.assignments.select_related("task").order_by("task__code")
