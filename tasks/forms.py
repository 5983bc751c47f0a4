from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nq57.limits import TEXT_MAX, check_date_range
from nq57.uploads import DOCUMENT_MAGIC, checked_upload
from org.forms import AccountImportForm
from org.models import REPORTING_TYPES, Unit, UnitType, User
from tasks import services
from tasks.models import Area, Assignment, Source, StatusEvent
from tasks.queries import TaskFilter
from tasks.timeliness import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_PLACEHOLDER = {"placeholder": "dd/mm/yyyy"}

ALL = _("Tất cả")
SORT_CHOICES = [
    ("code", _("Mã nhiệm vụ")),
    ("deadline", _("Thời hạn gần nhất trước")),
    ("-deadline", _("Thời hạn xa nhất trước")),
]


def date_field(label: StrOrPromise, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        validators=[check_date_range],
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_PLACEHOLDER),
        **kwargs,
    )


class AsOfForm(forms.Form):
    """Bound to a query string; a missing date shows as today's."""

    as_of = date_field(_("Số liệu tính đến ngày"), required=False)

    def __init__(self, query: QueryDict, **kwargs: Any) -> None:
        data = query.copy()
        data.setdefault("as_of", f"{timezone.localdate():%d/%m/%Y}")
        super().__init__(data, **kwargs)

    def as_of_date(self) -> date:
        """The date asked about; today when it is malformed."""
        self.is_valid()
        return self.cleaned_data.get("as_of") or timezone.localdate()


class CodeChoiceField(forms.ChoiceField):
    """A row chosen by its code from rows read once: one query to check and to show them."""

    def __init__(self, label: StrOrPromise) -> None:
        super().__init__(label=label, required=False)
        self.rows: dict[str, Any] = {}

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.rows = {row.code: row for row in rows}
        self.choices = [("", ALL), *((code, str(row)) for code, row in self.rows.items())]

    def offer_only(self, shown: Callable[[Any], bool]) -> None:
        """Keep every row valid but offer only those `shown` allows in the menu."""
        self.choices = [("", ALL), *((c, str(r)) for c, r in self.rows.items() if shown(r))]

    def valid_value(self, value: Any) -> bool:
        return value in self.rows

    def clean(self, value: Any) -> Any:
        return self.rows.get(super().clean(value))


UNIT_MENU_MAX = 300  # more visible units than this: the unit menu offers the top levels only


def set_blocs(field: CodeChoiceField, blocs: list[Unit], provinces: dict[str, str]) -> None:
    """The bloc menu. Every province has the same blocs under the same names: when they come
    from several provinces (roots, by path), each is labelled with its own."""

    def root(bloc: Unit) -> str:
        return bloc.path[: Unit.steplen]

    field.set_rows(blocs)
    if len({root(bloc) for bloc in blocs}) > 1:
        field.choices = [
            ("", ALL),
            *((b.code, f"{b} – {provinces.get(root(b), '')}") for b in blocs),
        ]


