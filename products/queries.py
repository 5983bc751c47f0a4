"""What product pages, exports, scoring and the reports read: visible products, the board of
units without a product, and delivered against registered by area with the money."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org import access
from org.models import COMMUNE_TYPES, REPORTING_TYPES, Unit, User
from periods.calendar import end_of_day
from products.models import (
    DELIVERED_STATES,
    EDITABLE_STATES,
    REGISTERED_STATES,
    Disbursement,
    Product,
    ProductState,
    Rating,
    RegistrationWindow,
)
from tasks.models import Area

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def products_visible_to(user: User) -> QuerySet[Product]:
    return Product.objects.filter(unit__in=access.units_visible_to(user))


def window_of(year: int) -> RegistrationWindow | None:
    return RegistrationWindow.objects.filter(year=year).first()


def list_url(**params: object) -> str:
    """The product list with these filters (year, unit, area, state, group)."""
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return f"{reverse('products:list')}?{query}" if query else reverse("products:list")


# --- the board of units without a product ----------------------------------------------------


class Standing(StrEnum):
    """Where a unit stands with its products for a year, worst first."""

    NONE = "none"  # nothing registered, not even a draft
    DRAFTING = "drafting"  # only drafts or returned ones
    PENDING = "pending"  # sent up, not yet accepted
    REGISTERED = "registered"  # at least one accepted


STANDING_LABELS: dict[str, StrOrPromise] = {
    Standing.NONE: _("Chưa đăng ký"),
    Standing.DRAFTING: _("Đang soạn hoặc bị trả lại"),
    Standing.PENDING: _("Đã gửi, chờ duyệt hoặc tiếp nhận"),
    Standing.REGISTERED: _("Đã có sản phẩm được chấp nhận"),
}


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    standing: Standing
    counts: dict[str, int]  # by product state

    @property
    def label(self) -> StrOrPromise:
        return STANDING_LABELS[self.standing]

    @property
    def without_product(self) -> bool:
        return self.standing is not Standing.REGISTERED


def _standing(counts: dict[str, int]) -> Standing:
    if any(counts.get(s) for s in REGISTERED_STATES):
        return Standing.REGISTERED
    if counts.get(ProductState.SUBMITTED) or counts.get(ProductState.APPROVED):
        return Standing.PENDING
    if any(counts.get(s) for s in EDITABLE_STATES):
        return Standing.DRAFTING
    return Standing.NONE


def board(year: int, units: QuerySet[Unit]) -> list[BoardRow]:
    """Every active reporting unit among `units` with where it stands for the year, in tree
    order: two queries."""
    chosen = units.filter(unit_type__in=REPORTING_TYPES, active_to__isnull=True).order_by("path")
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Product.objects.filter(year=year, unit__in=chosen)
        .values_list("unit_id", "state")
        .annotate(n=Count("pk"))
    )
    for unit_id, state, n in rows:
        counts[unit_id][state] = n
    return [BoardRow(u, _standing(counts[u.pk]), counts[u.pk]) for u in chosen]


# --- delivered against registered (the reports, the dashboard) -------------------------------


@dataclass
class AreaDelivery:
    """One area's products of a year (registered = accepted by the standing office): how many
    were delivered, how many the standing office found met or exceeded, their budget and what
    was disbursed by the date asked about; `url` opens the registered list, `delivered_url` the
    delivered one."""

    area: Area | None
    registered: int = 0
    delivered: int = 0
    evaluated: int = 0
    met: int = 0  # met or exceeded
    exceeded: int = 0
    not_met: int = 0
    budget: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def name(self) -> StrOrPromise:
        return self.area.name if self.area else _("Chưa xếp lĩnh vực")

    @property
    def code(self) -> str:
        return self.area.code if self.area else ""


@dataclass
class DeliveryOverview:
    year: int
    as_of: date
    areas: list[AreaDelivery]
    total: AreaDelivery

    def url(self, area: AreaDelivery | None = None, group: str = "registered") -> str:
        code = area.code if area is not None else None
        return list_url(year=self.year, area=code or None, group=group)


def _registered_as_of(
    year: int, as_of: date, units: QuerySet[Unit] | None
) -> tuple[list[_Stored], dict[int, Decimal]]:
    """The year's registered products as they stood at the end of `as_of` and what each had
    disbursed by then: two queries. `units` keeps those units' products; None: all."""
    chosen = Product.objects.filter(year=year)
    if units is not None:
        chosen = chosen.filter(unit__in=units)
    products = _as_of(chosen, as_of)
    disbursed = dict(
        Disbursement.objects.filter(product_id__in=[p.pk for p in products], on__lte=as_of)
        .values_list("product_id")
        .annotate(total=Sum("amount"))
    )
    return products, disbursed


def delivery_by_area(
    year: int, as_of: date, units: QuerySet[Unit] | None = None
) -> DeliveryOverview:
    """The year's registered products by area as they stood at the end of `as_of` (states from
    the products' history, disbursements dated by then): delivered and met against registered,
    budget by source of funds and disbursed. Three queries whatever the number of products, one
    when there is none. `units` keeps those units' products (what a user sees, a subtree); None:
    all."""
    products, disbursed = _registered_as_of(year, as_of, units)
    areas = {a.pk: a for a in Area.objects.all()} if products else {}
    rows: dict[int | None, AreaDelivery] = {}
    total = AreaDelivery(area=None)
    for product in products:
        row = rows.setdefault(product.area_id, AreaDelivery(area=areas.get(product.area_id or 0)))
        for target in (row, total):
            _add(target, product, disbursed.get(product.pk, Decimal(0)))
    ordered = sorted(rows.values(), key=lambda r: (r.area is None, r.area and r.area.order, r.code))
    return DeliveryOverview(year=year, as_of=as_of, areas=ordered, total=total)


