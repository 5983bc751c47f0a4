"""Roll-up through the unit tree: sums of the figures first, then the formula."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import services
from indicators.models import Direction, Evaluation, Indicator
from indicators.queries import (
    indicator_overview,
    indicator_value,
    indicator_values,
)
from indicators.tests.conftest import element, province_sets
from org.models import UnitType
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


def indicator(people: People, code: str, formula: str, **fields: object) -> Indicator:
    values: dict[str, object] = {
        "unit_label": "%",
        "legal_source": "Nghị quyết 57-NQ/TW",
        "period_kind": PeriodKind.QUARTER,
    }
    return services.create_indicator(
        actor=people.standing,
        code=code,
        name=code,
        formula=formula,
        **{**values, **fields},  # type: ignore[arg-type]
    )


def enter(people: People, unit: object, period: Period, code: str, value: int) -> None:
    from indicators.models import DataElement

    reporter = people.reporter if unit == people.reporter.unit else people.other_reporter
    services.record_value(
        actor=reporter,
        unit=unit,  # type: ignore[arg-type]
        period=period,
        element=DataElement.objects.get(code=code),
        value=value,
    )


@pytest.fixture
def online_rate(tree: Tree, people: People, q3: Period) -> Indicator:
    element(people, "DVC_ONLINE")
    element(people, "DVC_TOTAL")
    return indicator(people, "TL_DVC", "ratio(DVC_ONLINE, DVC_TOTAL)")


def test_sums_then_ratio_never_the_average_of_percentages(
    tree: Tree, people: People, q3: Period, online_rate: Indicator
) -> None:
    enter(people, tree.commune, q3, "DVC_ONLINE", 90)
    enter(people, tree.commune, q3, "DVC_TOTAL", 100)
    enter(people, tree.other_commune, q3, "DVC_ONLINE", 1)
    enter(people, tree.other_commune, q3, "DVC_TOTAL", 10)

    a = indicator_value(online_rate, q3, tree.commune)
    b = indicator_value(online_rate, q3, tree.other_commune)
    assert (a.value, b.value) == (90, 10)
    averaged = (a.value + b.value) / 2
    assert averaged == 50

    both = indicator_value(online_rate, q3, tree.communes)
    assert (both.numerator, both.denominator) == (91, 110)
    assert round(both.value, 1) == Decimal("82.7")  # type: ignore[arg-type]
    assert both.value != averaged
    assert (both.coverage.reported, both.coverage.required) == (2, 2)
    # The province sums the same two communes; departments do not report these elements.
    assert indicator_value(online_rate, q3, tree.province).value == both.value
    # Only the bloc's own figures: it reports none.
    own = indicator_value(online_rate, q3, tree.communes, subtree=False)
    assert own.value is None and own.achieved == "no_data"
    assert (own.coverage.reported, own.coverage.required) == (0, 0)


def test_coverage_counts_units_that_reported(
    tree: Tree, people: People, q3: Period, online_rate: Indicator
) -> None:
    enter(people, tree.commune, q3, "DVC_ONLINE", 5)
    enter(people, tree.commune, q3, "DVC_TOTAL", 10)
    result = indicator_value(online_rate, q3, tree.province)
    assert result.value == 50
    assert (result.coverage.reported, result.coverage.required) == (1, 2)


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        # Party members with the new card: 181.580 of 207.954 → 87,3%.
        (((100_000, 120_000), (81_580, 87_954)), Decimal("87.3")),
        # Commune dossiers received online: 136.784 of 184.523 → 74,13%.
        (((70_000, 100_000), (66_784, 84_523)), Decimal("74.13")),
    ],
)
def test_seed_ratio_from_raw_figures(
    tree: Tree,
    people: People,
    q3: Period,
    online_rate: Indicator,
    parts: tuple[tuple[int, int], tuple[int, int]],
    shown: Decimal,
) -> None:
    for unit, (num, den) in zip((tree.commune, tree.other_commune), parts, strict=True):
        enter(people, unit, q3, "DVC_ONLINE", num)
        enter(people, unit, q3, "DVC_TOTAL", den)
    result = indicator_value(online_rate, q3, tree.province)
    assert result.value is not None
    assert round(result.value, -shown.as_tuple().exponent) == shown  # type: ignore[operator]
    assert result.numerator == sum(p[0] for p in parts)
    assert result.denominator == sum(p[1] for p in parts)


def test_targets_and_achievement_follow_direction_year_and_unit_type(
    tree: Tree, people: People, q3: Period, online_rate: Indicator
) -> None:
    enter(people, tree.commune, q3, "DVC_ONLINE", 80)
    enter(people, tree.commune, q3, "DVC_TOTAL", 100)
    assert indicator_value(online_rate, q3, tree.province).achieved == "no_data"

    services.set_target(actor=people.standing, indicator=online_rate, value=Decimal(90))
    result = indicator_value(online_rate, q3, tree.province)
    assert (result.target, result.achieved) == (90, "not_met")  # the 2025–2045 target

    services.set_target(actor=people.standing, indicator=online_rate, value=Decimal(80), year=2025)
    result = indicator_value(online_rate, q3, tree.province)
    assert (result.target, result.achieved) == (80, "met")  # the year's target comes first

    services.set_target(
        actor=people.standing,
        indicator=online_rate,
        value=Decimal(85),
        year=2025,
        unit_type=UnitType.WARD,
    )
    assert indicator_value(online_rate, q3, tree.commune).target == 85  # a ward's own target
    assert indicator_value(online_rate, q3, tree.province).target == 80

    Indicator.objects.filter(pk=online_rate.pk).update(direction=Direction.LOWER)
    online_rate.refresh_from_db()
    assert indicator_value(online_rate, q3, tree.province).achieved == "met"  # 80 <= 80
    assert indicator_value(online_rate, q3, tree.commune).achieved == "met"  # 80 <= 85
    services.set_target(actor=people.standing, indicator=online_rate, value=Decimal(70), year=2025)
    assert indicator_value(online_rate, q3, tree.province).achieved == "not_met"


def test_latest_takes_each_units_most_recent_value(
    tree: Tree, people: People, q2: Period, q3: Period
) -> None:
    element(people, "BTS_5G")
    total = indicator(people, "SO_BTS", "latest(BTS_5G)")
    this_quarter = indicator(people, "SO_BTS_KY", "BTS_5G")
    enter(people, tree.commune, q2, "BTS_5G", 4)
    enter(people, tree.other_commune, q2, "BTS_5G", 7)
    enter(people, tree.other_commune, q3, "BTS_5G", 9)
    assert indicator_value(total, q3, tree.province).value == 4 + 9
    assert indicator_value(total, q2, tree.province).value == 4 + 7
    assert indicator_value(this_quarter, q3, tree.province).value == 9
    assert indicator_value(total, q3, tree.province).coverage.reported == 2


def test_count_units_counts_units_by_their_own_value(
    tree: Tree, people: People, q3: Period
) -> None:
    element(people, "KH_BAN_HANH")
    plans = indicator(people, "XA_CO_KH", "count_units(KH_BAN_HANH > 0)", unit_label="xã")
    share = indicator(people, "TL_XA_CO_KH", "ratio(count_units(KH_BAN_HANH > 0), 2)")
    enter(people, tree.commune, q3, "KH_BAN_HANH", 1)
    enter(people, tree.other_commune, q3, "KH_BAN_HANH", 0)
    assert indicator_value(plans, q3, tree.province).value == 1
    result = indicator_value(share, q3, tree.province)
    assert (result.value, result.numerator, result.denominator) == (50, 1, 2)


def test_query_count_does_not_grow_with_indicators(
    tree: Tree, people: People, q3: Period, online_rate: Indicator
) -> None:
    enter(people, tree.commune, q3, "DVC_ONLINE", 90)
    enter(people, tree.commune, q3, "DVC_TOTAL", 100)
    with CaptureQueriesContext(connection) as one:
        indicator_values(q3, tree.province)
    for i in range(5):
        indicator(people, f"EXTRA{i}", f"sum(DVC_ONLINE, {i}) + latest(DVC_TOTAL)")
    with CaptureQueriesContext(connection) as six:
        results = indicator_values(q3, tree.province)
    assert len(results) == 6
    assert len(six) == len(one)
    with CaptureQueriesContext(connection) as single:
        indicator_value(online_rate, q3, tree.province)
    assert len(single) <= 4


def test_achievement_per_set(tree: Tree, people: People, q3: Period) -> None:
    element(people, "DVC_ONLINE")
    long, year = province_sets(people)
    met = indicator(people, "A", "DVC_ONLINE", sets=(year, long))
    missed = indicator(
        people,
        "B",
        "DVC_ONLINE * 2",
        sets=(long,),
        evaluation=Evaluation.PROVISIONAL,
        method_note="Tạm tính theo số hồ sơ",
        legal_source="",
    )
    indicator(people, "C", "DVC_ONLINE", sets=(long,))  # no target: no data
    indicator(people, "D", "DVC_ONLINE")  # in no set
    for ind, target in ((met, 10), (missed, 100)):
        services.set_target(actor=people.standing, indicator=ind, value=Decimal(target))
    enter(people, tree.commune, q3, "DVC_ONLINE", 12)
    sets = ("2025", "2025-2045")
    overview = indicator_overview(q3, tree.province, sets=sets)
    assert overview.achievement == {"2025": (1, 1), "2025-2045": (1, 3)}
    for name in sets:  # a set asked alone counts the same
        assert (
            indicator_overview(q3, tree.province, sets=(name,)).achievement[name]
            == (overview.achievement[name])
        )


def test_overview_gives_the_values_and_the_sets_from_one_evaluation(
    tree: Tree, people: People, q3: Period
) -> None:
    element(people, "DVC_ONLINE")
    long, year = province_sets(people)
    met = indicator(people, "A", "DVC_ONLINE", sets=(year, long))
    yearly = indicator(people, "Y", "DVC_ONLINE * 2", period_kind=PeriodKind.YEAR, sets=(long,))
    indicator(people, "Q", "DVC_ONLINE * 3")  # the period's kind, in no set
    for ind, target in ((met, 10), (yearly, 100)):
        services.set_target(actor=people.standing, indicator=ind, value=Decimal(target))
    enter(people, tree.commune, q3, "DVC_ONLINE", 12)
    sets = ("2025", "2025-2045")
    with CaptureQueriesContext(connection) as both:
        overview = indicator_overview(q3, tree.province, sets=sets)
    with CaptureQueriesContext(connection) as values_only:
        values = indicator_values(q3, tree.province)
    # the yearly indicator counts in its set but is not among the quarter's values
    assert [r.code for r in overview.values] == ["A", "Q"]
    assert overview.values == values
    assert overview.achievement == {"2025": (1, 1), "2025-2045": (1, 2)}
    assert len(both) == len(values_only)
