"""The dashboard's indicators as of its date: the figures as stored at the end of that day
(indicators.queries, as_of), not as they are now."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
import time_machine

from dashboard.filters import DashboardFilters
from dashboard.queries import dashboard
from dashboard.tests.test_dashboard import work  # noqa: F401  (fixture)
from indicators import services
from indicators.models import ValueType
from indicators.tests.conftest import TZ
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("work")]


def at(day: date) -> time_machine.travel:
    return time_machine.travel(datetime.combine(day, time(10), tzinfo=TZ), tick=False)


def test_the_dashboard_reads_the_indicators_as_of_its_date(people: People, tree: Tree) -> None:
    element = services.create_element(
        actor=people.standing, code="E1", name="Số xã có 5G", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER,
    )  # fmt: skip
    services.create_indicator(
        actor=people.standing, code="I1", name="Số xã có 5G", formula="E1",
        period_kind=PeriodKind.QUARTER, legal_source="Quyết định 1",
    )  # fmt: skip
    q3 = Period.objects.get(code="2025-Q3")
    for day, value in ((date(2025, 10, 10), 5), (date(2025, 10, 20), 7)):
        with at(day):
            services.record_value(
                actor=people.standing, unit=tree.commune, period=q3, element=element, value=value
            )

    def shown(as_of: date) -> list[Decimal | None]:
        board = dashboard(people.province_viewer, DashboardFilters(as_of=as_of))
        assert board.period == q3
        return [r.value for r in board.indicators]

    with at(date(2025, 10, 25)):
        assert shown(date(2025, 10, 9)) == [None]
        assert shown(date(2025, 10, 15)) == [Decimal(5)]
        assert shown(date(2025, 10, 25)) == [Decimal(7)]