# The product list's `kind` filter and the dashboard's rows: agencies, communes and wards (the
# keys are scoring's kinds of unit).
KIND_TYPES: dict[str, frozenset[str]] = {
    "agency": frozenset(REPORTING_TYPES - COMMUNE_TYPES),
    "commune": COMMUNE_TYPES,
}
KIND_LABELS: dict[str, StrOrPromise] = {
    "agency": _("Sở, ban, ngành, cơ quan cấp tỉnh"),
    "commune": _("Xã, phường"),
}


def delivery_by_kind(
    year: int, as_of: date, units: QuerySet[Unit] | None = None
) -> dict[str, AreaDelivery]:
    """The same figures as `delivery_by_area`, by kind of unit (`KIND_TYPES`), every kind
    present even when it has nothing: three queries."""
    products, disbursed = _registered_as_of(year, as_of, units)
    types = dict(
        Unit.objects.filter(pk__in={p.unit_id for p in products}).values_list("pk", "unit_type")
    )
    rows = {kind: AreaDelivery(area=None) for kind in KIND_TYPES}
    for product in products:
        kind = next((k for k, found in KIND_TYPES.items() if types[product.unit_id] in found), None)
        if kind is not None:
            _add(rows[kind], product, disbursed.get(product.pk, Decimal(0)))
    return rows


def _add(row: AreaDelivery, product: _Stored, disbursed: Decimal) -> None:
    row.registered += 1
    row.delivered += product.state in DELIVERED_STATES
    row.evaluated += product.state == ProductState.EVALUATED
    row.met += product.rating in (Rating.MET, Rating.EXCEEDED)
    row.exceeded += product.rating == Rating.EXCEEDED
    row.not_met += product.rating == Rating.NOT_MET
    row.budget += product.budget
    row.disbursed += disbursed
    row.by_source[product.fund_source] = row.by_source.get(product.fund_source, 0) + product.budget


@dataclass(frozen=True)
class _Stored:
    """A product as it stood at a date: what the overview counts."""

    pk: int
    unit_id: int
    area_id: int | None
    state: str
    rating: str
    budget: Decimal
    fund_source: str


def _as_of(products: QuerySet[Product], as_of: date) -> list[_Stored]:
    """The registered products as stored at the end of `as_of`: each product's latest history
    row by then (one query; the history holds every save)."""
    history = Product.history.model.objects  # type: ignore[attr-defined]
    rows = (
        history.filter(id__in=products.values("pk"), history_date__lt=end_of_day(as_of))
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "unit_id", "area_id", "state", "rating", "budget", "fund_source")
    )
    latest: dict[int, _Stored] = {}
    for pk, unit_id, area_id, state, rating, budget, source in rows:
        if pk not in latest:
            latest[pk] = _Stored(pk, unit_id, area_id, state, rating, budget, source)
    return [p for p in latest.values() if p.state in REGISTERED_STATES]


# The list's `group` filter: what the overview's figures link to.
GROUPS: dict[str, tuple[StrOrPromise, Q]] = {
    "registered": (_("Đã được chấp nhận"), Q(state__in=REGISTERED_STATES)),
    "delivered": (_("Đã hoàn thành"), Q(state__in=DELIVERED_STATES)),
    "evaluated": (_("Đã đánh giá"), Q(state=ProductState.EVALUATED)),
    "met": (_("Được đánh giá đạt hoặc vượt"), Q(rating__in=(Rating.MET, Rating.EXCEEDED))),
    "pending": (
        _("Chờ duyệt, chờ tiếp nhận"),
        Q(state__in=(ProductState.SUBMITTED, ProductState.APPROVED)),
    ),
}


# --- what the homes read ---------------------------------------------------------------------


def open_window(today: date) -> RegistrationWindow | None:
    """The registration window open today (the latest year's, should two overlap)."""
    return RegistrationWindow.objects.filter(opens_on__lte=today, closes_on__gte=today).first()


# What waits for the standing office: registrations its heads approved, deliveries to evaluate.
OFFICE_STATES = (ProductState.APPROVED, ProductState.DELIVERED)


def waiting_for_office() -> dict[tuple[str, int], int]:
    """(state, year) → how many products wait for the standing office in that state: one
    query."""
    rows = (
        Product.objects.filter(state__in=OFFICE_STATES)
        .values_list("state", "year")
        .annotate(n=Count("pk"))
    )
    return {(state, year): n for state, year, n in rows}


def unit_products(unit: Unit, today: date) -> list[Product]:
    """The unit's products its head follows: this year's and later, and older ones not yet
    evaluated, by year and code. One query."""
    current = Q(year__gte=today.year) | ~Q(state=ProductState.EVALUATED)
    return list(Product.objects.filter(current, unit=unit).order_by("year", "code"))
