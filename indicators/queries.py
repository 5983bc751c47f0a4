"""Indicator values rolled up through the unit tree.

Each referenced data element is first SUMMED over the subtree's units for the period (`latest()`
takes each unit's most recent value up to the period's end instead; `count_units` counts units
whose own value satisfies the comparison); only then is the formula evaluated. Percentages are
never averaged: 90/100 and 1/10 give 91/110, not (90% + 10%) / 2.

Every read takes `as_of`: the figures as they were stored at the end of that day (Vietnam time),
read from the values' history (simple-history); None, or today and later, reads the live table,
which holds the same (each live row is its latest history row).

The query count is fixed whatever the number of indicators: elements, values, required units,
targets — one query each.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, TextField, Window
from django.db.models.functions import Cast, Lag, RowNumber
from django.utils import timezone

from indicators import models
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
from org.models import REPORTING_TYPES, Unit
from periods.calendar import end_of_day
from periods.models import Period, PeriodKind

Achieved = Literal["met", "not_met", "no_data"]
SetCode = str  # models.IndicatorSet.code: "2025-2045", "2025"


# --- which units report an element -------------------------------------------------------------


@dataclass(frozen=True)
class Reporters:
    """Which units a scope takes in (models.UnitScope): the units of its list (`owners`) when it
    has one, whatever their type or place; else every unit of its `types` (none named: every
    reporting type) within the subtree whose path starts with `root` ("": the whole province).
    It is in force for the periods overlapping `active_from` … `active_to`. A data element's
    reporters (`reporters`) and a validation rule's units (`rule_scope`) are both read this
    way: the one home of that rule; `units_reporting` adds the period."""

    types: frozenset[str]
    owners: frozenset[int]
    root: str = ""
    active_from: date | None = None
    active_to: date | None = None

    def include(self, unit: Unit) -> bool:
        return includes(
            unit, self.types, owned=bool(self.owners), owner=unit.pk in self.owners, root=self.root
        )

    def in_force(self, period: Period) -> bool:
        """Whether the scope applies to the period (it overlaps the scope's dates)."""
        return (self.active_to is None or self.active_to >= period.starts_on) and (
            self.active_from is None or self.active_from <= period.ends_on
        )

    def among(
        self, ids_by_type: Mapping[str, AbstractSet[int]], paths: Mapping[int, str]
    ) -> set[int]:
        """The unit ids of `ids_by_type` (every candidate unit's id under its type; `paths`:
        each candidate's tree path) it includes."""
        if self.owners:
            return set().union(*(ids & self.owners for ids in ids_by_type.values()))
        found = set().union(*(ids_by_type.get(t, set()) for t in self.types))
        if self.root:
            found = {pk for pk in found if paths[pk].startswith(self.root)}
        return found

    def units(self) -> Q:
        """The filter on Unit for the units it takes in (the period aside)."""
        if self.owners:
            return Q(pk__in=self.owners)
        within = Q(path__startswith=self.root) if self.root else Q()
        return Q(unit_type__in=self.types) & within


def includes(
    unit: Unit, types: AbstractSet[str], *, owned: bool, owner: bool, root: str = ""
) -> bool:
    """The rule itself: a listed scope takes its units, any other the units of its types in its
    subtree."""
    if owned:
        return owner
    return unit.unit_type in types and unit.path.startswith(root)


def elements_reported_by(unit: Unit) -> set[str]:
    """The codes of the elements `unit` reports, one row per element: whether an element has
    owners and whether the unit is one are decided in the query (a home page must not read
    every element's owners)."""
    links = DataElement.reporting_units.through._default_manager.filter(dataelement=OuterRef("pk"))
    rows = DataElement.objects.annotate(
        owned=Exists(links), owner=Exists(links.filter(unit=unit))
    ).values_list("code", "unit_types", "owned", "owner", "within__path")
    return {
        code
        for code, unit_types, owned, owner, root in rows
        if includes(unit, _reporting_types(unit_types), owned=owned, owner=owner, root=root or "")
    }


def _reporting_types(unit_types: list[str]) -> frozenset[str]:
    return frozenset(unit_types) if unit_types else frozenset(REPORTING_TYPES)


def reporters(element: DataElement) -> Reporters:
    """The element's rule (prefetch `reporting_units` and select `within` to avoid queries per
    element)."""
    return _scope_of(element, element.reporting_units.all())


def rule_scope(rule: models.ValidationRule) -> Reporters:
    """The units a validation rule narrows itself to (prefetch `units`, select `within`)."""
    return _scope_of(rule, rule.units.all())


def _scope_of(scoped: models.UnitScope, listed: Iterable[Unit]) -> Reporters:
    return Reporters(
        _reporting_types(scoped.unit_types),
        frozenset(u.pk for u in listed),
        scoped.within.path if scoped.within is not None else "",
        scoped.active_from,
        scoped.active_to,
    )


def reporters_by_code(codes: Iterable[str] | None = None) -> dict[str, Reporters]:
    """The rule of each element named (every element when `codes` is None): one query, a row per
    element and owner. The types come as JSON text, decoded once per element rather than once
    per row (an element of a whole province's owners would be decoded thousands of times)."""
    elements = (
        DataElement.objects.all()
        if codes is None
        else DataElement.objects.filter(code__in=list(codes))
    )
    rows = elements.values_list(
        "code",
        Cast("unit_types", output_field=TextField()),
        "reporting_units",
        "within__path",
        "active_from",
        "active_to",
    )
    found: dict[str, tuple[list[str], str, date | None, date | None]] = {}
    owners: dict[str, set[int]] = defaultdict(set)
    for code, unit_types, owner, root, first, last in rows:
        if code not in found:
            found[code] = (json.loads(unit_types) if unit_types else [], root or "", first, last)
        if owner is not None:
            owners[code].add(owner)
    return {
        code: Reporters(_reporting_types(types), frozenset(owners[code]), root, first, last)
        for code, (types, root, first, last) in found.items()
    }


def active_during(period: Period) -> Q:
    """Rows active at some time in the period: not ended before it starts, not begun after it
    ends (a commune formed on 1 July reports nothing for the second quarter; a data element in
    force from 2026 is not asked for 2025). Units and data elements share the two fields."""
    return (Q(active_to__isnull=True) | Q(active_to__gte=period.starts_on)) & (
        Q(active_from__isnull=True) | Q(active_from__lte=period.ends_on)
    )


def is_active_during(unit: Unit, period: Period) -> bool:
    """`active_during` for one unit."""
    closed_before = unit.active_to is not None and unit.active_to < period.starts_on
    opened_after = unit.active_from is not None and unit.active_from > period.ends_on
    return not (closed_before or opened_after)


def elements_for_period(period: Period) -> QuerySet[DataElement]:
    """The data elements a period asks for: of its kind and in force during it (each unit
    reports those whose `reporters` include it). What a report form lists."""
    return DataElement.objects.filter(period_kind=period.kind).filter(active_during(period))


def units_reporting(rules: Iterable[Reporters], period: Period) -> QuerySet[Unit]:
    """The units that report at least one of these elements for the period: active during it
    and included by an element's rule (Reporters) in force during it."""
    wanted = Q(pk__in=[])
    for key in {(r.types, r.owners, r.root) for r in rules if r.in_force(period)}:
        wanted |= Reporters(*key).units()
    return Unit.objects.filter(wanted).filter(active_during(period))


# --- indicator sets ----------------------------------------------------------------------------


def indicator_sets(*, year: int | None = None) -> QuerySet[models.IndicatorSet]:
    """The sets the standing office configured, in their order; with `year`, those covering it."""
    sets = models.IndicatorSet.objects.order_by("order", "code")
    if year is not None:
        sets = sets.filter(first_year__lte=year, last_year__gte=year)
    return sets


# --- definitions as of a date ------------------------------------------------------------------
#
# A report rebuilt later must judge its figures by the definitions it was built with: the
# indicators (their formulas, directions), their targets and the sets' members are read, for a
# past date, from their history (simple-history) — each as its last version recorded by the end
# of that day. A definition first recorded after that day (set up after the figures it judges,
# as a province loading its programme late, or the demo) is read as first recorded: what was
# changed since is undone, what was added is kept as added.


def _past(as_of: date | None) -> bool:
    """Whether `as_of` names a day before today: only then can a definition have changed."""
    return as_of is not None and as_of < timezone.localdate()


def _versions(history: QuerySet[Any], as_of: date) -> list[Any]:
    """Each object's history row in force at the end of `as_of` (see above); one deleted by
    then is left out."""
    return _in_force(history.order_by("id", "history_date", "history_id"), as_of)


def _in_force(rows: Iterable[Any], as_of: date) -> list[Any]:
    """`_versions` over history rows (anything with their `id`, `history_date` and
    `history_type`) in the order they were recorded, object by object."""
    end = end_of_day(as_of)
    chosen: dict[int, Any] = {}
    for row in rows:
        if row.id not in chosen or row.history_date < end:
            chosen[row.id] = row  # the first row, then every later one up to the day's end
    return [row for row in chosen.values() if row.history_type != "-"]


class _SetVersion(NamedTuple):
    """One saved state of a set: its code and members then."""

    id: int
    code: str
    history_date: datetime
    history_type: str
    members: set[int]


def indicators_as_of(as_of: date | None) -> list[Indicator]:
    """Every indicator as defined at the end of `as_of` (None, today or later: now), in their
    order: one query."""
    if not _past(as_of):
        return list(Indicator.objects.all())
    assert as_of is not None
    history = Indicator.history.model.objects  # type: ignore[attr-defined]
    found = [row.instance for row in _versions(history.all(), as_of)]
    return sorted(found, key=lambda i: (i.order, i.code))


def set_members(codes: Sequence[SetCode], as_of: date | None = None) -> dict[SetCode, set[int]]:
    """The ids of each set's indicators, as the set stood at the end of `as_of` (None, today or
    later: now): one query."""
    if not codes:
        return {}
    members: dict[SetCode, set[int]] = {code: set() for code in codes}
    if not _past(as_of):
        through = models.IndicatorSet.indicators.through._default_manager
        rows = through.filter(indicatorset__code__in=list(codes)).values_list(
            "indicatorset__code", "indicator_id"
        )
        for code, indicator_id in rows:
            members[code].add(indicator_id)
        return members
    assert as_of is not None
    history = models.IndicatorSet.history.model.objects  # type: ignore[attr-defined]
    rows = (
        history.filter(code__in=list(codes))
        .order_by("id", "history_date", "history_id")
        .values_list(
            "history_id", "id", "code", "history_date", "history_type",
            "historicalindicatorset_indicators__indicator_id",
        )
    )  # fmt: skip
    saved: dict[int, _SetVersion] = {}  # by history row, in the order recorded
    for history_id, pk, code, when, kind, indicator_id in rows:
        version = saved.setdefault(history_id, _SetVersion(pk, code, when, kind, set()))
        if indicator_id is not None:
            version.members.add(indicator_id)
    for version in _in_force(saved.values(), as_of):
        members[version.code] = version.members
    return members


# --- results -----------------------------------------------------------------------------------


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
    indicator: Indicator,
    period: Period,
    unit: Unit,
    *,
    subtree: bool = True,
    as_of: date | None = None,
) -> IndicatorResult:
    return _results([indicator], period, unit, subtree=subtree, as_of=as_of)[0]


