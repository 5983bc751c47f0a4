"""Forms of the reporting pages. They only read and check what was typed; every write goes
through reporting.services, which decides again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from indicators import services as indicator_services
from indicators.models import DataElement, ValueType
from indicators.templatetags.indicator_ui import parse_vn_number, vn_decimal
from nq57.limits import TEXT_MAX
from nq57.uploads import DOCUMENT_MAGIC
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.models import PeriodKind
from reporting.models import TEXT_KINDS, Question, Section, SectionKind
from reporting.services import SectionInput
from tasks.forms import CodeChoiceField, date_field
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


class CheckboxList(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes, whatever class the shared field renderer passes."""

    template_name = "reporting/widgets/checkbox_list.html"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- a period ----------------------------------------------------------------------------------


YEARS = (2000, 2100)  # beyond these, a typo; and far dates overflow time zone arithmetic


class PeriodForm(forms.Form):
    code = forms.CharField(label=_("Mã kỳ"), max_length=40, help_text=CODE_HELP)
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodKind.choices)
    title = forms.CharField(label=_("Tên kỳ"), max_length=255)
    starts_on = date_field(_("Từ ngày"))
    ends_on = date_field(_("Đến ngày"))
    opens_at = datetime_field(_("Mở nhận báo cáo"))
    due_at = datetime_field(_("Hạn nộp"))
    closes_at = datetime_field(_("Đóng kỳ (để trống: đóng khi bấm “Đóng kỳ”)"), required=False)
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
    questions = forms.CharField(
        label=_("Câu hỏi của báo cáo nhanh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một câu hỏi."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = access.units_where(actor, Action.MANAGE_PROGRAMME)
        blocs = self.units.filter(unit_type=UnitType.BLOC).order_by("path")
        self.fields["blocs"].queryset = blocs  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_unit_codes(self) -> list[Unit]:
        codes = set(re.split(r"[\s,;]+", self.cleaned_data["unit_codes"].strip())) - {""}
        units = list(self.units.filter(code__in=codes))
        if missing := codes - {u.code for u in units}:
            raise forms.ValidationError(
                _("Không có đơn vị mã: %(codes)s.") % {"codes": ", ".join(sorted(missing))}
            )
        return units

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
        if data.get("kind") == PeriodKind.QUICK and not _lines(data.get("questions", "")):
            self.add_error("questions", _("Báo cáo nhanh phải có ít nhất một câu hỏi."))
        return data

    def _chosen(self) -> QuerySet[Unit]:
        """Reporting units matching every chosen condition (type, bloc); none when none chosen."""
        data = self.cleaned_data
        types, blocs = data.get("unit_types"), data.get("blocs")
        if not types and not blocs:
            return Unit.objects.none()
        # Closed (merged, dissolved) units no longer report.
        units = self.units.filter(unit_type__in=types or REPORTING_TYPES, active_to__isnull=True)
        if blocs:
            within = Q()
            for bloc in blocs:
                within |= Q(path__startswith=bloc.path)
            units = units.filter(within)
        return units

    def required_units(self) -> list[Unit]:
        explicit = self.cleaned_data.get("unit_codes") or []
        return list({u.pk: u for u in [*self._chosen(), *explicit]}.values())

    def period_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.create_period."""
        data = self.cleaned_data
        names = ("code", "kind", "title", "starts_on", "ends_on", "opens_at", "due_at", "closes_at")
        questions = _lines(data["questions"]) if data["kind"] == PeriodKind.QUICK else []
        return {n: data[n] for n in names} | {
            "units": self.required_units(),
            "questions": questions,
        }


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

    @property
    def stored_version(self) -> int:
        return int(self.version.cleaned_data["version"])


def report_editor(
    *,
    version: int,
    sections: Sequence[Section],
    areas: Sequence[Area],
    questions: Sequence[Question],
    data: QueryDict | None = None,
) -> ReportEditor:
    """Unbound: the stored text plus blank items. Bound: what was posted."""
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
        for kind in ([] if questions else TEXT_KINDS)
    ]
    return ReportEditor(VersionForm(data, initial={"version": version}), parts, answers)


# --- workflow, files ---------------------------------------------------------------------------


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


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
        }


# --- indicator figures -------------------------------------------------------------------------


class FiguresForm(forms.Form):
    """The unit's figures for the period: one text input per numeric data element (Vietnamese
    number format accepted), and the confirmation that warnings were checked."""

    confirm = forms.BooleanField(
        label=_("Tôi xác nhận các số liệu có cảnh báo là đúng"), required=False
    )

    def __init__(
        self, *args: Any, elements: Sequence[DataElement], stored: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elements = [e for e in elements if e.value_type != ValueType.TEXT]
        for element in self.elements:
            value = stored.get(element.code)
            self.fields[self.field_name(element.code)] = forms.CharField(
                label=element.name,
                required=False,
                max_length=40,
                initial=vn_decimal(value),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"e_{code}"

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
        return data

    def values(self) -> dict[str, Decimal]:
        """Element code → the typed value; a blank input changes nothing."""
        typed = {e.code: self.cleaned_data.get(self.field_name(e.code)) for e in self.elements}
        return {code: value for code, value in typed.items() if value is not None}

    def violation(self, code: str, message: str) -> None:
        """Show a message next to the element, or above the form when it has no input here."""
        name = self.field_name(code)
        self.add_error(name if name in self.fields else None, message)


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
