"""The dashboard's results block ("từ báo cáo tiến độ sang báo cáo hiệu quả"): the year's
products registered, delivered and evaluated by kind of unit, and the latest month's grades,
each figure opening its list. Read from products.queries and scoring.queries (one computation,
many callers), within the dashboard's scope and the units the user sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dashboard.queries import Dashboard
from org import access
from org.models import Unit, User
from products import queries as product_queries
from products.queries import GROUPS, KIND_LABELS
from scoring import queries as scoring_queries
from scoring.models import Grade, Round, UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The columns of the products table: the list's `group` filter of each.
PRODUCT_GROUPS = ("registered", "delivered", "evaluated")


@dataclass(frozen=True)
class Figure:
    value: int
    url: str
    label: StrOrPromise = ""  # what it counts, for a stacked row on a phone


@dataclass(frozen=True)
class ProductRow:
    label: StrOrPromise
    figures: list[Figure]  # in the order of PRODUCT_GROUPS


@dataclass(frozen=True)
class GradeRow:
    label: StrOrPromise
    total: int
    grades: list[tuple[str, StrOrPromise, Figure]]  # (grade, its name, how many)


@dataclass(frozen=True)
class Results:
    year: int
    columns: list[StrOrPromise]  # the products table's, as the list names its groups
    products: list[ProductRow]  # each kind of unit, then the total
    round: Round | None  # the latest month the user may count grades of
    grades: list[GradeRow]


def _units(user: User, scope: Unit | None) -> QuerySet[Unit]:
    units: QuerySet[Unit] = access.units_visible_to(user)
    return units.filter(path__startswith=scope.path) if scope is not None else units


def _product_row(
    label: StrOrPromise, values: list[int], year: int, scope: Unit | None, kind: str | None
) -> ProductRow:
    code = scope.code if scope is not None else None
    return ProductRow(
        label,
        [
            Figure(
                value,
                product_queries.list_url(year=year, unit=code, kind=kind, group=group),
                GROUPS[group][0],
            )
            for group, value in zip(PRODUCT_GROUPS, values, strict=True)
        ],
    )


def _grades(round_: Round, units: QuerySet[Unit]) -> list[GradeRow]:
    spread = scoring_queries.grade_distribution(round_.month, units)
    if spread is None:
        return []
    page = reverse("scoring:round", args=[round_.code])
    return [
        GradeRow(
            UnitKind(kind).label,
            spread.total(kind),
            [
                (
                    grade,
                    label,
                    Figure(counts[grade], f"{page}?{urlencode({'kind': kind, 'grade': grade})}"),
                )
                for grade, label in Grade.choices
            ],
        )
        for kind, counts in sorted(spread.counts.items())
    ]


def results(user: User, board: Dashboard) -> Results:
    """The block for the dashboard's date and scope: products of the date's year as they stood
    then, and the grades of the latest month scored (published, unless the user is the standing
    office). Six queries."""
    as_of, scope = board.filters.as_of, board.scope
    units = _units(user, scope)
    by_kind = {
        kind: [getattr(row, group) for group in PRODUCT_GROUPS]
        for kind, row in product_queries.delivery_by_kind(as_of.year, as_of, units).items()
    }
    rows = [_product_row(KIND_LABELS[k], v, as_of.year, scope, k) for k, v in by_kind.items()]
    total = [sum(column) for column in zip(*by_kind.values(), strict=True)]
    rows.append(_product_row(_("Cộng"), total, as_of.year, scope, None))
    round_ = scoring_queries.latest_round(user)
    return Results(
        year=as_of.year,
        columns=[GROUPS[group][0] for group in PRODUCT_GROUPS],
        products=rows,
        round=round_,
        grades=_grades(round_, units) if round_ is not None else [],
    )
