"""The register of the Steering Committee's documents ("văn bản lãnh đạo, chỉ đạo, điều hành")."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nq57.text import fold
from org.models import Unit
from tasks.models import Task


class Kind(models.TextChoices):
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    CONCLUSION = "ket_luan", _("Kết luận")
    PLAN = "ke_hoach", _("Kế hoạch")
    DECISION = "quyet_dinh", _("Quyết định")
    OFFICIAL_LETTER = "cong_van", _("Công văn")
    NOTICE = "thong_bao", _("Thông báo")
    REPORT = "bao_cao", _("Báo cáo")
    GUIDANCE = "huong_dan", _("Hướng dẫn")


class Directive(models.Model):
    """One document as registered: who issued it, its number and date, what it is about, and the
    tasks it gives or steers. Counted per period by `queries.directive_counts`."""

    number = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    subject = models.TextField(_("trích yếu"))
    issuer = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    tasks: models.ManyToManyField[Task, models.Model] = models.ManyToManyField(
        Task, verbose_name=_("nhiệm vụ liên quan"), blank=True, related_name="directives"
    )
    # Stored under a generated name (nq57.uploads), served only through a view that checks access.
    file = models.FileField(_("tệp văn bản"), upload_to="directives/%Y/", blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("ngày nhập"), auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        indexes = [models.Index(fields=["issued_on"])]
        constraints = [
            # Numbers restart every year, so the same number may come back the next year.
            models.UniqueConstraint(
                models.F("issuer"),
                models.F("number"),
                ExtractYear("issued_on"),
                name="directives_one_number_per_issuer_year",
                violation_error_message=_(
                    "Văn bản có số, ký hiệu này của cơ quan ban hành trong năm đã được nhập."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.number} {self.subject}")
        super().save(*args, **kwargs)
