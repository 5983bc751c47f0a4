"""Indicator values rolled up through the unit tree.

Each referenced data element is first SUMMED over the subtree's units for the period (`latest()`
takes each unit's most recent value up to the period's end instead; `count_units` counts units
whose own value satisfies the comparison); only then is the formula evaluated. Percentages are
never averaged: 90/100 and 1/10 give 91/110, not (90% + 10%) / 2.

The query count is fixed whatever the number of indicators: elements, values, required units,
targets — one query each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db.models import Exists, FilteredRelation, OuterRef, Q

from indicators.expressions import (
    COMPARISONS,
    CountUnits,
    Expr,
    Figures,
    Ratio,
    counts_needed,
    evaluate,
    latest_codes,
    parse,
    references,
)
from indicators.models import DataElement, DataValue, Direction, Indicator, Target
from org.models import Unit
from periods.models import Period

Achieved = Literal["met", "not_met", "no_data"]
IndicatorSet = Literal["2025", "2025-2045"]


@dataclass(frozen=True)
class Coverage:
    reported: int
    required: int


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    coverage: Coverage
    target: Decimal | None
    achieved: Achieved
    has_ratio: bool = field(default=False)

    @property
    def code(self) -> str:
        return self.indicator.code


def indicator_value(
    indicator: Indicator, period: Period, unit: Unit, *, subtree: bool = True
) -> IndicatorResult:
    return _compute([indicator], period, unit, subtree=subtree)[0]


def indicator_values(period: Period, unit: Unit, *, subtree: bool = True) -> list[IndicatorResult]:
    """Every indicator of the period's kind, in their order."""
    return indicator_overview(period, unit, subtree=subtree).values


def unit_indicators(period: Period, unit: Unit) -> list[IndicatorResult]:
    """The period's indicators that the unit's own figures feed (a formula reads an element
    the unit reports), for the unit alone: what its home page shows, not the province's list
    of which most would read nothing of a commune's."""
    links = DataElement.reporting_units.through._default_manager.filter(dataelement=OuterRef("pk"))
    elements = DataElement.objects.annotate(
        owned=Exists(links), owner=Exists(links.filter(unit=unit))
    ).values_list("code", "unit_types", "owned", "owner")
    mine = {
        code
        for code, types, owned, owner in elements
        if DataElement.reports(unit, types, owned=owned, owner=owner)
    }
    indicators = Indicator.objects.filter(period_kind=period.kind)
    fed = [i for i in indicators if references(parse(i.formula)) & mine]
    return _compute(fed, period, unit, subtree=False)


SET_FLAGS: dict[IndicatorSet, str] = {"2025": "in_2025_set", "2025-2045": "in_2025_2045_set"}


@dataclass(frozen=True)
class Overview:
    values: list[IndicatorResult]  # indicator_values
    achievement: dict[IndicatorSet, tuple[int, int]]  # each set asked: (met or exceeded, size)


def indicator_overview(
    period: Period, unit: Unit, *, subtree: bool = True, sets: Sequence[IndicatorSet] = ()
) -> Overview:
    """The period's indicators and the achievement of `sets`, every indicator evaluated once:
    a page or report showing both reads the values once instead of once per set (a result
    does not depend on the other indicators evaluated with it)."""
    wanted = Q(period_kind=period.kind)
    for name in sets:
        wanted |= Q(**{SET_FLAGS[name]: True})
    results = _compute(list(Indicator.objects.filter(wanted)), period, unit, subtree=subtree)
    return Overview(
        values=[r for r in results if r.indicator.period_kind == period.kind],
        achievement={
            name: _met([r for r in results if getattr(r.indicator, SET_FLAGS[name])])
            for name in sets
        },
    )


def _met(results: Sequence[IndicatorResult]) -> tuple[int, int]:
    return sum(1 for r in results if r.achieved == "met"), len(results)


def achieved(value: Decimal | None, target: Decimal | None, direction: str) -> Achieved:
    if value is None or target is None:
        return "no_data"
    met = value <= target if direction == Direction.LOWER else value >= target
    return "met" if met else "not_met"


def _units(unit: Unit, subtree: bool) -> Q:
    return Q(path__startswith=unit.path) if subtree else Q(pk=unit.pk)