def indicator_values(
    period: Period, unit: Unit, *, subtree: bool = True, as_of: date | None = None
) -> list[IndicatorResult]:
    """Every indicator of the period's kind, in their order."""
    return indicator_overview(period, unit, subtree=subtree, as_of=as_of).values


def unit_indicators(
    period: Period, unit: Unit, *, as_of: date | None = None
) -> list[IndicatorResult]:
    """The period's indicators that the unit's own figures feed (a formula reads an element
    the unit reports), for the unit alone: what its home page shows, not the province's list
    of which most would read nothing of a commune's."""
    mine = elements_reported_by(unit)
    indicators = [i for i in indicators_as_of(as_of) if i.period_kind == period.kind]
    fed = [i for i in indicators if references(parse(i.formula)) & mine]
    return _results(fed, period, unit, subtree=False, as_of=as_of)


@dataclass(frozen=True)
class Overview:
    values: list[IndicatorResult]  # indicator_values
    achievement: dict[SetCode, tuple[int, int]]  # each set asked: (met or exceeded, size)


def indicator_overview(
    period: Period,
    unit: Unit,
    *,
    subtree: bool = True,
    sets: Sequence[SetCode] = (),
    as_of: date | None = None,
) -> Overview:
    """The period's indicators and the achievement of `sets` (their codes), every indicator
    evaluated once: a page or report showing both reads the values once instead of once per
    set (a result does not depend on the other indicators evaluated with it). Membership is
    read with the indicators, in the same query; for a past `as_of`, the indicators and the
    sets' members as they were defined then (one query more)."""
    if _past(as_of):
        members = set_members(sets, as_of)
        listed = set().union(*members.values())
        chosen = [
            i for i in indicators_as_of(as_of) if i.period_kind == period.kind or i.pk in listed
        ]
    else:
        chosen, members = _with_members(period, sets)
    results = _results(chosen, period, unit, subtree=subtree, as_of=as_of)
    return Overview(
        values=[r for r in results if r.indicator.period_kind == period.kind],
        achievement={
            code: _met([r for r in results if r.indicator.pk in members[code]]) for code in sets
        },
    )


