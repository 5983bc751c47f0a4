"""A figure owned by one unit (reporting_units): only its owner must and may report it, whatever
the other units of its type; coverage counts the owner alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators import services
from indicators.models import DataElement, DataValue, ValueType
from indicators.queries import indicator_value
from indicators.tests.test_rollup import indicator
from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from periods.models import Period, PeriodKind

pytestmark = pytest.mark.django_db


def owned(people: People, tree: Tree, code: str = "PS_4G") -> DataElement:
    return services.create_element(
        actor=people.standing,
        code=code,
        name=code,
        value_type=ValueType.PERCENT,
        period_kind=PeriodKind.QUARTER,
        unit_types=(UnitType.DEPARTMENT,),
        reporting_units=[tree.dept],
    )


def test_only_the_owner_may_report(tree: Tree, people: People, q3: Period) -> None:
    element = owned(people, tree)
    assert list(element.reporting_units.all()) == [tree.dept]
    other = UserFactory(username="bcsyt", unit=tree.other_dept, role=people.dept_reporter.role)
    with pytest.raises(ValidationError) as caught:
        services.record_value(
            actor=other, unit=tree.other_dept, period=q3, element=element, value=Decimal(99)
        )
    assert "unit" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.record_values(
            actor=other, unit=tree.other_dept, period=q3, values={"PS_4G": Decimal(99)}
        )
    assert not DataValue.objects.exists()
    services.record_value(
        actor=people.dept_reporter, unit=tree.dept, period=q3, element=element, value=Decimal(99)
    )
    assert DataValue.objects.get().unit == tree.dept


def test_coverage_counts_the_owner_alone(tree: Tree, people: People, q3: Period) -> None:
    owned(people, tree)
    services.create_element(
        actor=people.standing, code="SO_KH", name="SO_KH", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER, unit_types=(UnitType.DEPARTMENT,),
    )  # fmt: skip
    coverage = indicator(people, "HT_4G", "PS_4G")
    every_department = indicator(people, "SO", "sum(SO_KH)")
    result = indicator_value(coverage, q3, tree.province)
    assert (result.coverage.reported, result.coverage.required) == (0, 1)
    result = indicator_value(every_department, q3, tree.province)
    assert (result.coverage.reported, result.coverage.required) == (0, 2)
    services.record_value(
        actor=people.dept_reporter,
        unit=tree.dept,
        period=q3,
        element=DataElement.objects.get(code="PS_4G"),
        value=Decimal("99.5"),
    )
    result = indicator_value(coverage, q3, tree.province)
    assert (result.coverage.reported, result.coverage.required) == (1, 1)
    assert result.value == Decimal("99.5")
    # below the province: the owner's own subtree counts it, the communes none
    assert indicator_value(coverage, q3, tree.agencies).coverage.required == 1
    assert indicator_value(coverage, q3, tree.communes).coverage.required == 0
