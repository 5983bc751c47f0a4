"""The monthly scoring of unit heads ("chấm điểm hàng tháng đối với người đứng đầu", 2026):
schemes as data (criteria with their maximum, the fact each reads and how it turns into points),
the month's round (draft → contested and adjusted → published and locked), and each unit's
scorecard with every criterion's figure, band, points and the records behind them.

A scheme is for one kind of unit (agencies; communes and wards) from a month on; the month is
scored with the scheme in force then. A scheme that has scored a month is frozen: a change is a
new scheme from a later month, so a month scored again comes out the same."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Unit


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("Sở, ban, ngành, cơ quan cấp tỉnh")
    COMMUNE = "commune", _("Xã, phường")


class Fact(models.TextChoices):
    """What a criterion reads, always from stored records as of the round's cut-off date."""

    TASKS_ON_TIME = "tasks_on_time", _("Nhiệm vụ đến hạn trong tháng hoàn thành đúng hạn (%)")
    OVERDUE_TASKS = "overdue_tasks", _("Nhiệm vụ quá hạn (số nhiệm vụ, số ngày chậm)")
    REPORTS = "reports", _("Báo cáo đến hạn trong tháng (nộp muộn, không nộp)")
    INDICATORS = "indicators", _("Chỉ tiêu của đơn vị đạt kế hoạch (%)")
    MILESTONES = "milestones", _("Mốc sản phẩm đến hạn trong tháng hoàn thành đúng hạn (%)")
    VIOLATIONS = "violations", _("Lỗi số liệu theo quy tắc kiểm tra")
    PRODUCTS_EXCEEDED = "products_exceeded", _("Sản phẩm được đánh giá vượt trong tháng")


class Method(models.TextChoices):
    BANDS = "bands", _("Theo khung (tỷ lệ → điểm)")
    PROPORTIONAL = "proportional", _("Tỷ lệ thuận (điểm tối đa × tỷ lệ)")
    DEDUCT = "deduct", _("Trừ điểm (mỗi trường hợp, mỗi ngày chậm, mỗi lần không nộp)")
    BONUS = "bonus", _("Điểm thưởng (mỗi trường hợp, không quá điểm tối đa)")


# Which methods a fact can be scored by: percentages by bands or proportionally, counts by
# deduction, what earns a bonus by bonus.
PERCENT_FACTS = frozenset({Fact.TASKS_ON_TIME, Fact.INDICATORS, Fact.MILESTONES})
FACT_METHODS: dict[str, frozenset[str]] = {
    **{f: frozenset({Method.BANDS, Method.PROPORTIONAL}) for f in PERCENT_FACTS},
    Fact.OVERDUE_TASKS: frozenset({Method.DEDUCT}),
    Fact.REPORTS: frozenset({Method.DEDUCT}),
    Fact.VIOLATIONS: frozenset({Method.DEDUCT}),
    Fact.PRODUCTS_EXCEEDED: frozenset({Method.BONUS}),
}


class Grade(models.TextChoices):
    """Decree 335/2025/NĐ-CP's four grades, best first."""

    EXCELLENT = "xuat_sac", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "tot", _("Hoàn thành tốt nhiệm vụ")
    DONE = "hoan_thanh", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "khong_hoan_thanh", _("Không hoàn thành nhiệm vụ")