def _compute(
    indicators: Sequence[Indicator], period: Period, unit: Unit, *, subtree: bool
) -> list[IndicatorResult]:
    if not indicators:
        return []
    exprs: dict[int, Expr] = {i.pk: parse(i.formula) for i in indicators}
    codes = set().union(*(references(e) for e in exprs.values()))
    latest = set().union(*(latest_codes(e) for e in exprs.values()))
    # each element's reporting types, and whether it has owners anywhere
    links = DataElement.reporting_units.through._default_manager
    types_of: dict[str, frozenset[str]] = {}
    owned: set[str] = set()
    for code, unit_types, has_owners in (
        DataElement.objects.filter(code__in=codes)
        .annotate(has_owners=Exists(links.filter(dataelement_id=OuterRef("pk"))))
        .values_list("code", "unit_types", "has_owners")
    ):
        types_of[code] = DataElement.types_of(unit_types)
        if has_owners:
            owned.add(code)

    # 1. values: this period's, plus earlier ones of the elements some formula takes latest() of.
    rows = (
        DataValue.objects.filter(
            Q(period=period) | Q(element__code__in=latest, period__ends_on__lte=period.ends_on),
            element__code__in=codes,
            unit__in=Unit.objects.filter(_units(unit, subtree)),
        )
        .order_by("period__ends_on")
        .values_list("unit_id", "element__code", "period_id", "value", "text")
    )
    current: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    newest: dict[str, dict[int, Decimal]] = defaultdict(dict)
    reported_now: dict[str, set[int]] = defaultdict(set)  # a value or text for this period
    reported_ever: dict[str, set[int]] = defaultdict(set)  # a value up to its end (latest())
    for unit_id, code, period_id, value, text in rows:
        if period_id == period.pk:
            current[code][unit_id] = value
            if value is not None or text:
                reported_now[code].add(unit_id)
        if code in latest and value is not None:
            newest[code][unit_id] = value  # rows come oldest first, so the last one stays
            reported_ever[code].add(unit_id)

    # 2. units that must report: active at the period, the owners of the elements that have some,
    # else the units of the elements' reporting types. Owners are read from the scope's units
    # (one row per referenced element a unit owns): owners elsewhere never matter here.
    types = set().union(*(types_of[c] for c in types_of if c not in owned))
    units_by_type: dict[str, set[int]] = defaultdict(set)
    owners_of: dict[str, set[int]] = defaultdict(set)
    owning = FilteredRelation("reported_elements", condition=Q(reported_elements__code__in=codes))
    for pk, unit_type, owned_code in (
        Unit.objects.filter(_units(unit, subtree))
        .annotate(owns=owning)
        .filter(Q(unit_type__in=types) | Q(owns__isnull=False))
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=period.starts_on))
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=period.ends_on))
        .values_list("pk", "unit_type", "owns__code")
    ):
        units_by_type[unit_type].add(pk)
        if owned_code is not None:
            owners_of[owned_code].add(pk)

    # 3. targets: the period's year first, then the 2025–2045 horizon; the unit's type first.
    year = period.ends_on.year
    targets: dict[tuple[int, int | None, str], Decimal] = {
        (t.indicator_id, t.year, t.unit_type): t.value
        for t in Target.objects.filter(indicator__in=indicators).filter(
            Q(year=year) | Q(year__isnull=True)
        )
    }

    totals: dict[str, Decimal | None] = {}
    for code in codes:
        values = [v for v in current[code].values() if v is not None]
        totals[code] = sum(values, Decimal(0)) if values else None
    latest_totals: dict[str, Decimal | None] = {
        code: sum(newest[code].values(), Decimal(0)) if newest[code] else None for code in latest
    }

    results = []
    for indicator in indicators:
        expr = exprs[indicator.pk]
        used = references(expr)
        counts = {node: _count(node, current) for node in counts_needed(expr)}
        figures = Figures(totals=totals, latest=latest_totals, counts=counts)
        value = evaluate(expr, figures)
        numerator = denominator = None
        if isinstance(expr, Ratio):
            numerator = evaluate(expr.numerator, figures)
            denominator = evaluate(expr.denominator, figures)
        required: set[int] = set()
        for code in used:
            if code in owned:
                required |= owners_of[code]
            elif code in types_of:
                for t in types_of[code]:
                    required |= units_by_type[t]
        done = set().union(
            *(reported_now[c] for c in used), *(reported_ever[c] for c in latest_codes(expr))
        )
        done &= required
        target = next(
            (
                targets[key]
                for key in (
                    (indicator.pk, year, unit.unit_type),
                    (indicator.pk, year, ""),
                    (indicator.pk, None, unit.unit_type),
                    (indicator.pk, None, ""),
                )
                if key in targets
            ),
            None,
        )
        results.append(
            IndicatorResult(
                indicator=indicator,
                value=value,
                numerator=numerator,
                denominator=denominator,
                coverage=Coverage(reported=len(done), required=len(required)),
                target=target,
                achieved=achieved(value, target, indicator.direction),
                has_ratio=isinstance(expr, Ratio),
            )
        )
    return results


def _count(node: CountUnits, current: dict[str, dict[int, Decimal | None]]) -> int:
    compare = COMPARISONS[node.op]
    return sum(1 for v in current[node.code].values() if v is not None and compare(v, node.value))