def _with_members(
    period: Period, sets: Sequence[SetCode]
) -> tuple[list[Indicator], dict[SetCode, set[int]]]:
    """The period's indicators and the members of `sets` as they are now, in one query."""
    members = models.IndicatorSet.indicators.through._default_manager
    flags = {code: f"in_set_{n}" for n, code in enumerate(sets)}
    indicators = Indicator.objects.annotate(
        **{
            flag: Exists(members.filter(indicator=OuterRef("pk"), indicatorset__code=code))
            for code, flag in flags.items()
        }
    )
    wanted = Q(period_kind=period.kind)
    for flag in flags.values():
        wanted |= Q(**{flag: True})
    chosen = list(indicators.filter(wanted))
    return chosen, {
        code: {i.pk for i in chosen if getattr(i, flag)} for code, flag in flags.items()
    }


def _met(results: Sequence[IndicatorResult]) -> tuple[int, int]:
    return sum(1 for r in results if r.achieved == "met"), len(results)


def achieved(value: Decimal | None, target: Decimal | None, direction: str) -> Achieved:
    if value is None or target is None:
        return "no_data"
    met = value <= target if direction == Direction.LOWER else value >= target
    return "met" if met else "not_met"


# --- evaluation --------------------------------------------------------------------------------


def _scope(unit: Unit, subtree: bool) -> Q:
    return Q(path__startswith=unit.path) if subtree else Q(pk=unit.pk)