class TaskFilterForm(AsOfForm):
    q = forms.CharField(label=_("Tìm theo mã hoặc tên"), required=False, max_length=200)
    source = CodeChoiceField(_("Nguồn"))
    area = CodeChoiceField(_("Lĩnh vực"))
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    unit = CodeChoiceField(_("Đơn vị thực hiện"))
    bloc = CodeChoiceField(_("Khối"))
    unit_type = forms.ChoiceField(
        label=_("Loại đơn vị thực hiện"),
        required=False,
        choices=[("", ALL), *(c for c in UnitType.choices if c[0] in REPORTING_TYPES)],
    )
    due_by = date_field(_("Hạn đến ngày"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES)

    field_order = [
        "q", "as_of", "source", "area", "year", "bloc", "unit_type", "unit", "due_by", "sort"
    ]  # fmt: skip

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].set_rows(Source.objects.order_by("code"))  # type: ignore[attr-defined]
        self.fields["area"].set_rows(Area.objects.all())  # type: ignore[attr-defined]
        # One query for every visible unit (to check a code) and the blocs among them.
        rows = list(units.order_by("path").only("code", "name", "path", "depth", "unit_type"))
        self.fields["unit"].set_rows(rows)  # type: ignore[attr-defined]
        if len(rows) > UNIT_MENU_MAX:
            # Across a country, thousands of options would weigh more than the list itself:
            # offer the top two levels and the chosen unit; deeper units come by a drill-down
            # link (any visible code stays valid).
            top = min(row.depth for row in rows)
            chosen = self.data.get("unit", "")
            self.fields["unit"].offer_only(  # type: ignore[attr-defined]
                lambda row: row.depth <= top + 1 or row.code == chosen
            )
        set_blocs(
            self.fields["bloc"],  # type: ignore[arg-type]
            [row for row in rows if row.unit_type == UnitType.BLOC],
            {row.path: row.name for row in rows if row.depth == 1},
        )

    def task_filter(self) -> TaskFilter:
        """The filter the query string asks for (TaskFilter.to_query writes it), counting a
        unit's subtree; a unit or bloc out of sight raises Http404, as a missing one would."""
        self.is_valid()
        if self.has_error("unit", "invalid_choice") or self.has_error("bloc", "invalid_choice"):
            raise Http404
        data = self.cleaned_data
        source, area = data.get("source"), data.get("area")
        return TaskFilter(
            source=source.code if source else None,
            area=area.code if area else None,
            year=data.get("year"),
            unit=data.get("unit"),
            subtree=True,
            unit_type=data.get("unit_type") or None,
            bloc=data.get("bloc"),
            due_by=data.get("due_by"),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[c for c in Status.choices if c[0] != Status.REMOVED]
    )
    effective_date = date_field(_("Ngày cập nhật"))
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi tạm dừng hoặc đề nghị đưa ra khỏi nhiệm vụ."),
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_MAGIC)}),
    )
    evidence_number = forms.CharField(
        label=_("Số văn bản minh chứng"), required=False, max_length=60
    )
    evidence_date = date_field(_("Ngày văn bản minh chứng"), required=False)
    evidence_link = forms.URLField(
        label=_("Đường dẫn minh chứng"), required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, latest: StatusEvent | None = None, **kwargs: Any) -> None:
        """Unbound, it starts from today and the assignee's latest status and progress."""
        initial: dict[str, Any] = {"effective_date": timezone.localdate()}
        if latest is not None and latest.status != Status.REMOVED:
            initial |= {"status": latest.status, "progress": latest.progress}
        super().__init__(*args, **(kwargs | {"initial": initial}))

    def clean_evidence_file(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("evidence_file")
        if upload:
            checked_upload(upload)
        return upload

    def event_fields(self) -> dict[str, Any]:
        """Keyword arguments for services.record_status (empty evidence left out)."""
        data = self.cleaned_data
        fields = {k: data[k] for k in ("status", "effective_date", "progress", "note", "reason")}
        evidence = ("evidence_file", "evidence_number", "evidence_date", "evidence_link")
        return fields | {k: data[k] for k in evidence if data.get(k)}

    def record(self, *, actor: User, assignment: Assignment) -> bool:
        """Record the status event; False, with the reasons on the form, when it is refused."""
        if not self.is_valid():
            return False
        try:
            services.record_status(actor=actor, assignment=assignment, **self.event_fields())
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True


class TaskImportForm(AccountImportForm):
    dry_run = forms.BooleanField(label=_("Xem trước (không lưu)"), required=False)


class ExtensionRequestForm(forms.Form):
    """The lead unit's request to move a task's deadline (services.request_extension)."""

    requested_deadline = date_field(_("Thời hạn đề nghị"))
    reason = forms.CharField(
        label=_("Lý do"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(forms.Form):
    """The standing office's decision on an extension (services.decide_extension)."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Đồng ý gia hạn")), ("refuse", _("Không đồng ý"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Bắt buộc khi không đồng ý."),
    )