class Scheme(models.Model):
    """A scoring scheme for one kind of unit, in force from `valid_from` (the first day of a
    month) until the next scheme of the kind. Grade bands and the cap on "xuất sắc" are its
    settings, as is the data cut-off day: the month's data run as periods.calendar dates them
    (`cutoff_day` 1: the calendar month; 15: the 15th of the month before to the 14th, Decree
    09/2019), and its facts are read as stored at the end of the window's last day."""

    kind = models.CharField(_("loại đơn vị"), max_length=10, choices=UnitKind.choices)
    valid_from = models.DateField(_("áp dụng từ tháng"))
    name = models.CharField(_("tên phương án"), max_length=255)
    basis = models.TextField(_("căn cứ"), blank=True)
    total_points = models.DecimalField(
        _("tổng điểm tối đa"), max_digits=6, decimal_places=2, default=100
    )
    excellent_from = models.DecimalField(
        _("xuất sắc từ (điểm)"), max_digits=6, decimal_places=2, default=90
    )
    good_from = models.DecimalField(_("tốt từ (điểm)"), max_digits=6, decimal_places=2, default=70)
    done_from = models.DecimalField(
        _("hoàn thành từ (điểm)"), max_digits=6, decimal_places=2, default=50
    )
    excellent_cap_percent = models.DecimalField(
        _("số xuất sắc tối đa (phần trăm số xếp loại tốt)"),
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text=_("Nghị định 335/2025/NĐ-CP: không quá 20%. Để 0 nếu không giới hạn."),
    )
    cutoff_day = models.PositiveSmallIntegerField(
        _("ngày chốt số liệu"),
        default=1,
        help_text=_(
            "1: số liệu của tháng là tháng dương lịch; 15: từ ngày 15 tháng trước đến hết ngày 14 "
            "(Nghị định 09/2019/NĐ-CP). Số liệu được tính như đã lưu đến hết ngày chốt."
        ),
    )
    contest_days = models.PositiveSmallIntegerField(
        _("số ngày được giải trình"),
        default=3,
        help_text=_("Kể từ ngày chấm, người đứng đầu được giải trình trong chừng ấy ngày."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-valid_from"]
        verbose_name = _("phương án chấm điểm")
        verbose_name_plural = _("phương án chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="one_scheme_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%m/%Y})"


class Criterion(models.Model):
    """One line of a scheme: the fact it reads, how that becomes points, its maximum.

    `bands`: for BANDS, a list of [from_percent, points], highest first ("100 → 10, 90 → 8");
    a figure below every band scores 0. `per_item`, `per_day`, `per_missed`: for DEDUCT, the
    points off per case, per day late and per report not sent; for BONUS, `per_item` per case up
    to `max_points`. `unit_types`: the unit types it applies to (empty: every unit of the kind);
    for the others, as when a unit has nothing the fact could measure, it does not apply and its
    points are shared out among the others ("giảm trừ điểm tối đa")."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên tiêu chí"), max_length=255)
    fact = models.CharField(_("số liệu chấm"), max_length=20, choices=Fact.choices)
    method = models.CharField(_("cách tính điểm"), max_length=14, choices=Method.choices)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    bands = models.JSONField(_("khung điểm"), default=list, blank=True)
    per_item = models.DecimalField(
        _("điểm mỗi trường hợp"), max_digits=6, decimal_places=2, default=0
    )
    per_day = models.DecimalField(
        _("điểm mỗi ngày chậm"), max_digits=6, decimal_places=2, default=0
    )
    per_missed = models.DecimalField(
        _("điểm mỗi báo cáo không nộp"), max_digits=6, decimal_places=2, default=0
    )
    unit_types = models.JSONField(_("áp dụng cho loại đơn vị"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="one_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_bonus(self) -> bool:
        return self.method == Method.BONUS


class RoundState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo: đơn vị xem và giải trình")
    PUBLISHED = "published", _("Đã công bố")


class Round(models.Model):
    """A month's scoring: every unit scored from the facts as of the cut-off, a draft the heads
    may explain or contest until `contest_until`, then published and locked."""

    month = models.DateField(_("tháng"), unique=True)  # its first day
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT
    )
    scored_at = models.DateTimeField(_("chấm lúc"), default=timezone.now)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    contest_until = models.DateField(_("hạn giải trình"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("đợt chấm điểm tháng")
        verbose_name_plural = _("đợt chấm điểm tháng")

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"


class Scorecard(models.Model):
    """A unit's score for a month. `total` is the sum of its lines' points; `grade` is after the
    cap on "xuất sắc" (`eligible` is what the total alone would give)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="scorecards")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scorecards")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="scorecards")
    kind = models.CharField(max_length=10, choices=UnitKind.choices)
    cutoff = models.DateField(_("ngày chốt số liệu"))
    total = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2)
    grade = models.CharField(_("xếp loại"), max_length=20, choices=Grade.choices)
    eligible = models.CharField(_("xếp loại theo điểm"), max_length=20, choices=Grade.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "kind", "-total", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_scorecard_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit.code}"

    @property
    def capped(self) -> bool:
        return self.grade != self.eligible


class Line(models.Model):
    """One criterion on a scorecard, as scored: the figure, the band, the points (after the
    points of criteria that do not apply were shared out: `max_points` is the criterion's
    maximum as scaled, `raw_*` before), an adjustment if the standing office made one, and the
    records behind it (`evidence`: a list of {"label", "url", "note"})."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="lines")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=255)
    applies = models.BooleanField(default=True)
    bonus = models.BooleanField(default=False)
    figure = models.CharField(_("số liệu"), max_length=255, blank=True)
    band = models.CharField(_("khung điểm"), max_length=255, blank=True)
    raw_points = models.DecimalField(max_digits=7, decimal_places=2)
    raw_max = models.DecimalField(max_digits=7, decimal_places=2)
    computed = models.DecimalField(_("điểm tính được"), max_digits=7, decimal_places=2)
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    evidence = models.JSONField(default=list)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.scorecard} · {self.code}"

    @property
    def adjusted(self) -> bool:
        return self.points != self.computed


class ContestState(models.TextChoices):
    OPEN = "open", _("Chờ cơ quan thường trực xem xét")
    ANSWERED = "answered", _("Đã trả lời")


class Contest(models.Model):
    """The head's explanation or objection on a criterion, with evidence, and the answer."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="contests")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("nội dung giải trình"))
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="scoring/%Y/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_link = models.URLField(_("đường dẫn minh chứng"), blank=True)
    state = models.CharField(max_length=10, choices=ContestState.choices, default=ContestState.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("giải trình")
        verbose_name_plural = _("giải trình")

    def __str__(self) -> str:
        return f"{self.line} · {self.get_state_display()}"


class Adjustment(models.Model):
    """The standing office set a line's points, with a written reason: the audit trail of every
    change a person made to a computed score (kept when the month is scored again)."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="adjustments")
    before = models.DecimalField(_("điểm trước"), max_digits=7, decimal_places=2)
    after = models.DecimalField(_("điểm sau"), max_digits=7, decimal_places=2)
    reason = models.TextField(_("lý do"))
    contest = models.ForeignKey(
        Contest, on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("điều chỉnh điểm")
        verbose_name_plural = _("điều chỉnh điểm")

    def __str__(self) -> str:
        return f"{self.line}: {self.before} → {self.after}"