@dataclass
class StoredFigures:
    """The scope's stored figures of the elements the formulas read, by element code then unit
    id: `current` this period's values; `newest` each unit's latest value up to the period's
    end (elements read by latest()); `reported_now` the units with a value or a text for this
    period; `reported_ever` those with a value up to its end (latest())."""

    current: dict[str, dict[int, Decimal | None]] = field(default_factory=lambda: defaultdict(dict))
    newest: dict[str, dict[int, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    reported_now: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    reported_ever: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))


def _stored_figures(
    codes: set[str], latest: set[str], period: Period, scope: Q, as_of: date | None
) -> StoredFigures:
    """This period's values, plus earlier ones of the elements some formula takes latest() of,
    as stored at the end of `as_of`: one query."""
    wanted = (
        Q(period=period) | Q(element__code__in=latest, period__ends_on__lte=period.ends_on)
    ) & Q(element__code__in=codes, unit__in=Unit.objects.filter(scope))
    rows = (
        stored_values(wanted, as_of)
        .order_by("period__ends_on")
        .values_list("unit_id", "element__code", "period_id", "value", "text")
    )
    stored = StoredFigures()
    for unit_id, code, period_id, value, text in rows:
        if period_id == period.pk:
            stored.current[code][unit_id] = value
            if value is not None or text:
                stored.reported_now[code].add(unit_id)
        if code in latest and value is not None:
            stored.newest[code][unit_id] = value  # rows come oldest first: the last one stays
            stored.reported_ever[code].add(unit_id)
    return stored


