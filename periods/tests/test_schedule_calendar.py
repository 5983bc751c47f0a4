"""The calendar of schedules: data cut-off (Decree 09/2019/NĐ-CP), working days, deadlines and the
periods a schedule asks for at a moment."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from periods import calendar
from periods.calendar import Cadence, WorkingCalendar
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.models import DayKind, Frequency, Holiday, PeriodKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR_KINDS = [
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
]


@pytest.mark.parametrize(
    ("code", "cutoff", "first", "last"),
    [
        ("2025-09", 15, date(2025, 8, 15), date(2025, 9, 14)),
        ("2025-01", 15, date(2024, 12, 15), date(2025, 1, 14)),
        ("2025-03", 15, date(2025, 2, 15), date(2025, 3, 14)),
        ("2025-Q1", 15, date(2024, 12, 15), date(2025, 3, 14)),
        ("2025-H2", 15, date(2025, 6, 15), date(2025, 12, 14)),
        ("2025-9M", 15, date(2024, 12, 15), date(2025, 9, 14)),
        ("2026", 15, date(2025, 12, 15), date(2026, 12, 14)),
        ("2025-09", 1, date(2025, 9, 1), date(2025, 9, 30)),
    ],
)
def test_period_dates_with_a_data_cutoff(code: str, cutoff: int, first: date, last: date) -> None:
    """Decree 09/2019: a month's data run from the 15th of the month before to the 14th; a
    quarter, half, nine months or year likewise from the 15th before its first month."""
    assert calendar.period_dates(code, cutoff) == (first, last)
    assert calendar.dates_match(code, first, last)


def test_dates_that_are_neither_calendar_nor_cutoff_do_not_match() -> None:
    assert not calendar.dates_match("2025-09", date(2025, 8, 15), date(2025, 9, 30))
    assert not calendar.dates_match("2025-09", date(2025, 9, 2), date(2025, 10, 1))


@given(
    day=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
    cutoff=st.integers(min_value=1, max_value=28),
    kind=st.sampled_from(CALENDAR_KINDS),
)
def test_the_period_of_a_day_contains_it(day: date, cutoff: int, kind: str) -> None:
    """Whatever the cut-off, a day belongs to one period of each kind, whose dates contain it
    and whose code is of its kind; only a nine-month period leaves days out (its last
    quarter). A span of days is covered by the periods of its first and last days."""
    codes = calendar.codes_between(kind, day, day, cutoff)
    if not codes:
        assert kind == PeriodKind.NINE_MONTHS
        return
    (code,) = codes
    assert calendar.is_valid_code(kind, code)
    first, last = calendar.period_dates(code, cutoff)
    assert first <= day <= last
    span = calendar.codes_between(kind, day - timedelta(days=40), day, cutoff)
    assert span[-1] == code and len(span) == len(set(span))


@pytest.mark.parametrize(
    ("kind", "day", "cutoff", "codes"),
    [
        (PeriodKind.MONTH, date(2025, 8, 20), 15, ["2025-09"]),
        (PeriodKind.MONTH, date(2025, 8, 14), 15, ["2025-08"]),
        (PeriodKind.YEAR, date(2025, 12, 20), 15, ["2026"]),
        (PeriodKind.NINE_MONTHS, date(2025, 10, 3), 1, []),
        (PeriodKind.NINE_MONTHS, date(2025, 9, 20), 15, []),
        (PeriodKind.QUICK, date(2025, 9, 20), 1, []),
    ],
)
def test_the_period_of_a_day(kind: str, day: date, cutoff: int, codes: list[str]) -> None:
    assert calendar.codes_between(kind, day, day, cutoff) == codes


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("2025-07", "Tháng 7/2025"),
        ("2025-Q3", "Quý III/2025"),
        ("2025-H1", "6 tháng đầu năm 2025"),
        ("2025-H2", "6 tháng cuối năm 2025"),
        ("2025-9M", "9 tháng năm 2025"),
        ("2025", "Năm 2025"),
    ],
)
def test_titles(code: str, title: str) -> None:
    assert calendar.title_for(code) == title


# --- working days ------------------------------------------------------------------------------


@pytest.fixture
def holidays_2025(db: None) -> None:
    Holiday.objects.bulk_create(
        Holiday(day=day, name=name, kind=kind) for day, name, kind in PUBLIC_HOLIDAYS[2025]
    )


def test_working_days_follow_the_holiday_calendar(
    holidays_2025: None, django_assert_num_queries
) -> None:
    days = WorkingCalendar()
    with django_assert_num_queries(1):  # one year read once
        assert not days.is_working(date(2025, 4, 30))  # Ngày Chiến thắng (Wednesday)
        assert days.is_working(date(2025, 4, 26))  # Saturday worked for the swapped 2 May
        assert not days.is_working(date(2025, 4, 27))  # an ordinary Sunday
        assert days.is_working(date(2025, 4, 29))
        # 1 and 2 May off, then the weekend: the next working day is Monday 5 May.
        assert days.on_or_after(date(2025, 5, 1)) == date(2025, 5, 5)
        assert days.after(date(2025, 4, 25), 1) == date(2025, 4, 26)
        assert days.after(date(2025, 4, 29), 1) == date(2025, 5, 5)
        assert days.after(date(2025, 4, 29), 2) == date(2025, 5, 6)


def test_after_tet_the_working_days_resume(holidays_2025: None) -> None:
    # Tết 2025: Monday 27 to Friday 31 January off; 3 working days after Friday 24 January.
    assert WorkingCalendar().after(date(2025, 1, 24), 3) == date(2025, 2, 5)


MONTHLY_DECREE_09 = Cadence(Frequency.MONTHLY, cutoff_day=15, due_day=18, due_time=time(17))


@pytest.mark.parametrize(
    ("cadence", "code", "due"),
    [
        # data to the 14th, due on the 18th of the same month
        (MONTHLY_DECREE_09, "2025-09", date(2025, 9, 18)),
        # the 18th is a Saturday: the next working day
        (MONTHLY_DECREE_09, "2025-10", date(2025, 10, 20)),
        # the 2nd of the next month, 2 September 2025 (Quốc khánh): moved to the 3rd
        (Cadence(Frequency.MONTHLY, due_day=2, due_month_offset=1), "2025-08", date(2025, 9, 3)),
        # 31st asked in a 30-day month: its last day (Tuesday 30 September)
        (Cadence(Frequency.MONTHLY, due_day=31), "2025-09", date(2025, 9, 30)),
        # three working days after the data's last day, Sunday 14 September
        (
            Cadence(Frequency.MONTHLY, cutoff_day=15, due_working_days=3),
            "2025-09",
            date(2025, 9, 17),
        ),
        # quarter, calendar months, the 5th of the next month (Sunday 5 October → Monday)
        (
            Cadence(Frequency.QUARTERLY, due_day=5, due_month_offset=1),
            "2025-Q3",
            date(2025, 10, 6),
        ),
        # three working days after Sunday 31 August: 1 and 2 September are off
        (Cadence(Frequency.MONTHLY, due_working_days=3), "2025-08", date(2025, 9, 5)),
    ],
)
def test_due_dates(holidays_2025: None, cadence: Cadence, code: str, due: date) -> None:
    _first, last = calendar.period_dates(code, cadence.cutoff_day)
    assert calendar.due_date(cadence, last, WorkingCalendar()) == due


# --- what a schedule asks for at a moment ------------------------------------------------------


def _codes(cadence: Cadence, now: datetime, first: date, last: date | None = None) -> list[str]:
    plans = calendar.planned_periods(cadence, first_day=first, last_day=last, now=now)
    return [p.code for p in plans]


NOW = datetime(2025, 10, 2, 9, 30, tzinfo=TZ)


@pytest.mark.django_db
def test_a_calendar_schedule_asks_every_period_begun_since_its_start() -> None:
    monthly = Cadence(Frequency.MONTHLY, due_day=25)
    assert _codes(monthly, NOW, date(2025, 7, 1)) == ["2025-07", "2025-08", "2025-09", "2025-10"]
    assert _codes(monthly, NOW, date(2025, 7, 1), last=date(2025, 8, 31)) == [
        "2025-07",
        "2025-08",
    ]
    # with the cut-off on the 15th, October's data began on 15 September
    cutoff = Cadence(Frequency.MONTHLY, cutoff_day=15, due_day=18)
    assert _codes(cutoff, NOW, date(2025, 9, 20)) == ["2025-10"]
    assert _codes(cutoff, NOW, date(2025, 9, 10)) == ["2025-09", "2025-10"]
    assert _codes(Cadence(Frequency.NINE_MONTHS, due_day=20), NOW, date(2025, 1, 1)) == ["2025-9M"]
    assert _codes(monthly, NOW, date(2025, 11, 1)) == []  # not begun yet


@pytest.mark.django_db
def test_a_period_carries_its_dates() -> None:
    cadence = Cadence(
        Frequency.QUARTERLY,
        due_day=5,
        due_month_offset=1,
        opens_days_before=10,
        closes_days_after=30,
    )
    (plan,) = calendar.planned_periods(
        cadence, first_day=date(2025, 7, 1), last_day=None, now=NOW - timedelta(days=10)
    )
    assert (plan.code, plan.kind, plan.title) == ("2025-Q3", PeriodKind.QUARTER, "Quý III/2025")
    assert (plan.starts_on, plan.ends_on) == (date(2025, 7, 1), date(2025, 9, 30))
    assert plan.due_at == datetime(2025, 10, 6, 17, tzinfo=TZ)  # 5/10 is a Sunday
    assert plan.opens_at == datetime(2025, 9, 26, tzinfo=TZ)
    assert plan.closes_at == datetime(2025, 11, 5, 17, tzinfo=TZ)


def test_quick_slots_are_the_running_one_and_the_next_while_not_due() -> None:
    daily = Cadence(Frequency.DAILY, due_time=time(16), prefix="BAO-LU", name="Bão số 10")
    assert _codes(daily, NOW, date(2025, 10, 1)) == ["BAO-LU-20251002", "BAO-LU-20251003"]
    evening = NOW.replace(hour=17)
    assert _codes(daily, evening, date(2025, 10, 1)) == ["BAO-LU-20251003"]
    assert _codes(daily, NOW, date(2025, 10, 1), last=date(2025, 10, 2)) == ["BAO-LU-20251002"]
    hourly = Cadence(Frequency.HOURLY, prefix="LU", name="Lũ")
    plans = calendar.planned_periods(hourly, first_day=date(2025, 10, 2), last_day=None, now=NOW)
    assert [p.code for p in plans] == ["LU-2025100209", "LU-2025100210"]
    assert plans[0].due_at == datetime(2025, 10, 2, 10, tzinfo=TZ)
    assert plans[0].title == "Lũ — 09:00 02/10/2025"
    assert all(calendar.is_valid_code(PeriodKind.QUICK, p.code) for p in plans)


def test_built_in_holidays_are_real_days_off() -> None:
    """Every built-in day off is a weekday (a weekend day would change nothing) and every
    make-up day a Saturday or Sunday; each year has Tết Dương lịch and Quốc khánh."""
    for year, rows in PUBLIC_HOLIDAYS.items():
        for day, _name, kind in rows:
            assert day.year == year
            assert (day.weekday() < 5) == (kind == DayKind.OFF), day
        days = {day for day, *_ in rows}
        assert date(year, 1, 1) in days and date(year, 9, 2) in days
