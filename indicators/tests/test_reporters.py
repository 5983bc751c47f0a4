"""Which units report a data element, in one place (queries.Reporters, units_reporting): the
element's owners when it has some, else the units of its reporting types, and only units active
during the period (not closed before it starts, not opened after it ends). The roll-up's
coverage, the indicator page, validation and record_value all follow it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators import services
from indicators.models import DataElement, DataValue, ValueType
from indicators.queries import (
    Reporters,
    elements_reported_by,
    indicator_value,
    is_active_during,
    reporters,
    reporters_by_code,
    units_reporting,
)
from indicators.tests.conftest import element
from indicators.tests.test_rollup import indicator
from org.models import REPORTING_TYPES, Unit, UnitType
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


def owned_by_dept(people: People, tree: Tree) -> DataElement:
    return services.create_element(
        actor=people.standing, code="PS_4G", name="PS_4G", value_type=ValueType.PERCENT,
        period_kind=PeriodKind.QUARTER, unit_types=(UnitType.DEPARTMENT,),
        reporting_units=[tree.dept],
    )  # fmt: skip


def codes(units: object) -> set[str]:
    return {u.code for u in units}  # type: ignore[attr-defined]


def set_active(unit: Unit, **dates: object) -> None:
    Unit.objects.filter(pk=unit.pk).update(**dates)
    unit.refresh_from_db()


def test_owners_else_reporting_types(tree: Tree, people: People, q3: Period) -> None:
    by_type = element(people, "DVC_ONLINE")  # wards and communes
    by_owner = owned_by_dept(people, tree)
    every_type = services.create_element(
        actor=people.standing, code="ALL", name="ALL", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER,
    )  # fmt: skip
    assert reporters(every_type).types == frozenset(REPORTING_TYPES)
    rules = reporters_by_code()
    assert rules["PS_4G"] == Reporters(frozenset({UnitType.DEPARTMENT}), frozenset({tree.dept.pk}))
    assert rules == {e.code: reporters(e) for e in (by_type, by_owner, every_type)}
    assert codes(units_reporting([rules["DVC_ONLINE"]], q3)) == {"16681", "16690"}
    # the owner alone, though another department has the element's type
    assert codes(units_reporting([rules["PS_4G"]], q3)) == {"SKHCN"}
    assert rules["PS_4G"].include(tree.dept) and not rules["PS_4G"].include(tree.other_dept)
    assert rules["DVC_ONLINE"].include(tree.commune) and not rules["DVC_ONLINE"].include(tree.dept)
    both = units_reporting([rules["DVC_ONLINE"], rules["PS_4G"]], q3)
    assert codes(both) == {"16681", "16690", "SKHCN"}


def test_a_units_own_elements_follow_the_same_rule(tree: Tree, people: People) -> None:
    """The home page's one-row-per-element read agrees with the rule for every unit."""
    element(people, "DVC_ONLINE")
    owned_by_dept(people, tree)
    services.create_element(
        actor=people.standing, code="ALL", name="ALL", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER,
    )  # fmt: skip
    rules = reporters_by_code()
    for unit in Unit.objects.all():
        expected = {code for code, rule in rules.items() if rule.include(unit)}
        assert elements_reported_by(unit) == expected, unit.code
    assert elements_reported_by(tree.dept) == {"PS_4G", "ALL"}
    assert elements_reported_by(tree.other_dept) == {"ALL"}


def test_only_units_active_during_the_period(tree: Tree, people: People, q3: Period) -> None:
    rule = reporters(element(people, "DVC_ONLINE"))
    set_active(tree.other_commune, active_from=q3.ends_on + timedelta(days=1))  # formed later
    assert codes(units_reporting([rule], q3)) == {"16681"}
    set_active(tree.other_commune, active_from=q3.ends_on)  # formed on its last day: reports
    assert codes(units_reporting([rule], q3)) == {"16681", "16690"}
    set_active(tree.commune, active_to=q3.starts_on - timedelta(days=1))  # closed before
    assert codes(units_reporting([rule], q3)) == {"16690"}
    set_active(tree.commune, active_to=q3.starts_on)  # closed during it: still reports
    assert codes(units_reporting([rule], q3)) == {"16681", "16690"}
    set_active(tree.other_commune, active_from=q3.ends_on + timedelta(days=1))
    units = Unit.objects.filter(code__in=["16681", "16690"])
    assert {u.code for u in units if is_active_during(u, q3)} == codes(units_reporting([rule], q3))


def test_the_roll_up_and_the_page_leave_out_a_commune_not_yet_formed(
    tree: Tree, people: People, q3: Period
) -> None:
    element(people, "DVC_ONLINE")
    online = indicator(people, "SO_DVC", "sum(DVC_ONLINE)")
    services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3,
        element=DataElement.objects.get(code="DVC_ONLINE"), value=Decimal(5),
    )  # fmt: skip
    address = reverse("indicators:detail", args=["SO_DVC"]) + "?period=2025-Q3&unit=P"
    content = client_for(people.standing).get(address).content.decode()
    assert content.count('data-testid="unit-row"') == 2
    coverage = indicator_value(online, q3, tree.province).coverage
    assert (coverage.reported, coverage.required) == (1, 2)
    set_active(tree.other_commune, active_from=q3.ends_on + timedelta(days=1))
    coverage = indicator_value(online, q3, tree.province).coverage
    assert (coverage.reported, coverage.required) == (1, 1)
    content = client_for(people.standing).get(address).content.decode()
    assert content.count('data-testid="unit-row"') == 1


def test_a_unit_records_nothing_for_a_period_before_it_was_formed(
    tree: Tree, people: People, q3: Period
) -> None:
    online = element(people, "DVC_ONLINE")
    set_active(tree.commune, active_from=q3.ends_on + timedelta(days=1))
    with pytest.raises(ValidationError, match="bắt đầu hoạt động sau kỳ này"):
        services.record_value(
            actor=people.reporter, unit=tree.commune, period=q3, element=online, value=1
        )
    assert not DataValue.objects.exists()
    set_active(tree.commune, active_from=q3.ends_on)
    services.record_value(
        actor=people.reporter, unit=tree.commune, period=q3, element=online, value=1
    )
    assert is_active_during(tree.commune, q3)