def stored_values(wanted: Q, as_of: date | None) -> QuerySet[Any]:
    """The `wanted` values (a filter on DataValue's fields) as stored at the end of `as_of`:
    the live table when nothing can have changed since (no date, or today and later), else
    each value's latest history row up to then (a value first entered later is absent; one
    deleted by then, history type "-", too). The latest row is picked by a window over the
    history: the read stays one query."""
    if as_of is None or as_of >= timezone.localdate():
        return DataValue.objects.filter(wanted)
    history = DataValue.history.model.objects  # type: ignore[attr-defined]
    latest_first = [F("history_date").desc(), F("history_id").desc()]
    ranked = history.filter(wanted, history_date__lt=end_of_day(as_of)).annotate(
        rank=Window(RowNumber(), partition_by=[F("id")], order_by=latest_first)
    )
    latest = ranked.filter(rank=1).values("history_id")
    return history.filter(history_id__in=latest).exclude(history_type="-")


def _required_units(
    rules: Mapping[str, Reporters], period: Period, scope: Q
) -> dict[str, set[int]]:
    """Element code → the scope's units that must report it for the period: one query."""
    ids_by_type: dict[str, set[int]] = defaultdict(set)
    paths: dict[int, str] = {}
    candidates = units_reporting(rules.values(), period).filter(scope)
    for pk, unit_type, path in candidates.values_list("pk", "unit_type", "path"):
        ids_by_type[unit_type].add(pk)
        paths[pk] = path
    return {
        code: rule.among(ids_by_type, paths) if rule.in_force(period) else set()
        for code, rule in rules.items()
    }


TargetKey = tuple[int, int | None, str]  # indicator id, year (None: 2025–2045), unit type


def _targets(
    indicators: Sequence[Indicator], year: int, as_of: date | None = None
) -> dict[TargetKey, Decimal]:
    """The indicators' targets for the year and the 2025–2045 horizon, as set at the end of
    `as_of` (None, today or later: now): one query."""
    saved = [i.pk for i in indicators if i.pk is not None]  # a formula tried before saving: none
    if _past(as_of):
        assert as_of is not None
        history = Target.history.model.objects  # type: ignore[attr-defined]
        return {
            (t.indicator_id, t.year, t.unit_type): t.value
            for t in _versions(history.filter(indicator_id__in=saved), as_of)
            if t.year in (year, None)
        }
    return {
        (t.indicator_id, t.year, t.unit_type): t.value
        for t in Target.objects.filter(indicator__in=saved).filter(
            Q(year=year) | Q(year__isnull=True)
        )
    }


def _target(
    targets: Mapping[TargetKey, Decimal], indicator: Indicator, year: int, unit_type: str
) -> Decimal | None:
    """The period's year first, then the 2025–2045 horizon; the unit's type first."""
    keys = ((year, unit_type), (year, ""), (None, unit_type), (None, ""))
    return next(
        (targets[(indicator.pk, *key)] for key in keys if (indicator.pk, *key) in targets), None
    )


def _rolled_up(codes: set[str], latest: set[str], stored: StoredFigures) -> Figures:
    """The figures summed over the scope, before any formula (count_units nodes are counted per
    indicator)."""
    totals: dict[str, Decimal | None] = {}
    for code in codes:
        values = [v for v in stored.current[code].values() if v is not None]
        totals[code] = sum(values, Decimal(0)) if values else None
    latest_totals: dict[str, Decimal | None] = {
        code: sum(stored.newest[code].values(), Decimal(0)) if stored.newest[code] else None
        for code in latest
    }
    return Figures(totals=totals, latest=latest_totals, counts={})


class _Formula(NamedTuple):
    """A parsed formula with the element codes it reads (all; under latest()) and its
    count_units nodes, worked out once per indicator rather than once per unit evaluated."""

    expr: Expr
    uses: frozenset[str]
    latest: frozenset[str]
    counts: frozenset[CountUnits]

    @classmethod
    def of(cls, text: str) -> _Formula:
        expr = parse(text)
        return cls(
            expr,
            frozenset(references(expr)),
            frozenset(latest_codes(expr)),
            frozenset(counts_needed(expr)),
        )


