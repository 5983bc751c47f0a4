"""Who issues each kind of generated report (its letterhead), and every report generated: the
job's progress while it runs, then the kept file with the statements it made."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.content import KIND_LABELS, Kind, Letterhead
from documents.pdf import TIMEOUT_SECONDS
from org import access
from org.models import Unit
from periods.models import Period
from reporting.models import Section

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from org.models import User

KIND_CHOICES = [(kind.value, label) for kind, label in KIND_LABELS.items()]
# How a downloaded file is named, without diacritics so every mail client and OS keeps it.
FILE_STEMS = {
    Kind.QUARTERLY: "bao-cao-quy",
    Kind.HALF: "bao-cao-6-thang",
    Kind.NINE_MONTHS: "bao-cao-9-thang",
    Kind.YEAR: "bao-cao-nam",
    Kind.MONTHLY: "bao-cao-thang",
    Kind.BRIEF: "bao-cao-phien-hop",
    Kind.UNIT: "bao-cao",
}


class Style(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)")
    STATE = "state", _("Văn bản hành chính (Nghị định 30/2020/NĐ-CP)")


class DateLine(models.TextChoices):
    """What the place-and-date line fills in when the report is made (the day is often left
    for the signer to write)."""

    BLANK = "blank", _("Để trống ngày, tháng (ngày … tháng … năm 2026)")
    DAY = "day", _("Để trống ngày (ngày … tháng 12 năm 2026)")
    FILLED = "filled", _("Ghi ngày tạo báo cáo")


class DocumentProfile(models.Model):
    """The issuer's settings for one kind of report: the province's quarterly and monthly reports
    have one each (no unit); a unit's own report may have one per unit, and a unit without one
    gets a profile derived from its name and type (documents.composer.letterhead.profile_for)."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=KIND_CHOICES)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_profiles",
    )
    style = models.CharField(_("thể thức"), max_length=5, choices=Style.choices)
    issuer_parent = models.CharField(
        _("cơ quan cấp trên"),
        max_length=200,
        blank=True,
        help_text=_(
            "Dòng trên tên cơ quan ban hành, ví dụ “UBND TỈNH NGHỆ AN”; để trống nếu không có."
        ),
    )
    issuer = models.CharField(_("cơ quan ban hành"), max_length=300)
    number = models.CharField(
        _("số, ký hiệu"),
        max_length=60,
        help_text=_("Số được ghi khi ký, ví dụ “Số      -BC/TU”."),
    )
    place = models.CharField(_("địa danh"), max_length=100)
    signer_capacity = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, help_text=_("Ví dụ “T/M BAN THƯỜNG VỤ”.")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    basis = models.TextField(
        _("căn cứ, mở đầu"),
        blank=True,
        help_text=_("Đoạn mở đầu của báo cáo, ví dụ “Thực hiện Công văn số …”."),
    )
    date_line = models.CharField(
        _("dòng địa danh, ngày tháng"),
        max_length=6,
        choices=DateLine.choices,
        default=DateLine.BLANK,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông tin ban hành")
        verbose_name_plural = _("thông tin ban hành")
        constraints = [
            # Only a unit's own report is issued per unit; the province's kinds have one each.
            models.CheckConstraint(
                condition=Q(kind=Kind.UNIT.value, unit__isnull=False)
                | (~Q(kind=Kind.UNIT.value) & Q(unit__isnull=True)),
                name="documents_profile_unit_only_for_unit_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(unit__isnull=True),
                name="documents_one_profile_per_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "unit"],
                condition=Q(unit__isnull=False),
                name="documents_one_profile_per_unit",
            ),
        ]

    def __str__(self) -> str:
        label = KIND_LABELS[Kind(self.kind)]
        return f"{label} · {self.unit.code}" if self.unit is not None else str(label)

    def recipient_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.recipients.splitlines() if line.strip())

    def letterhead(self, signed_on: date | None) -> Letterhead:
        """The renderers' view of these settings; `signed_on` None leaves the date to be
        written at signing."""
        return Letterhead(
            style="party" if self.style == Style.PARTY else "state",
            issuer=self.issuer,
            number=self.number,
            place=self.place,
            signed_on=signed_on,
            signer_capacity=self.signer_capacity,
            signer_title=self.signer_title,
            signer_name=self.signer_name,
            recipients=self.recipient_lines(),
            issuer_parent=self.issuer_parent,
            basis=self.basis,
            date_line=DateLine(self.date_line).value,  # type: ignore[arg-type]
        )


class Format(models.TextChoices):
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Phụ lục Excel (XLSX)")
    PDF = "pdf", _("PDF")


