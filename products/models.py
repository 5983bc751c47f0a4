"""What each unit commits to deliver in a year ("đăng ký ít nhất 01 sản phẩm … đi kèm với đó là
việc bố trí nguồn lực", conference of 07/01/2026): the product, the result it should bring and
for whom, its money (budget, source of funds, disbursements over time), its milestones, and its
way up (the unit's head approves, the standing office accepts or returns) and back down (delivery
with evidence, the standing office's evaluation). Every move is a ProductTransition."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from org.models import Unit
from tasks.models import Area, Task


class FundSource(models.TextChoices):
    PROVINCE = "ngan_sach_tinh", _("Ngân sách tỉnh")
    CENTRAL = "ngan_sach_trung_uong", _("Ngân sách trung ương")
    SOCIAL = "xa_hoi_hoa", _("Xã hội hóa")
    OTHER = "khac", _("Khác")


class ProductState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ lãnh đạo đơn vị duyệt")
    APPROVED = "approved", _("Chờ cơ quan thường trực tiếp nhận")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã được chấp nhận")
    DELIVERED = "delivered", _("Đã báo cáo hoàn thành, chờ đánh giá")
    EVALUATED = "evaluated", _("Đã đánh giá")


# The unit still holds the product: its registration may be changed and sent up.
EDITABLE_STATES = frozenset({ProductState.DRAFT, ProductState.RETURNED})
# Accepted by the standing office: the unit's registered products (milestones, money, delivery).
REGISTERED_STATES = frozenset(
    {ProductState.ACCEPTED, ProductState.DELIVERED, ProductState.EVALUATED}
)
# Reported as delivered, whatever the evaluation says.
DELIVERED_STATES = frozenset({ProductState.DELIVERED, ProductState.EVALUATED})


class Rating(models.TextChoices):
    EXCEEDED = "vuot", _("Vượt")
    MET = "dat", _("Đạt")
    NOT_MET = "chua_dat", _("Chưa đạt")


class RegistrationWindow(models.Model):
    """When units may send their products for a year up to the standing office."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    opens_on = models.DateField(_("mở từ ngày"))
    closes_on = models.DateField(_("đến hết ngày"))
    note = models.TextField(_("hướng dẫn"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("đợt đăng ký sản phẩm")
        verbose_name_plural = _("đợt đăng ký sản phẩm")

    def __str__(self) -> str:
        return str(self.year)

    def is_open(self, day: date | None = None) -> bool:
        today = day or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class Product(models.Model):
    code = models.CharField(_("mã sản phẩm"), max_length=60, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="products"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên sản phẩm"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    expected_result = models.TextField(_("kết quả mang lại"))
    beneficiaries = models.CharField(_("đối tượng thụ hưởng"), max_length=500)
    measure = models.CharField(
        _("chỉ số đo kết quả"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: số người dân được phục vụ, số giờ tiết kiệm."),
    )
    measure_unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("giá trị ban đầu"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("giá trị mục tiêu"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    achieved = models.DecimalField(
        _("giá trị đạt được"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    area = models.ForeignKey(
        Area, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT
    )
    tasks: models.ManyToManyField[Task, models.Model] = models.ManyToManyField(
        Task, verbose_name=_("nhiệm vụ liên quan"), blank=True, related_name="products"
    )
    indicators: models.ManyToManyField[Indicator, models.Model] = models.ManyToManyField(
        Indicator, verbose_name=_("chỉ tiêu liên quan"), blank=True, related_name="products"
    )
    budget = models.DecimalField(
        _("kinh phí (đồng)"),
        max_digits=18,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0, _("Kinh phí không được âm."))],
    )
    fund_source = models.CharField(
        _("nguồn kinh phí"), max_length=24, choices=FundSource.choices, default=FundSource.PROVINCE
    )
    owner_name = models.CharField(_("người chịu trách nhiệm"), max_length=150)
    owner_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    due_on = models.DateField(_("hạn hoàn thành"))
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=ProductState.choices, default=ProductState.DRAFT
    )
    # Delivery: the evidence (stored under a generated name, served only to those who may read
    # the product), then the standing office's evaluation.
    delivered_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="products/%Y/", blank=True)
    evidence_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    evidence_number = models.CharField(_("số văn bản minh chứng"), max_length=60, blank=True)
    evidence_date = models.DateField(_("ngày văn bản minh chứng"), null=True, blank=True)
    evidence_link = models.URLField(_("đường dẫn minh chứng"), blank=True)
    rating = models.CharField(_("đánh giá"), max_length=10, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("nhận xét"), blank=True)
    evaluated_at = models.DateTimeField(_("ngày đánh giá"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every save; a form carrying an older value is refused (no lost update).
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "unit__path", "code"]
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")
        indexes = [models.Index(fields=["year", "state"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="product_budget_gte_0")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class ProductTransition(models.Model):
    """Every change of a product's state: who, when, from what to what, and the comment."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=ProductState.choices)
    to_state = models.CharField(max_length=12, choices=ProductState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.product.code}: {self.from_state} → {self.to_state}"


class Milestone(models.Model):
    """A dated step of the product; done once, with the day it was done (scored monthly)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("nội dung mốc"), max_length=255)
    due_on = models.DateField(_("hạn"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # When the unit said so: the score of a month reads the milestones as they stood at its
    # cut-off, so a milestone recorded later does not change a month already scored.
    done_recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "order", "id"]
        verbose_name = _("mốc sản phẩm")
        verbose_name_plural = _("mốc sản phẩm")

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d/%m/%Y})"

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due_on


class Disbursement(models.Model):
    """Money disbursed for the product on a day; the disbursed amount at a date is their sum."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="disbursements")
    on = models.DateField(_("ngày giải ngân"))
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=18, decimal_places=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("giải ngân")
        verbose_name_plural = _("giải ngân")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="product_disbursement_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.code} {self.on} {self.amount}"


class ProductReminder(models.Model):
    """One reminder to one unit without a product, per year and day: sending twice on a day
    reminds nobody twice."""

    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "day"], name="one_product_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.unit.code} · {self.day}"