def _coverage(
    formula: _Formula, required_by_code: Mapping[str, set[int]], stored: StoredFigures
) -> Coverage:
    """How many of the units that must report the formula's elements did (for latest(): ever,
    up to the period's end)."""
    used = formula.uses
    required = set().union(*(required_by_code.get(code, set()) for code in used))
    done = set().union(
        *(stored.reported_now[c] for c in used),
        *(stored.reported_ever[c] for c in formula.latest),
    )
    return Coverage(reported=len(done & required), required=len(required))


def _results(
    indicators: Sequence[Indicator],
    period: Period,
    unit: Unit,
    *,
    subtree: bool,
    as_of: date | None = None,
) -> list[IndicatorResult]:
    """The indicators evaluated over the unit (its subtree when `subtree`) for the period, with
    the figures stored at the end of `as_of` (None: now), in a fixed number of queries: element
    rules, values, required units, targets."""
    if not indicators:
        return []
    formulas = {i.pk: _Formula.of(i.formula) for i in indicators}
    codes = set().union(*(f.uses for f in formulas.values()))
    latest = set().union(*(f.latest for f in formulas.values()))
    scope = _scope(unit, subtree)
    rules = reporters_by_code(codes)
    stored = _stored_figures(codes, latest, period, scope, as_of)
    required_by_code = _required_units(rules, period, scope)
    year = period.ends_on.year
    targets = _targets(indicators, year, as_of)
    rolled_up = _rolled_up(codes, latest, stored)
    return [
        _result(indicator, formulas[indicator.pk], rolled_up, stored, required_by_code,
                targets, year, unit.unit_type)
        for indicator in indicators
    ]  # fmt: skip


def _result(
    indicator: Indicator,
    formula: _Formula,
    rolled_up: Figures,
    stored: StoredFigures,
    required_by_code: Mapping[str, set[int]],
    targets: Mapping[TargetKey, Decimal],
    year: int,
    unit_type: str,
) -> IndicatorResult:
    """One indicator evaluated over figures already read and rolled up."""
    expr = formula.expr
    figures = _with_counts(formula, rolled_up, stored)
    value = evaluate(expr, figures)
    numerator, denominator = _ratio_parts(expr, figures)
    target = _target(targets, indicator, year, unit_type)
    return IndicatorResult(
        indicator=indicator,
        value=value,
        numerator=numerator,
        denominator=denominator,
        coverage=_coverage(formula, required_by_code, stored),
        target=target,
        achieved=achieved(value, target, indicator.direction),
        has_ratio=isinstance(expr, Ratio),
    )


def own_indicators(
    period: Period,
    units: Sequence[Unit],
    *,
    as_of: date | None = None,
    scope: QuerySet[Any] | None = None,
) -> dict[int, list[IndicatorResult]]:
    """`unit_indicators` for many units at once (unit id → results; a unit no indicator reads
    is left out): each unit's indicators of the period that its own figures feed, evaluated for
    the unit alone, in four queries whatever the number of units (indicators, element rules,
    values, targets). What the monthly scoring of every commune reads. `scope`: the same units
    as a subquery of their ids (a country's communes are no list of ids to send)."""
    indicators = [i for i in indicators_as_of(as_of) if i.period_kind == period.kind]
    if not indicators or not units:
        return {}
    formulas = {i.pk: _Formula.of(i.formula) for i in indicators}
    codes = set().union(*(f.uses for f in formulas.values()))
    latest = set().union(*(f.latest for f in formulas.values()))
    rules = reporters_by_code(codes)
    wanted = Q(pk__in=scope if scope is not None else [u.pk for u in units])
    by_unit = _split_by_unit(_stored_figures(codes, latest, period, wanted, as_of))
    year = period.ends_on.year
    targets = _targets(indicators, year, as_of)
    # Which elements a unit reports depends on its type alone unless an element has owners:
    # the indicators it feeds are worked out once per type and set of owned elements.
    owns: dict[int, set[str]] = defaultdict(set)
    for code, rule in rules.items():
        for owner in rule.owners:
            owns[owner].add(code)
    by_type: dict[str, set[str]] = {}
    fed_by: dict[frozenset[str], tuple[list[Indicator], set[str]]] = {}
    results: dict[int, list[IndicatorResult]] = {}
    for unit in units:
        if unit.unit_type not in by_type:
            by_type[unit.unit_type] = {
                code for code, rule in rules.items() if not rule.owners and rule.include(unit)
            }
        mine = frozenset(by_type[unit.unit_type] | owns.get(unit.pk, set()))
        if mine not in fed_by:
            fed = [i for i in indicators if formulas[i.pk].uses & mine]
            fed_by[mine] = fed, set().union(*(formulas[i.pk].uses for i in fed))
        fed, used = fed_by[mine]
        if not fed:
            continue
        stored = by_unit.get(unit.pk, StoredFigures())
        active = is_active_during(unit, period)
        required = {code: {unit.pk} if code in mine and active else set() for code in used}
        rolled_up = _rolled_up(used, latest & used, stored)
        results[unit.pk] = [
            _result(i, formulas[i.pk], rolled_up, stored, required, targets, year, unit.unit_type)
            for i in fed
        ]
    return results