# A run going on longer than this has died with its worker (LibreOffice alone stops after
# TIMEOUT_SECONDS); a request still queued after STALE_QUEUED waits for a worker that is not there.
STALE_RUNNING = timedelta(seconds=TIMEOUT_SECONDS) + timedelta(minutes=5)
STALE_QUEUED = timedelta(minutes=10)
# What a dead run reads as, on the pages at once and in the row once the sweep has failed it.
DEAD_RUN_ERROR = _("Tiến trình tạo báo cáo đã dừng giữa chừng; hãy bấm “Tạo lại”.")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không tạo được")


class GeneratedReportQuerySet(models.QuerySet["GeneratedReport"]):
    def visible_to(self, user: User | AnonymousUser) -> GeneratedReportQuerySet:
        """Reports of the units the user may see: the province's to those who see the root."""
        return self.filter(unit__in=access.units_visible_to(user))


class FrozenReport(Exception):
    """A generated report is kept as it was made: once done it is never changed nor deleted."""


class GeneratedReport(models.Model):
    """One request to generate a report, and the version it produced. Versions are kept: a new
    request makes a new row (the next `version` of its kind, period and unit) and a new file,
    never overwriting an earlier one. Once done, the row is frozen (`save` and `delete` refuse):
    its file, the file's SHA-256 `checksum`, the statements with the figures behind them
    (`statements`, `basis`) and the prose it was written with (`prose`) stay as they were, and
    documents.changes tells what differs when it is recomputed."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=KIND_CHOICES)
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="generated_reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="generated_reports"
    )
    as_of = models.DateField(_("số liệu đến ngày"))
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    file = models.FileField(_("tệp"), upload_to="generated/%Y/", blank=True)
    version = models.PositiveIntegerField(_("bản số"), default=0)  # 0: numbered on save
    checksum = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, blank=True)
    # The computed paragraphs as generated (key, text, footnotes, links, the figures, tasks and
    # indicators behind them, the section they are in), for the traceability page and
    # documents.changes: what the file says stays readable even after the data changes.
    statements = models.JSONField(_("các nhận định"), default=list, blank=True)
    # Each counted task's state and each indicator's figure when generated (ReportContent.basis).
    basis = models.JSONField(_("số liệu gốc"), default=dict, blank=True)
    # The standing office's prose it was written with, by outline section.
    prose = models.JSONField(_("phần viết"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="generated_reports",
    )
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    duration = models.DurationField(_("thời gian tạo"), null=True, blank=True)

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("báo cáo đã tạo")
        verbose_name_plural = _("báo cáo đã tạo")
        indexes = [models.Index(fields=["unit", "-requested_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "unit", "version"], name="documents_one_version"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.period.code} · {self.as_of:%d/%m/%Y} "
            f"· bản {self.version}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refused once the stored row is done: a kept version never changes. A new row is the
        next version of its kind, period and unit (two made at once clash on the constraint;
        documents.services retries)."""
        if self.pk is not None and self.is_frozen():
            raise FrozenReport(f"Generated report {self.pk} is done and kept as it was made.")
        if self._state.adding and not self.version:
            same = GeneratedReport.objects.filter(
                kind=self.kind, period=self.period, unit=self.unit
            )
            self.version = (same.aggregate(last=models.Max("version"))["last"] or 0) + 1
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise FrozenReport("Generated reports are kept: none is deleted.")

    def is_frozen(self) -> bool:
        return GeneratedReport.objects.filter(pk=self.pk, status=JobStatus.DONE).exists()

    @property
    def is_dead(self) -> bool:
        """Running for longer than any run takes: its worker died. Pages show it failed at once
        (reading writes nothing); the periodic sweep (documents.generation.fail_stale_reports)
        records it."""
        started = self.started_at
        return (
            self.status == JobStatus.RUNNING
            and started is not None
            and timezone.now() - started > STALE_RUNNING
        )

    @property
    def shown_status(self) -> str:
        """The status the pages show: a dead run is failed."""
        return JobStatus.FAILED if self.is_dead else self.status

    @property
    def shown_status_label(self) -> str:
        return str(JobStatus(self.shown_status).label)

    @property
    def shown_error(self) -> str:
        return str(DEAD_RUN_ERROR) if self.is_dead else self.error

    @property
    def is_finished(self) -> bool:
        return self.shown_status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def is_stuck(self) -> bool:
        """Still queued long after the request: no worker is taking the jobs."""
        waited = timezone.now() - self.requested_at
        return self.status == JobStatus.QUEUED and waited > STALE_QUEUED

    @property
    def can_retry(self) -> bool:
        """Failed (or dead), or stuck in the queue: it may be asked for again."""
        return self.shown_status == JobStatus.FAILED or self.is_stuck

    @property
    def polling(self) -> bool:
        """Whether the page should keep asking for the job's state."""
        return not self.is_finished and not self.is_stuck

    @property
    def seconds(self) -> str:
        """How long the generation took, for people: "2,4"."""
        if self.duration is None:
            return ""
        return number_format(self.duration.total_seconds(), 1)

    def download_name(self) -> str:
        """ "bao-cao-quy-2025-Q3-2025-09-30.docx"; a unit's report carries its code."""
        stem = FILE_STEMS[Kind(self.kind)]
        if self.kind == Kind.UNIT:
            stem = f"{stem}-{slugify(self.unit.code)}"
        version = f"-v{self.version}" if self.version > 1 else ""
        return f"{stem}-{self.period.code}-{self.as_of.isoformat()}{version}.{self.format}"


