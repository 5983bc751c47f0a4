"""Units of the province's tree and the accounts that belong to them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from nq57.text import fold


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("Tỉnh")
    STEERING = "ban_chi_dao", _("Ban Chỉ đạo")
    STANDING_OFFICE = "thuong_truc", _("Cơ quan thường trực")
    BLOC = "khoi", _("Khối")
    PARTY_AGENCY = "co_quan_dang", _("Cơ quan Đảng")
    DEPARTMENT = "so_nganh", _("Ban, sở, ngành")
    SECTOR = "nganh_doc", _("Cơ quan ngành dọc")
    FRONT = "mttq", _("Mặt trận Tổ quốc")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")


# Types whose units submit reports and get reporter / head accounts.
REPORTING_TYPES = frozenset(
    {
        UnitType.PARTY_AGENCY,
        UnitType.DEPARTMENT,
        UnitType.SECTOR,
        UnitType.FRONT,
        UnitType.COMMUNE,
        UnitType.WARD,
    }
)
# The reporting units of the commune level (communes and wards); the others are agencies.
COMMUNE_TYPES = frozenset({UnitType.COMMUNE, UnitType.WARD})


class Unit(MP_Node):
    """A node of the province's tree. Materialised path (treebeard) keeps subtree queries to one
    indexed `path LIKE 'prefix%'` on SQLite and PostgreSQL alike."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    unit_type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices)
    cluster = models.CharField(
        _("cụm"), max_length=100, blank=True, help_text=_("Nhóm tham khảo, ví dụ huyện cũ.")
    )
    is_standing_office = models.BooleanField(_("thuộc cơ quan thường trực"), default=False)
    head_name = models.CharField(_("người đứng đầu"), max_length=150, blank=True)
    head_title = models.CharField(_("chức vụ người đứng đầu"), max_length=150, blank=True)
    active_from = models.DateField(_("hoạt động từ"), null=True, blank=True)
    active_to = models.DateField(_("hoạt động đến"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
    )
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["numchild", "search_text"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.code} {self.name}")
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.active_to is None

    @property
    def is_reporting(self) -> bool:
        return self.unit_type in REPORTING_TYPES


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("Quản trị hệ thống")
    STANDING_OFFICE = "standing_office", _("Cơ quan thường trực")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    REPORTER = "reporter", _("Cán bộ đầu mối báo cáo")
    UNIT_HEAD = "unit_head", _("Người đứng đầu đơn vị")
    VIEWER = "viewer", _("Lãnh đạo, theo dõi")


class User(AbstractUser):
    """An account belongs to exactly one unit and has one role; what it may do is decided only by
    org.access."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="accounts"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    scope = models.ForeignKey(
        Unit,
        verbose_name=_("phạm vi theo dõi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scoped_accounts",
        help_text=_(
            "Với vai trò theo dõi: nhánh đơn vị được xem (mặc định là đơn vị của tài khoản)."
        ),
    )
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="org_user_unique_email",
                violation_error_message=_("Thư điện tử đã được dùng cho tài khoản khác."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name or self.username} ({self.username})"


class ChangeKind(models.TextChoices):
    CREATE = "create", _("Thành lập")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển đơn vị cấp trên")
    CLOSE = "close", _("Ngừng hoạt động")
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")


class UnitChange(models.Model):
    """A dated change of the tree, as recorded by org.services: what happened to which unit, the
    day it took effect (`effective_on`: the first day of the new state), why, and who recorded
    it; a merge or split lists its predecessor → successor pairs (UnitLink). Appended, never
    edited: the unit's lineage and its page read them."""

    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=ChangeKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="changes"
    )
    effective_on = models.DateField(_("ngày hiệu lực"))
    reason = models.TextField(_("lý do, căn cứ"), blank=True)
    before = models.JSONField(default=dict, blank=True)  # rename: name; move: parent's code
    after = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi nhận"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), default=timezone.now)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("thay đổi đơn vị")
        verbose_name_plural = _("thay đổi đơn vị")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit_id} {self.effective_on}"


class UnitLink(models.Model):
    """One predecessor → successor pair of a merge or a split."""

    change = models.ForeignKey(UnitChange, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["change", "predecessor", "successor"], name="org_one_link_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class UnitGroup(models.Model):
    """A named list of units the standing office gives tasks to again and again (e.g. the
    communes of the new-rural programme): saved once, chosen on the assign page
    (org.selection). Its history, members included, is kept."""

    name = models.CharField(_("tên nhóm"), max_length=255, unique=True)
    description = models.TextField(_("ghi chú"), blank=True)
    units: models.ManyToManyField[Unit, models.Model] = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị"), related_name="unit_groups"
    )
    history = HistoricalRecords(m2m_fields=[units])

    class Meta:
        ordering = ["name"]
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")

    def __str__(self) -> str:
        return self.name
