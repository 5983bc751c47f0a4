"""The period calendar's rules, in the one module that holds them."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from periods import calendar
from periods.models import Period, PeriodKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2025-09", date(2025, 9, 1), date(2025, 9, 30)),
        ("2025-02", date(2025, 2, 1), date(2025, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-H2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2025-9M", date(2025, 1, 1), date(2025, 9, 30)),
    ],
)
def test_period_dates(code: str, first: date, last: date) -> None:
    assert calendar.period_dates(code) == (first, last)


@pytest.mark.parametrize(
    ("kind", "code", "valid"),
    [
        (PeriodKind.MONTH, "2025-09", True),
        (PeriodKind.MONTH, "2025-13", False),
        (PeriodKind.QUARTER, "2025-Q3", True),
        (PeriodKind.QUARTER, "2025-Q5", False),
        (PeriodKind.HALF, "2025-H2", True),
        (PeriodKind.YEAR, "2025", True),
        (PeriodKind.YEAR, "2025-Q1", False),
        (PeriodKind.NINE_MONTHS, "2025-9M", True),
        (PeriodKind.NINE_MONTHS, "2025-8M", False),
        (PeriodKind.QUICK, "BAO-LU-10", True),
        (PeriodKind.QUICK, "bão", False),
        ("week", "2025-W01", False),
    ],
)
def test_codes_follow_their_kind(kind: str, code: str, valid: bool) -> None:
    assert calendar.is_valid_code(kind, code) is valid


def _period(opens: datetime, closes: datetime | None) -> Period:
    return Period(
        code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=opens, due_at=opens + timedelta(days=10), closes_at=closes,
    )  # fmt: skip


OPENS = datetime(2025, 9, 25, 8, tzinfo=TZ)


@given(
    offset=st.integers(min_value=-100, max_value=100),
    closes_after=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
def test_open_closed_and_the_queryset_agree(offset: int, closes_after: int | None) -> None:
    """`is_open` and `open_periods` are one rule: the object test and the database filter
    answer alike at every moment, and a closed period is never open."""
    closes = None if closes_after is None else OPENS + timedelta(days=closes_after)
    period = _period(OPENS, closes)
    now = OPENS + timedelta(days=offset)
    assert calendar.is_open(period, now) == (now >= OPENS and not calendar.is_closed(period, now))
    if calendar.is_closed(period, now):
        assert not calendar.is_open(period, now)


@pytest.mark.django_db
@pytest.mark.parametrize("closes_after", [None, 0, 5])
@pytest.mark.parametrize("offset", [-1, 0, 4, 5, 6])
def test_open_periods_is_the_queryset_of_is_open(closes_after: int | None, offset: int) -> None:
    closes = None if closes_after is None else OPENS + timedelta(days=closes_after)
    period = _period(OPENS, closes)
    period.save()
    now = OPENS + timedelta(days=offset)
    assert (period in calendar.open_periods(now)) == calendar.is_open(period, now)