# --- the outline of each kind of report, and the prose the standing office writes -------------


class Level(models.IntegerChoices):
    """How deep a section of an outline is, and so how its title prints."""

    PART = 1, _("Phần (I-, II-)")
    SECTION = 2, _("Mục (1., 2.)")
    SUBSECTION = 3, _("Tiểu mục (a), b))")
    LABEL = 4, _("Ý (dòng nghiêng đậm)")


class Outline(models.Model):
    """The template of one kind of the province's reports: its sections in order (OutlineSection),
    each with its full title as the province writes it and what it draws from the data. Set up
    with defaults by a migration (documents.outline_defaults), edited by the standing office
    (documents.services.save_section)."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=KIND_CHOICES, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dàn ý báo cáo")
        verbose_name_plural = _("dàn ý báo cáo")

    def __str__(self) -> str:
        return str(KIND_LABELS[Kind(self.kind)])


class OutlineSection(models.Model):
    """One heading of an outline and what goes under it: the computed `blocks` (codes of
    documents.composer.blocks.BLOCKS, in order), the area whose tasks, indicators and unit texts
    it speaks of (`area_code`, a tasks.Area code: codes are what the province configures, so the
    outline outlives a renamed area), the kinds of the units' texts the composer shows beside it
    (`said`), whether its points are numbered (1), (2)…, and whether it omits what is empty
    (`omit_empty`: the section not printed at all when none of its blocks states anything; when
    one does, the others' "chưa có …" sentences print as in any section). `code` names it for
    the prose (SectionText) and never changes. The title may name the period:
    {KY} (QUÝ III NĂM 2025), {ky} (Quý III/2025), {nam} (2025), {nam_sau} (2026),
    {ky_sau} (Quý IV/2025)."""

    outline = models.ForeignKey(Outline, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("mã"), max_length=40)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    title = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    blocks = models.JSONField(_("nội dung tính từ dữ liệu"), default=list, blank=True)
    area_code = models.CharField(_("lĩnh vực"), max_length=40, blank=True)
    said = models.JSONField(_("ý kiến của đơn vị"), default=list, blank=True)
    numbered = models.BooleanField(_("đánh số các ý (1), (2)…"), default=False)
    omit_empty = models.BooleanField(_("bỏ mục khi không có số liệu"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("mục của dàn ý")
        verbose_name_plural = _("mục của dàn ý")
        constraints = [
            models.UniqueConstraint(fields=["outline", "code"], name="documents_section_code")
        ]

    def __str__(self) -> str:
        return f"{self.outline.kind} · {self.code} · {self.title}"


class SectionText(models.Model):
    """The standing office's prose for one section of one report (kind, period, unit): kept
    apart from the generated versions, so generating again never loses it, and every edit kept
    by its history. `version` rises with each save: an edit made on an older version is refused
    rather than overwriting someone else's (documents.services.save_prose)."""

    kind = models.CharField(_("loại báo cáo"), max_length=12, choices=KIND_CHOICES)
    period = models.ForeignKey(
        Period, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="section_texts"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="section_texts"
    )
    section = models.SlugField(_("mục"), max_length=40)
    text = models.TextField(_("nội dung"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phần viết của báo cáo")
        verbose_name_plural = _("phần viết của báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "unit", "section"], name="documents_one_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.period_id} · {self.section}"


# --- the follow-up of the units' proposals to the province's own bodies ----------------------


class FollowUpState(models.TextChoices):
    OPEN = "open", _("Chưa xử lý")
    HANDLING = "handling", _("Đang xử lý")
    DONE = "done", _("Đã xử lý xong")


class ProposalFollowUp(models.Model):
    """How the standing office follows up one proposal a unit made to the province's own bodies
    in a received report (part IV sends those to the follow-up list, annex 5, not to the
    centre): its state, who handles it and a note. A proposal without a row is open. Every
    change kept by the history, so the brief reads the state as of its date."""

    section = models.OneToOneField(
        Section, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("đề xuất")
    )
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    handler = models.CharField(
        _("cơ quan, người xử lý"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ “Sở Tài chính (đ/c Trần Văn A, Phó Giám đốc)”."),
    )
    note = models.TextField(_("ghi chú, kết quả xử lý"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cập nhật"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theo dõi xử lý đề xuất")
        verbose_name_plural = _("theo dõi xử lý đề xuất")

    def __str__(self) -> str:
        return f"{self.section_id} · {self.state}"
