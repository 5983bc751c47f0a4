from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from nq57.forms import service_errors
from nq57.uploads import DOCUMENT_MAGIC
from org.forms import AccountImportForm
from org.models import Unit, User
from products import services
from products.models import FundSource, Product, ProductState, Rating
from products.queries import GROUPS, KIND_LABELS
from products.services import Delivery, MilestoneInput
from tasks.forms import ALL, CodeChoiceField, date_field
from tasks.models import Area, Task
from tasks.queries import tasks_visible_to

_SEPARATORS = re.compile(r"[\s,;]+")


def _codes(text: str) -> list[str]:
    return list(dict.fromkeys(c for c in _SEPARATORS.split(text) if c))


def default_year() -> int:
    """The year products are registered for by default: this year in its first half (the 2026
    registrations were due on 15/01/2026), else next year."""
    today: date = timezone.localdate()
    return today.year if today.month <= 6 else today.year + 1


class ProductFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    unit = CodeChoiceField(_("Đơn vị"))
    area = CodeChoiceField(_("Lĩnh vực"))
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", ALL), *ProductState.choices]
    )
    group = forms.ChoiceField(
        label=_("Nhóm"),
        required=False,
        choices=[("", ALL), *((k, label) for k, (label, _q) in GROUPS.items())],
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn vị"), required=False, choices=[("", ALL), *KIND_LABELS.items()]
    )

    def __init__(self, query: QueryDict, *, units: QuerySet[Unit]) -> None:
        data = query.copy()
        data.setdefault("year", str(default_year()))
        super().__init__(data)
        self.fields["unit"].set_rows(units.order_by("path"))  # type: ignore[attr-defined]
        self.fields["area"].set_rows(Area.objects.all())  # type: ignore[attr-defined]


class ProductForm(forms.Form):
    """Register or change a product. Milestones one per line: "dd/mm/yyyy: nội dung"."""

    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Tên sản phẩm"), max_length=500)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_result = forms.CharField(
        label=_("Kết quả mang lại"), widget=forms.Textarea(attrs={"rows": 2})
    )
    beneficiaries = forms.CharField(label=_("Đối tượng thụ hưởng"), max_length=500)
    measure = forms.CharField(
        label=_("Chỉ số đo kết quả"),
        required=False,
        max_length=255,
        help_text=_("Ví dụ: số người dân được phục vụ, số giờ tiết kiệm."),
    )
    measure_unit = forms.CharField(label=_("Đơn vị tính"), required=False, max_length=40)
    baseline = forms.DecimalField(label=_("Giá trị ban đầu"), required=False, max_digits=18)
    target = forms.DecimalField(label=_("Giá trị mục tiêu"), required=False, max_digits=18)
    area = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Area.objects.all(), required=False)
    tasks = forms.CharField(
        label=_("Nhiệm vụ liên quan"),
        required=False,
        help_text=_("Mã nhiệm vụ, cách nhau bởi dấu phẩy."),
    )
    indicators = forms.CharField(
        label=_("Chỉ tiêu liên quan"),
        required=False,
        help_text=_("Mã chỉ tiêu, cách nhau bởi dấu phẩy."),
    )
    budget = forms.DecimalField(
        label=_("Kinh phí (đồng)"), min_value=0, max_digits=18, decimal_places=0, initial=0
    )
    fund_source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=FundSource.choices)
    owner_name = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=150)
    owner_title = forms.CharField(label=_("Chức vụ"), required=False, max_length=150)
    due_on = date_field(_("Hạn hoàn thành"))
    milestones = forms.CharField(
        label=_("Các mốc"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một mốc: dd/mm/yyyy: nội dung."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: QueryDict | None,
        *,
        actor: User,
        units: QuerySet[Unit],
        product: Product | None = None,
    ) -> None:
        self.actor, self.product = actor, product
        super().__init__(data, initial=self._initial(product, units))
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        if product is not None:
            del self.fields["unit"], self.fields["year"]

    @staticmethod
    def _initial(product: Product | None, units: QuerySet[Unit]) -> dict[str, Any]:
        if product is None:
            return {"year": default_year(), "unit": units.first()}
        names = [n for n in services.FIELDS if n != "area"]
        milestones = "\n".join(f"{m.due_on:%d/%m/%Y}: {m.title}" for m in product.milestones.all())
        return {n: getattr(product, n) for n in names} | {
            "area": product.area_id,
            "tasks": ", ".join(t.code for t in product.tasks.all()),
            "indicators": ", ".join(i.code for i in product.indicators.all()),
            "milestones": milestones,
            "version": product.version,
        }

    def clean_tasks(self) -> list[Task]:
        codes = _codes(self.cleaned_data["tasks"])
        found = {t.code: t for t in tasks_visible_to(self.actor).filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("Không tìm thấy nhiệm vụ: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return [found[c] for c in codes]

    def clean_indicators(self) -> list[Indicator]:
        codes = _codes(self.cleaned_data["indicators"])
        found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise ValidationError(
                _("Không tìm thấy chỉ tiêu: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return [found[c] for c in codes]

    def clean_milestones(self) -> list[MilestoneInput]:
        found = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            day, sep, title = line.partition(":")
            try:
                due = datetime.strptime(day.strip(), "%d/%m/%Y").date()
            except ValueError:
                due = None
            if not sep or due is None or not title.strip():
                raise ValidationError(
                    _("Dòng “%(line)s”: viết dạng dd/mm/yyyy: nội dung.") % {"line": line.strip()}
                )
            found.append(MilestoneInput(title.strip(), due))
        return found

    def save(self) -> Product | None:
        """Through the service; None, with the reasons on the form, when refused."""
        if not self.is_valid():
            return None
        data = dict(self.cleaned_data)
        links = {k: data.pop(k) for k in ("tasks", "indicators", "milestones")}
        version = data.pop("version")
        try:
            if self.product is None:
                unit, year = data.pop("unit"), data.pop("year")
                return services.create_product(
                    actor=self.actor, unit=unit, year=year, **links, **data
                )
            return services.update_product(
                actor=self.actor, product=self.product, version=version or 0, **links, **data
            )
        except services.StaleProduct:
            self.add_error(
                None, _("Sản phẩm vừa được người khác sửa; hãy tải lại trang rồi sửa lại.")
            )
        except ValidationError as exc:
            service_errors(self, exc)
        return None


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(forms.Form):
    delivered_on = date_field(_("Ngày hoàn thành"))
    achieved = forms.DecimalField(label=_("Giá trị đạt được"), required=False, max_digits=18)
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
    comment = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def delivery(self) -> Delivery:
        data = self.cleaned_data
        return Delivery(
            delivered_on=data["delivered_on"],
            achieved=data.get("achieved"),
            evidence_number=data.get("evidence_number") or "",
            evidence_date=data.get("evidence_date"),
            evidence_link=data.get("evidence_link") or "",
            upload=data.get("evidence_file"),
        )


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Đánh giá"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Nhận xét"), widget=forms.Textarea(attrs={"rows": 2}))


class MilestoneDoneForm(forms.Form):
    done_on = date_field(_("Ngày hoàn thành"))


class DisbursementForm(forms.Form):
    on = date_field(_("Ngày giải ngân"))
    amount = forms.DecimalField(label=_("Số tiền (đồng)"), max_digits=18, decimal_places=0)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class WindowForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    opens_on = date_field(_("Mở từ ngày"))
    closes_on = date_field(_("Đến hết ngày"))
    note = forms.CharField(
        label=_("Hướng dẫn"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProductImportForm(AccountImportForm):
    dry_run = forms.BooleanField(label=_("Xem trước (không lưu)"), required=False)