def _split_by_unit(stored: StoredFigures) -> dict[int, StoredFigures]:
    """The figures of many units as each unit's own."""
    split: dict[int, StoredFigures] = defaultdict(StoredFigures)
    for code, values in stored.current.items():
        for unit_id, value in values.items():
            split[unit_id].current[code][unit_id] = value
    for code, latest_values in stored.newest.items():
        for unit_id, number in latest_values.items():
            split[unit_id].newest[code][unit_id] = number
    for code, ids in stored.reported_now.items():
        for unit_id in ids:
            split[unit_id].reported_now[code].add(unit_id)
    for code, ids in stored.reported_ever.items():
        for unit_id in ids:
            split[unit_id].reported_ever[code].add(unit_id)
    return split


def _with_counts(formula: _Formula, rolled_up: Figures, stored: StoredFigures) -> Figures:
    """The rolled-up figures with the units counted for the formula's count_units nodes."""
    counts = {node: _count(node, stored.current) for node in formula.counts}
    return Figures(totals=rolled_up.totals, latest=rolled_up.latest, counts=counts)


def _count(node: CountUnits, current: dict[str, dict[int, Decimal | None]]) -> int:
    compare = COMPARISONS[node.op]
    return sum(1 for v in current[node.code].values() if v is not None and compare(v, node.value))


def _ratio_parts(expr: Expr, figures: Figures) -> tuple[Decimal | None, Decimal | None]:
    """A ratio's numerator and denominator (the page shows "181.580/207.954"), else None."""
    if not isinstance(expr, Ratio):
        return None, None
    return evaluate(expr.numerator, figures), evaluate(expr.denominator, figures)


# --- a formula tried before it is saved --------------------------------------------------------


def formula_preview(formula: str, period_kind: str, period: Period, unit: Unit) -> IndicatorResult:
    """What an indicator with this formula would show for the unit's subtree and the period on
    the figures stored now (the formula editor's preview; the formula must parse). No target:
    the indicator does not exist yet."""
    trial = Indicator(code="", name="", formula=formula, period_kind=period_kind)
    return _results([trial], period, unit, subtree=True)[0]


def latest_period_with_figures(kind: str, codes: Iterable[str]) -> Period | None:
    """The latest period of the kind for which some unit stored one of these elements (else the
    latest period of the kind): where a preview has something to show."""
    periods = Period.objects.filter(kind=kind).order_by("-starts_on", "code")
    with_figures = periods.filter(
        Exists(DataValue.objects.filter(period=OuterRef("pk"), element__code__in=list(codes)))
    )
    return with_figures.first() or periods.first()


# --- live figures: when each was last updated ---------------------------------------------------


