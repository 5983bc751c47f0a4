from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from indicators import services
from indicators.models import DataElement, IndicatorSet, ValueType
from org.models import UnitType
from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from periods.models import Period, PeriodKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)


def make_period(code: str, starts_on: date, ends_on: date) -> Period:
    return Period.objects.create(
        code=code,
        kind=PeriodKind.QUARTER,
        title=code,
        starts_on=starts_on,
        ends_on=ends_on,
        opens_at=datetime(ends_on.year, ends_on.month, 1, tzinfo=TZ),
        due_at=datetime(ends_on.year, ends_on.month, ends_on.day, 17, tzinfo=TZ),
    )


@pytest.fixture
def q3(db: None) -> Period:
    return make_period("2025-Q3", date(2025, 7, 1), date(2025, 9, 30))


@pytest.fixture
def q2(db: None) -> Period:
    return make_period("2025-Q2", date(2025, 4, 1), date(2025, 6, 30))


def element(
    staff: People,
    code: str,
    value_type: str = ValueType.COUNT,
    unit_types: tuple[str, ...] = COMMUNE_TYPES,
) -> DataElement:
    return services.create_element(
        actor=staff.standing,
        code=code,
        name=code,
        value_type=value_type,
        period_kind=PeriodKind.QUARTER,
        unit_types=unit_types,
    )


def province_sets(staff: People) -> tuple[IndicatorSet, IndicatorSet]:
    """The two sets the province counts, made by the standing office: 2025–2045, then 2025."""
    long = services.save_indicator_set(
        actor=staff.standing, code="2025-2045", name="giai đoạn 2025–2045",
        first_year=2025, last_year=2045, order=1,
    )  # fmt: skip
    year = services.save_indicator_set(
        actor=staff.standing, code="2025", name="năm 2025", first_year=2025, last_year=2025,
        order=2,
    )  # fmt: skip
    return long, year
