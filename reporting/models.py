"""Each unit's report for a period, and the report's workflow history."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import DataElement
from org.models import Unit
from periods.calendar import FREQUENCY_KIND, Cadence
from periods.models import Frequency, Period, PeriodKind
from tasks.models import Area, Assignment


class Question(models.Model):
    """A quick report's question, set by the standing office."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("câu hỏi"))

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ lãnh đạo đơn vị duyệt")
    APPROVED = "approved", _("Lãnh đạo đơn vị đã duyệt")
    RECEIVED = "received", _("Cơ quan thường trực đã tiếp nhận")
    RETURNED = "returned", _("Bị trả lại")


# The states in which the unit still holds its report: its text, attachments and figures may be
# changed and it may be submitted. Every other state is locked until the report is returned.
# (A unit that has not started its report yet has nothing locked either.)
EDITABLE_STATES = frozenset({ReportState.DRAFT, ReportState.RETURNED})


class UnitReport(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # Judged on time or late from the first submission to the unit head, never from a later one.
    first_submitted_at = models.DateTimeField(_("nộp lần đầu"), null=True, blank=True)
    # Bumped on every save; a form carrying an older value is refused (no lost update).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"], name="reporting_one_report_per_period"
            )
        ]
        verbose_name = _("báo cáo đơn vị")
        verbose_name_plural = _("báo cáo đơn vị")

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.period.code}"

    @property
    def is_late(self) -> bool:
        return self.first_submitted_at is not None and self.first_submitted_at > self.period.due_at


class SectionKind(models.TextChoices):
    RESULTS = "results", _("Kết quả đạt được")
    DIFFICULTIES = "difficulties", _("Khó khăn, vướng mắc")
    PROPOSALS = "proposals", _("Đề xuất, kiến nghị")
    ANSWER = "answer", _("Trả lời câu hỏi")


# The province report's three parts, in its order; quick reports answer questions instead.
TEXT_KINDS = (SectionKind.RESULTS, SectionKind.DIFFICULTIES, SectionKind.PROPOSALS)


class ReportForm(models.Model):
    """What a period asks of its units: which parts of text (results, difficulties, proposals),
    which data elements (every one of the period's kind the unit reports, or only those chosen:
    a quick report asks a few numbers) and, for a quick report, its questions. Set up by the
    standing office (reporting.services.save_report_form); a period points to it through its
    PeriodSetup."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=PeriodKind.choices)
    sections = models.JSONField(_("các phần nội dung"), default=list, blank=True)
    every_element = models.BooleanField(_("mọi số liệu của loại kỳ"), default=True)
    elements: models.ManyToManyField[DataElement, models.Model] = models.ManyToManyField(
        DataElement, verbose_name=_("số liệu"), blank=True, related_name="report_forms"
    )
    questions = models.TextField(_("câu hỏi"), blank=True)
    history = HistoricalRecords(m2m_fields=[elements])

    class Meta:
        ordering = ["code"]
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")

    def __str__(self) -> str:
        return self.name

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    @property
    def text_kinds(self) -> list[SectionKind]:
        """The parts of text asked, in the province report's order."""
        return [kind for kind in TEXT_KINDS if kind in self.sections]


