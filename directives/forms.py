from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from directives import services
from directives.models import Directive, Kind
from directives.queries import DirectiveFilter
from nq57.forms import service_errors
from nq57.uploads import DOCUMENT_MAGIC
from org.models import Unit, UnitType, User
from tasks.forms import ALL, CodeChoiceField, date_field
from tasks.models import Task
from tasks.queries import tasks_visible_to


class DirectiveFilterForm(forms.Form):
    """Bound to the list's query string: `from`/`to` (dd/mm/yyyy or yyyy-mm-dd), `unit` (a code:
    that unit and the units below it), `kind`, `q`."""

    q = forms.CharField(label=_("Tìm theo số, ký hiệu hoặc trích yếu"), required=False)
    unit = CodeChoiceField(_("Cơ quan ban hành"))
    kind = forms.ChoiceField(
        label=_("Loại văn bản"), required=False, choices=[("", ALL), *Kind.choices]
    )

    def __init__(self, query: QueryDict, *, units: QuerySet[Unit]) -> None:
        super().__init__(query)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = date_field(_("Từ ngày"), required=False)
        self.fields["to"] = date_field(_("Đến ngày"), required=False)
        self.order_fields(["q", "from", "to", "unit", "kind"])
        self.fields["unit"].set_rows(units.order_by("path"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("Ngày cuối phải từ ngày đầu trở đi."))
        return data

    def directive_filter(self) -> DirectiveFilter:
        """What was asked; a malformed field is left out rather than refused."""
        self.is_valid()
        data = self.cleaned_data
        return DirectiveFilter(
            unit=data.get("unit"),
            start=data.get("from"),
            end=data.get("to"),
            kind=data.get("kind") or "",
            text=(data.get("q") or "").strip(),
        )


_CODE_SEPARATORS = re.compile(r"[\s,;]+")


class DirectiveForm(forms.Form):
    """Create or edit a document. The file itself is checked by the service (content type, size,
    generated name) like every upload."""

    issuer = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Unit.objects.none())
    number = forms.CharField(
        label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 12-CV/BCĐ (viết hoa).")
    )
    issued_on = date_field(_("Ngày ban hành"))
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Kind.choices)
    subject = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(
        label=_("Nhiệm vụ liên quan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mã các nhiệm vụ văn bản giao hoặc chỉ đạo, cách nhau bởi dấu phẩy."),
    )
    file = forms.FileField(
        label=_("Tệp văn bản"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG hoặc PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_MAGIC)}),
    )
    remove_file = forms.BooleanField(label=_("Xóa tệp đang lưu"), required=False)

    def __init__(
        self,
        data: QueryDict | None,
        files: MultiValueDict[str, UploadedFile] | None,
        *,
        actor: User,
        issuers: QuerySet[Unit],
        directive: Directive | None = None,
    ) -> None:
        self.actor, self.directive = actor, directive
        super().__init__(data, files, initial=self._initial(issuers, directive))
        self.fields["issuer"].queryset = issuers.order_by("path")  # type: ignore[attr-defined]
        if directive is None or not directive.file:
            del self.fields["remove_file"]

    @staticmethod
    def _initial(issuers: QuerySet[Unit], directive: Directive | None) -> dict[str, Any]:
        if directive is None:  # most documents are the Steering Committee's own
            return {"issuer": issuers.filter(unit_type=UnitType.STEERING).first()}
        codes = directive.tasks.order_by("code").values_list("code", flat=True)
        fields = ("issuer", "number", "issued_on", "kind", "subject")
        return {name: getattr(directive, name) for name in fields} | {"tasks": ", ".join(codes)}

    def clean_tasks(self) -> list[Task]:
        codes = list(
            dict.fromkeys(c for c in _CODE_SEPARATORS.split(self.cleaned_data["tasks"]) if c)
        )
        found = {t.code: t for t in tasks_visible_to(self.actor).filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            message = _("Không tìm thấy nhiệm vụ: %(codes)s.") % {"codes": ", ".join(missing)}
            raise ValidationError(message)
        return [found[code] for code in codes]

    def save(self) -> Directive | None:
        """Create or update through the service; None, with the reasons on the form, if refused."""
        if not self.is_valid():
            return None
        data = dict(self.cleaned_data)
        upload, remove = data.pop("file"), data.pop("remove_file", False)
        try:
            if self.directive is None:
                return services.create_directive(actor=self.actor, upload=upload, **data)
            return services.update_directive(
                actor=self.actor,
                directive=self.directive,
                upload=upload,
                remove_file=remove,
                **data,
            )
        except ValidationError as exc:
            service_errors(self, exc)
            return None