def stale_after(element: DataElement) -> timedelta | None:
    """How long a unit's figure of the element stays live: its `update_days`, else the length of
    its period kind (models.DEFAULT_UPDATE_DAYS); None for a quick report's figures."""
    days = element.update_days or models.DEFAULT_UPDATE_DAYS.get(PeriodKind(element.period_kind))
    return None if days is None else timedelta(days=days)


def last_updates(
    elements: Iterable[DataElement], units: Iterable[int], as_of: date | None = None
) -> dict[tuple[int, int], datetime]:
    """(unit id, element id) → when the unit last entered a figure of the element, for any
    period, as stored at the end of `as_of` (None: now): one query."""
    wanted = Q(element__in=[e.pk for e in elements], unit_id__in=list(units))
    if as_of is None or as_of >= timezone.localdate():
        rows: QuerySet[Any] = DataValue.objects.filter(wanted)
    else:
        history = DataValue.history.model.objects  # type: ignore[attr-defined]
        rows = history.filter(wanted, history_date__lt=end_of_day(as_of))
    latest = rows.values("unit_id", "element_id").annotate(last=Max("entered_at")).order_by()
    return {(r["unit_id"], r["element_id"]): r["last"] for r in latest}


def is_stale(element: DataElement, last: datetime | None, as_of: date | None = None) -> bool:
    """Whether a unit's figure of the element, last updated at `last`, is no longer live on
    `as_of` (None: today). A unit that never reported it has no stale figure (it is missing)."""
    interval = stale_after(element)
    if last is None or interval is None:
        return False
    today = as_of or timezone.localdate()
    return timezone.localdate(last) + interval < today


def stale_figures(
    elements: Sequence[DataElement], units: Iterable[int], as_of: date | None = None
) -> set[tuple[int, int]]:
    """The (unit id, element id) pairs whose newest figure is stale on `as_of`: one query."""
    by_pk = {e.pk: e for e in elements}
    return {
        key
        for key, last in last_updates(elements, units, as_of).items()
        if is_stale(by_pk[key[1]], last, as_of)
    }


# --- a unit's figures over time (the audit) ------------------------------------------------------


def figure_history(
    unit: Unit, *, period: Period | None = None, element: DataElement | None = None
) -> QuerySet[Any]:
    """Every change of the unit's figures, newest first (history rows of DataValue with their
    period, element and author), each with the value and text it replaced (`before_value`,
    `before_text`: the same figure's previous row; None for the first) and the reason given
    (`history_change_reason`). Nothing is ever deleted from it."""
    history = DataValue.history.model.objects  # type: ignore[attr-defined]
    rows = history.filter(unit=unit)
    if period is not None:
        rows = rows.filter(period=period)
    if element is not None:
        rows = rows.filter(element=element)
    in_order = [F("history_date").asc(), F("history_id").asc()]
    return (
        rows.annotate(
            before_value=Window(Lag("value"), partition_by=[F("id")], order_by=in_order),
            before_text=Window(Lag("text"), partition_by=[F("id")], order_by=in_order),
        )
        .select_related("period", "element", "history_user")
        .order_by("-history_date", "-history_id")
    )


def confirmations_at(unit: Unit, moments: Iterable[datetime]) -> dict[datetime, list[Any]]:
    """The warnings confirmed with the unit's figures entered at these moments (an entry's
    figures and its confirmations share one timestamp): one query."""
    found: dict[datetime, list[Any]] = defaultdict(list)
    rows = models.ConfirmedWarning.objects.filter(
        unit=unit, confirmed_at__in=list(moments)
    ).select_related("element", "confirmed_by")
    for row in rows:
        found[row.confirmed_at].append(row)
    return found


def confirmed_warnings(
    period: Period, unit: Unit, as_of: date | None = None
) -> list[models.ConfirmedWarning]:
    """The warnings confirmed on the figures of the unit's subtree for the period up to the end
    of `as_of`: what a report built from those figures carried (its traceability page)."""
    rows = models.ConfirmedWarning.objects.filter(
        period=period, unit__path__startswith=unit.path
    ).select_related("unit", "element", "confirmed_by", "rule")
    if as_of is not None:
        rows = rows.filter(confirmed_at__lt=end_of_day(as_of))
    return list(rows.order_by("unit__path", "element__code", "-confirmed_at"))