class Schedule(models.Model):
    """A recurring report: the periods of its frequency are created by the periodic job
    (reporting.schedules, `manage.py create_periods`) with the dates the calendar computes from
    the data cut-off and the deadline rule (periods.calendar.Cadence), the form they ask, and
    the units that must report: those of the chosen types (none: every reporting type) within
    the chosen blocs (none: the whole province), plus any unit named."""

    code = models.CharField(_("mã"), max_length=28, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    frequency = models.CharField(_("tần suất"), max_length=12, choices=Frequency.choices)
    form = models.ForeignKey(
        ReportForm,
        verbose_name=_("mẫu báo cáo"),
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    cutoff_day = models.PositiveSmallIntegerField(_("ngày chốt số liệu"), default=1)
    due_day = models.PositiveSmallIntegerField(
        _("hạn nộp: ngày trong tháng"), null=True, blank=True
    )
    due_month_offset = models.PositiveSmallIntegerField(_("hạn nộp: tháng"), default=0)
    due_working_days = models.PositiveSmallIntegerField(
        _("hạn nộp: số ngày làm việc sau ngày chốt"), null=True, blank=True
    )
    due_time = models.TimeField(_("giờ hạn nộp"), default=time(17))
    opens_days_before = models.PositiveSmallIntegerField(
        _("mở nhận báo cáo trước hạn (ngày)"), default=5
    )
    closes_days_after = models.PositiveSmallIntegerField(
        _("đóng kỳ sau hạn (ngày)"), null=True, blank=True
    )
    unit_types = models.JSONField(_("loại đơn vị phải báo cáo"), default=list, blank=True)
    blocs: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("thuộc khối"), blank=True, related_name="+"
    )
    units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("thêm các đơn vị"), blank=True, related_name="+"
    )
    starts_on = models.DateField(_("bắt đầu từ ngày"))
    ends_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords(m2m_fields=[blocs, units])

    class Meta:
        ordering = ["code"]
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_day__isnull=True) | models.Q(due_working_days__isnull=True),
                name="schedule_one_due_rule",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> str:
        return FREQUENCY_KIND[self.frequency]

    @property
    def cadence(self) -> Cadence:
        return Cadence(
            frequency=self.frequency,
            cutoff_day=self.cutoff_day,
            due_day=self.due_day,
            due_month_offset=self.due_month_offset,
            due_working_days=self.due_working_days,
            due_time=self.due_time,
            opens_days_before=self.opens_days_before,
            closes_days_after=self.closes_days_after,
            prefix=self.code,
            name=self.name,
        )


class PeriodSetup(models.Model):
    """How a period was set up: the form it asks (none: the province report's three parts and
    every element of its kind, or a quick report's own questions) and the schedule that created
    it (none: created by hand)."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="setup")
    form = models.ForeignKey(
        ReportForm, null=True, blank=True, on_delete=models.PROTECT, related_name="periods"
    )
    schedule = models.ForeignKey(
        Schedule, null=True, blank=True, on_delete=models.PROTECT, related_name="periods"
    )

    def __str__(self) -> str:
        return f"{self.period_id}: {self.form_id} / {self.schedule_id}"


class Section(models.Model):
    """One block of a report's text. New kinds of content are new rows, not new columns, so the
    form grows without being rewritten (indicator figures plug in beside these)."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=20, choices=SectionKind.choices)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]  # as the unit wrote them: results, difficulties, proposals

    def __str__(self) -> str:
        return f"{self.report} · {self.kind}"


class Transition(models.Model):
    """Every change of a report's state: who, when, from what to what, and the comment."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=ReportState.choices)
    to_state = models.CharField(max_length=12, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_state} → {self.to_state}"


class Attachment(models.Model):
    """A file attached to a report: stored under a generated name outside static files, served
    only through a view that checks the reader may read the report."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """One reminder sent to one unit for one trigger of one period. The unique constraint is what
    makes the reminder job safe to run any number of times."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    trigger = models.CharField(max_length=40)  # e.g. "before-3", "due", "late-2", "manual-<id>"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "trigger"], name="reporting_one_reminder_per_trigger"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period.code} · {self.unit.code} · {self.trigger}"


class CorrectionState(models.TextChoices):
    REQUESTED = "requested", _("Chờ cơ quan thường trực duyệt")
    APPROVED = "approved", _("Đã duyệt, đã điều chỉnh")
    REFUSED = "refused", _("Không duyệt")


class Correction(models.Model):
    """A change to a sealed period of a unit (periods.seals): one status event of an assignment,
    or one figure of an element. Requested by the unit with a reason and decided by the standing
    office (or made by it directly); `before`/`after` record what the change did once applied.
    Nothing here is deleted: the rows are the history of corrections."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="corrections")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="corrections")
    # What is corrected: an assignment's status (status, progress, effective_date) or a figure.
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    status = models.CharField(_("trạng thái"), max_length=20, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ"), default=0)
    effective_date = models.DateField(_("ngày"), null=True, blank=True)
    element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    value = models.DecimalField(_("số liệu"), max_digits=24, decimal_places=4, null=True)
    reason = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=12, choices=CorrectionState.choices, default=CorrectionState.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    comment = models.TextField(_("ý kiến"), blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=True) ^ models.Q(element__isnull=True),
                name="correction_of_one_thing",
            )
        ]
        verbose_name = _("điều chỉnh số liệu kỳ trước")
        verbose_name_plural = _("điều chỉnh số liệu kỳ trước")

    def __str__(self) -> str:
        return f"{self.period.code} · {self.unit.code} · {self.get_state_display()}"
