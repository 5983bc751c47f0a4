"""Reporting periods: the calendar every report, figure and task statistic is dated against.

The table was created by the reporting app and keeps its name, so the move cost no data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF = "half", _("Sáu tháng")
    NINE_MONTHS = "nine_month", _("Chín tháng")
    YEAR = "year", _("Năm")
    QUICK = "quick", _("Báo cáo nhanh")


class Period(models.Model):
    """A reporting period: `2025-Q3`, `2025-09`, `2025-H2`, `2025-9M`, `2025`, or a quick report's
    own code. Its data span (`starts_on`…`ends_on`) is the calendar one, or shifted by a data
    cut-off day (periods.calendar.period_dates)."""

    code = models.CharField(_("mã kỳ"), max_length=40, unique=True)
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    title = models.CharField(_("tên kỳ"), max_length=255)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    opens_at = models.DateTimeField(_("mở nhận báo cáo"))
    due_at = models.DateTimeField(_("hạn nộp"))
    closes_at = models.DateTimeField(_("đóng kỳ"), null=True, blank=True)
    required_units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit,
        verbose_name=_("đơn vị phải báo cáo"),
        related_name="required_periods",
        db_table="reporting_period_required_units",
    )

    class Meta:
        db_table = "reporting_period"
        ordering = ["-starts_on", "code"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")

    def __str__(self) -> str:
        return self.title


class Seal(models.Model):
    """The unit's figures and task statuses dated inside the period are sealed: its report for
    the period has left the unit (submitted, then approved or received). Kept by
    reporting.services as the report moves; asked through periods.seals, never read directly."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="seals")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="seals")
    since = models.DateTimeField(_("niêm phong từ"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="one_seal")]
        verbose_name = _("niêm phong kỳ")
        verbose_name_plural = _("niêm phong kỳ")

    def __str__(self) -> str:
        return f"{self.period} / {self.unit}"


class Frequency(models.TextChoices):
    """How often a schedule asks for a report: each maps to one kind of period."""

    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("Sáu tháng")
    NINE_MONTHS = "nine_months", _("Chín tháng")
    YEARLY = "yearly", _("Hằng năm")
    DAILY = "daily", _("Báo cáo nhanh hằng ngày")
    HOURLY = "hourly", _("Báo cáo nhanh hằng giờ")


class DayKind(models.TextChoices):
    OFF = "off", _("Ngày nghỉ lễ, Tết")
    WORKING = "working", _("Ngày làm việc bù")


class Holiday(models.Model):
    """An exception to the working week (Monday to Friday): a public holiday or a day off the
    Government swapped in (`off`), or a Saturday or Sunday worked instead (`working`). Kept by the
    standing office; deadlines counted in working days read them through periods.calendar."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(
        _("loại ngày"), max_length=10, choices=DayKind.choices, default=DayKind.OFF
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
