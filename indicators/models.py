"""Raw figures units report (data elements and their values), indicators computed from them by a
formula (see expressions.py), and the indicators' targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit
from periods.models import Period, PeriodKind
from tasks.models import Area


class ValueType(models.TextChoices):
    COUNT = "count", _("Số đếm")
    AMOUNT_VND = "amount_vnd", _("Số tiền (đồng)")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ phần trăm")
    YES_NO = "yes_no", _("Có/không (1: có, 0: không)")
    TEXT = "text", _("Văn bản")


# How long a figure stays "live" when its element names no interval of its own: the length of
# its period kind (a monthly figure not updated for 31 days is stale). See queries.stale_after.
DEFAULT_UPDATE_DAYS = {
    PeriodKind.MONTH: 31,
    PeriodKind.QUARTER: 92,
    PeriodKind.HALF: 184,
    PeriodKind.NINE_MONTHS: 275,
    PeriodKind.YEAR: 366,
}


class UnitScope(models.Model):
    """Which units something applies to, as the standing office says it: by type (none named:
    every reporting type), within a subtree (none: the whole province), or a list of units
    (when not empty, only those, whatever their type or place); and the dates it is in force
    (a period overlapping them). The rule is read in one place: queries.Scope."""

    unit_types = models.JSONField(_("loại đơn vị"), default=list, blank=True)
    within = models.ForeignKey(
        Unit,
        verbose_name=_("thuộc nhánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    active_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        first, last = self.active_from, self.active_to
        if first is not None and last is not None and last < first:
            raise ValidationError({"active_to": _("Ngày kết thúc trước ngày bắt đầu.")})


class DataElement(UnitScope):
    """A raw figure, e.g. dossiers received online, reported for periods of `period_kind` (its
    frequency) by the units of its scope (UnitScope: `unit_types`, `within`, or the list
    `reporting_units` — a figure owned by a few units, 4G coverage by the science department),
    while it is in force (`active_from` … `active_to`). The rule lives in queries.Reporters (and
    queries.units_reporting for a period). A unit's figure not updated for `update_days` (empty:
    DEFAULT_UPDATE_DAYS of its kind) is stale. Every change is kept (history)."""

    code = models.CharField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    value_type = models.CharField(_("kiểu số liệu"), max_length=12, choices=ValueType.choices)
    unit_label = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    period_kind = models.CharField(_("tần suất báo cáo"), max_length=10, choices=PeriodKind.choices)
    reporting_units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị báo cáo"), blank=True, related_name="reported_elements"
    )
    update_days = models.PositiveSmallIntegerField(
        _("cập nhật ít nhất mỗi (ngày)"), null=True, blank=True
    )
    history = HistoricalRecords(m2m_fields=[reporting_units])

    class Meta:
        ordering = ["code"]
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Evaluation(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    PROVISIONAL = "provisional", _("Tạm thời")


class Indicator(models.Model):
    code = models.CharField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    area = models.ForeignKey(
        Area, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT
    )
    formula = models.TextField(_("công thức"))
    unit_label = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    direction = models.CharField(
        _("chiều đánh giá"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    evaluation = models.CharField(
        _("phương pháp đánh giá"),
        max_length=12,
        choices=Evaluation.choices,
        default=Evaluation.OFFICIAL,
    )
    legal_source = models.TextField(_("căn cứ pháp lý"), blank=True)
    method_note = models.TextField(_("mô tả phương pháp tạm thời"), blank=True)
    period_kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class IndicatorSet(models.Model):
    """A set of indicators whose achievement the province states ("đạt và vượt 39/65 chỉ tiêu
    giai đoạn 2025–2045"), configured by the standing office (services.save_indicator_set) and
    read through queries.indicator_sets(). `code` names it in code and reports ("2025-2045"),
    `name` is how the province writes it ("giai đoạn 2025–2045")."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    first_year = models.PositiveSmallIntegerField(_("từ năm"))
    last_year = models.PositiveSmallIntegerField(_("đến năm"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    indicators: models.ManyToManyField[Indicator, models.Model] = models.ManyToManyField(
        Indicator, verbose_name=_("chỉ tiêu"), blank=True, related_name="sets"
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("bộ chỉ tiêu")
        verbose_name_plural = _("bộ chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def years(self) -> str:
        """ "2025–2045", or "2025" for a set of one year."""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        first, last = self.first_year, self.last_year
        if first is not None and last is not None and last < first:
            raise ValidationError({"last_year": _("Năm cuối không được trước năm đầu.")})


class Target(models.Model):
    """A target for one year, or for the 2025–2045 horizon when `year` is empty; for every unit
    type when `unit_type` is blank, else for units of that type."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    unit_type = models.CharField(_("loại đơn vị"), max_length=20, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "unit_type"],
                condition=Q(year__isnull=False),
                name="indicators_target_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "unit_type"],
                condition=Q(year__isnull=True),
                name="indicators_target_one_per_horizon",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.horizon} {self.unit_type or '*'}: {self.value}"

    @property
    def horizon(self) -> str:
        return str(self.year) if self.year else "2025-2045"


class DataValue(models.Model):
    """One value per (unit, period, data element); every change kept by simple-history, with
    the reason given for it (a correction's, a confirmed warning's comment) on the history row."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="data_values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="data_values")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("giá trị"), max_digits=24, decimal_places=4, null=True)
    text = models.TextField(_("nội dung"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"), default=timezone.now)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("giá trị số liệu")
        verbose_name_plural = _("giá trị số liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "element"], name="indicators_one_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id}/{self.element_id}: {self.value}"


class RuleKind(models.TextChoices):
    PARTS_SUM = "parts_sum", _("Các phần cộng lại bằng tổng số")
    RATIO_MATCHES = "ratio_matches", _("Tỷ lệ khớp với tử số / mẫu số")
    RANGE = "range", _("Giá trị trong khoảng")
    JUMP = "jump", _("Thay đổi so với kỳ trước")
    REQUIRED = "required", _("Bắt buộc nhập")


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi (chặn nhập)")
    WARNING = "warning", _("Cảnh báo")


class ValidationRule(UnitScope):
    """A data-quality rule (see validation.py). Which fields it uses depends on `kind`:

    - parts_sum: `parts` must add up to `total`;
    - ratio_matches: the percent `element` agrees with `numerator` / `denominator` × 100 within
      `threshold` percentage points (0.1 when empty);
    - range: `element` within `min_value` … `max_value` (either may be empty);
    - jump: `element` changes by more than `threshold` % from the unit's previous period;
    - required: `element` has no value.

    It applies to the units that report its main element (`total` for parts_sum, `element`
    otherwise) in periods of that element's kind, narrowed by its own scope (UnitScope: types,
    subtree, dates; `units`, when not empty, only those). Every change is kept (history); a rule
    a confirmed warning points at is never deleted."""

    code = models.CharField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên quy tắc"), max_length=255, blank=True)
    kind = models.CharField(_("loại quy tắc"), max_length=16, choices=RuleKind.choices)
    severity = models.CharField(
        _("mức độ"), max_length=8, choices=Severity.choices, default=Severity.ERROR
    )
    total = models.ForeignKey(
        DataElement,
        verbose_name=_("tổng số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parts: models.ManyToManyField[DataElement, models.Model] = models.ManyToManyField(
        DataElement, verbose_name=_("các phần"), blank=True, related_name="+"
    )
    element = models.ForeignKey(
        DataElement,
        verbose_name=_("số liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    numerator = models.ForeignKey(
        DataElement,
        verbose_name=_("tử số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        DataElement,
        verbose_name=_("mẫu số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_value = models.DecimalField(
        _("giá trị nhỏ nhất"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("giá trị lớn nhất"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    threshold = models.DecimalField(
        _("ngưỡng"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    message = models.TextField(_("thông báo"), blank=True)
    units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("chỉ các đơn vị"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[parts, units])

    class Meta:
        ordering = ["code"]
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def main_element(self) -> DataElement | None:
        return self.total if self.kind == RuleKind.PARTS_SUM else self.element

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        fields: dict[str, tuple[str, ...]] = {
            RuleKind.PARTS_SUM: ("total",),
            RuleKind.RATIO_MATCHES: ("element", "numerator", "denominator"),
            RuleKind.RANGE: ("element",),
            RuleKind.JUMP: ("element", "threshold"),
            RuleKind.REQUIRED: ("element",),
        }
        needed = fields.get(self.kind, ())
        missing = {
            name: _("Quy tắc loại này cần trường này.")
            for name in needed
            if getattr(self, f"{name}_id" if name != "threshold" else name) is None
        }
        if self.kind == RuleKind.RANGE and self.min_value is None and self.max_value is None:
            missing["min_value"] = _("Cần giá trị nhỏ nhất hoặc lớn nhất.")
        if missing:
            raise ValidationError(missing)
        super().clean()


class ConfirmedWarning(models.Model):
    """A warning someone confirmed when entering figures ("the figure is right"), with their
    comment: who, when, the rule, its message and the figures it was about (`fingerprint`,
    validation.fingerprint). A later check finding the same violation on the same figures reads
    it as confirmed; once the figures change it is open again. Appended, never changed."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(ValidationRule, on_delete=models.PROTECT, related_name="confirmations")
    element = models.ForeignKey(
        DataElement, verbose_name=_("số liệu"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("cảnh báo"))
    fingerprint = models.TextField(editable=False)
    comment = models.TextField(_("ghi chú xác nhận"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"))

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("cảnh báo đã xác nhận")
        verbose_name_plural = _("cảnh báo đã xác nhận")
        indexes = [models.Index(fields=["period", "unit"])]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.period_id} {self.rule_id}: {self.comment[:40]}"
