"""The period calendar, in one place: how periods are named, their dates (with the data cut-off of
Decree 09/2019/NĐ-CP), working days and deadlines, the periods a schedule asks for, and which
period is open or current at a moment. Every page, report, job and command asks here."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone

from periods.models import DayKind, Frequency, Holiday, Period, PeriodKind

# How each kind of period is named: 2025-09, 2025-Q3, 2025-H2, 2025-9M, 2025; quick reports name
# themselves.
CODE_PATTERNS: dict[str, str] = {
    PeriodKind.MONTH: r"\d{4}-(0[1-9]|1[0-2])",
    PeriodKind.QUARTER: r"\d{4}-Q[1-4]",
    PeriodKind.HALF: r"\d{4}-H[12]",
    PeriodKind.NINE_MONTHS: r"\d{4}-9M",
    PeriodKind.YEAR: r"\d{4}",
    PeriodKind.QUICK: r"[A-Z0-9][A-Z0-9-]{1,39}",
}
# The kind of period each schedule frequency creates.
FREQUENCY_KIND: dict[str, str] = {
    Frequency.MONTHLY: PeriodKind.MONTH,
    Frequency.QUARTERLY: PeriodKind.QUARTER,
    Frequency.HALF_YEARLY: PeriodKind.HALF,
    Frequency.NINE_MONTHS: PeriodKind.NINE_MONTHS,
    Frequency.YEARLY: PeriodKind.YEAR,
    Frequency.DAILY: PeriodKind.QUICK,
    Frequency.HOURLY: PeriodKind.QUICK,
}
# The data cut-off day: 1 is the calendar month; 15 is Decree 09/2019's "from the 15th of the
# month before to the 14th". Beyond 28 a month would have no such day.
MAX_CUTOFF_DAY = 28
ROMAN = ("I", "II", "III", "IV")


def is_valid_code(kind: str, code: str) -> bool:
    return kind in CODE_PATTERNS and re.fullmatch(CODE_PATTERNS[kind], code) is not None


def _add_months(first: date, months: int) -> date:
    """The first day of the month `months` after the month of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_dates(code: str, cutoff_day: int = 1) -> tuple[date, date]:
    """First and last day of the data of a period named 2025-09, 2025-Q3, 2025-H2, 2025-9M or
    2025: the calendar months (`cutoff_day` 1), or from the cut-off day of the month before the
    first month to the day before the cut-off in the last month (Decree 09/2019: the 15th to the
    14th; a year then runs from 15/12 of the year before to 14/12)."""
    year, _sep, part = code.partition("-")
    first_month, months = 1, 12
    if part.startswith("Q"):
        first_month, months = 3 * int(part[1]) - 2, 3
    elif part.startswith("H"):
        first_month, months = 6 * int(part[1]) - 5, 6
    elif part == "9M":
        months = 9
    elif part:
        first_month, months = int(part), 1
    start = date(int(year), first_month, 1)
    after = _add_months(start, months)
    if cutoff_day > 1:
        start = _add_months(start, -1).replace(day=cutoff_day)
        after = _add_months(after, -1).replace(day=cutoff_day)
    return start, after - timedelta(days=1)


def dates_match(code: str, starts_on: date, ends_on: date) -> bool:
    """Whether a period's dates are those of its code: the calendar months, or shifted by a
    data cut-off day (the day its data starts on)."""
    cutoff = starts_on.day if 1 < starts_on.day <= MAX_CUTOFF_DAY else 1
    return (starts_on, ends_on) == period_dates(code, cutoff)


def _data_month(day: date, cutoff_day: int) -> date:
    """The first day of the month whose data `day` belongs to (with a cut-off on the 15th, the
    16th of July already counts for August)."""
    first = day.replace(day=1)
    return _add_months(first, 1) if cutoff_day > 1 and day.day >= cutoff_day else first


def _code_of_month(kind: str, month: date) -> str | None:
    year, number = month.year, month.month
    codes: dict[str, str | None] = {
        PeriodKind.MONTH: f"{year}-{number:02d}",
        PeriodKind.QUARTER: f"{year}-Q{(number - 1) // 3 + 1}",
        PeriodKind.HALF: f"{year}-H{1 if number <= 6 else 2}",
        PeriodKind.NINE_MONTHS: f"{year}-9M" if number <= 9 else None,
        PeriodKind.YEAR: f"{year}",
    }
    return codes.get(kind)


def codes_between(kind: str, first: date, last: date, cutoff_day: int = 1) -> list[str]:
    """The codes of the periods of `kind` whose data contain a day from `first` to `last`."""
    codes: list[str] = []
    month, end = _data_month(first, cutoff_day), _data_month(last, cutoff_day)
    while month <= end:
        code = _code_of_month(kind, month)
        if code is not None and code not in codes:
            codes.append(code)
        month = _add_months(month, 1)
    return codes


def title_for(code: str) -> str:
    """How the province names a calendar period: Tháng 7/2025, Quý III/2025, 6 tháng đầu năm
    2025, 9 tháng năm 2025, Năm 2025 (stored with the period, in Vietnamese, like its code)."""
    year, _sep, part = code.partition("-")
    if not part:
        return f"Năm {year}"
    if part.startswith("Q"):
        return f"Quý {ROMAN[int(part[1]) - 1]}/{year}"
    if part.startswith("H"):
        return f"6 tháng {'đầu' if part == 'H1' else 'cuối'} năm {year}"
    if part == "9M":
        return f"9 tháng năm {year}"
    return f"Tháng {int(part)}/{year}"


# --- working days ------------------------------------------------------------------------------


class WorkingCalendar:
    """Working days: Monday to Friday, except the standing office's Holiday rows (days off, and
    weekend days worked instead). The rows are read one year at a time, one query per year."""

    def __init__(self) -> None:
        self._years: dict[int, dict[date, str]] = {}

    def _exceptions(self, year: int) -> dict[date, str]:
        if year not in self._years:
            rows = Holiday.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31))
            self._years[year] = dict(rows.values_list("day", "kind"))
        return self._years[year]

    def is_working(self, day: date) -> bool:
        kind = self._exceptions(day.year).get(day)
        if kind is not None:
            return kind == DayKind.WORKING
        return day.weekday() < 5

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, else the next one (a deadline falling on a day off
        moves to the next working day)."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def after(self, day: date, count: int) -> date:
        """The `count`-th working day after `day`."""
        for _step in range(count):
            day = self.on_or_after(day + timedelta(days=1))
        return day


# --- what a schedule asks for ------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    """A schedule's rhythm, as the calendar needs it (reporting.models.Schedule.cadence).

    The due date of a calendar period is the `due_day` of the month its data ends in (or
    `due_month_offset` months later), moved to the next working day when it falls on a day off;
    or, with `due_working_days`, that many working days after its data's last day. Reports open
    `opens_days_before` days before the due date and close `closes_days_after` days after it
    (never by themselves when None). A daily quick report is due at `due_time` on its day; an
    hourly one at the end of its hour."""

    frequency: str
    cutoff_day: int = 1
    due_day: int | None = None
    due_month_offset: int = 0
    due_working_days: int | None = None
    due_time: time = time(17)
    opens_days_before: int = 5
    closes_days_after: int | None = None
    prefix: str = ""  # quick reports: the start of their codes (the schedule's code)
    name: str = ""  # quick reports: the start of their titles (the schedule's name)

    @property
    def kind(self) -> str:
        return FREQUENCY_KIND[self.frequency]


@dataclass(frozen=True)
class PlannedPeriod:
    code: str
    kind: str
    title: str
    starts_on: date
    ends_on: date
    opens_at: datetime
    due_at: datetime
    closes_at: datetime | None


def _at(day: date, moment: time = time.min) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def due_date(cadence: Cadence, ends_on: date, workdays: WorkingCalendar) -> date:
    if cadence.due_working_days:
        return workdays.after(ends_on, cadence.due_working_days)
    month = _add_months(ends_on.replace(day=1), cadence.due_month_offset)
    day = min(cadence.due_day or 1, monthrange(month.year, month.month)[1])
    return workdays.on_or_after(month.replace(day=day))


def _calendar_period(cadence: Cadence, code: str, workdays: WorkingCalendar) -> PlannedPeriod:
    starts_on, ends_on = period_dates(code, cadence.cutoff_day)
    due = due_date(cadence, ends_on, workdays)
    due_at = _at(due, cadence.due_time)
    return PlannedPeriod(
        code=code,
        kind=cadence.kind,
        title=title_for(code),
        starts_on=starts_on,
        ends_on=ends_on,
        opens_at=_at(due - timedelta(days=cadence.opens_days_before)),
        due_at=due_at,
        closes_at=_closes(cadence, due_at),
    )


def _closes(cadence: Cadence, due_at: datetime) -> datetime | None:
    if cadence.closes_days_after is None:
        return None
    return due_at + timedelta(days=cadence.closes_days_after)


def _quick_slots(cadence: Cadence, now: datetime) -> Iterator[PlannedPeriod]:
    """The slot running at `now` and the next one (created an hour or a day ahead)."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    if cadence.frequency == Frequency.HOURLY:
        start = local.replace(minute=0, second=0, microsecond=0)
        for step in (0, 1):
            opens = start + timedelta(hours=step)
            yield PlannedPeriod(
                code=f"{cadence.prefix}-{opens:%Y%m%d%H}",
                kind=PeriodKind.QUICK,
                title=f"{cadence.name} — {opens:%H}:00 {opens:%d/%m/%Y}",
                starts_on=opens.date(),
                ends_on=opens.date(),
                opens_at=opens,
                due_at=opens + timedelta(hours=1),
                closes_at=_closes(cadence, opens + timedelta(hours=1)),
            )
        return
    for step in (0, 1):
        day = local.date() + timedelta(days=step)
        due_at = _at(day, cadence.due_time)
        yield PlannedPeriod(
            code=f"{cadence.prefix}-{day:%Y%m%d}",
            kind=PeriodKind.QUICK,
            title=f"{cadence.name} — {day:%d/%m/%Y}",
            starts_on=day,
            ends_on=day,
            opens_at=_at(day),
            due_at=due_at,
            closes_at=_closes(cadence, due_at),
        )


def planned_periods(
    cadence: Cadence, *, first_day: date, last_day: date | None, now: datetime
) -> list[PlannedPeriod]:
    """The periods a schedule should have by `now`: for a calendar rhythm every period whose
    data has begun, from the one holding `first_day` (a missed run catches up); for a quick
    rhythm the slot running now and the next, while not yet due. None whose data begins after
    `last_day`."""
    today = timezone.localdate(now)
    if cadence.kind == PeriodKind.QUICK:
        slots = [s for s in _quick_slots(cadence, now) if s.due_at > now]
    else:
        workdays = WorkingCalendar()
        codes = codes_between(cadence.kind, first_day, today, cadence.cutoff_day)
        slots = [_calendar_period(cadence, code, workdays) for code in codes]
        slots = [s for s in slots if s.starts_on <= today]
    return [
        s for s in slots if s.ends_on >= first_day and (last_day is None or s.starts_on <= last_day)
    ]


# --- open, closed, current ---------------------------------------------------------------------


def is_closed(period: Period, now: datetime) -> bool:
    """Closed by the standing office: no report, figure or reminder from `closes_at` on."""
    return period.closes_at is not None and period.closes_at <= now


def is_open(period: Period, now: datetime) -> bool:
    """Taking reports: opened and not yet closed."""
    return period.opens_at <= now and not is_closed(period, now)


def open_periods(now: datetime) -> QuerySet[Period]:
    """The periods `is_open` at `now`, as a queryset."""
    return Period.objects.filter(opens_at__lte=now).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the project's time zone (Asia/Ho_Chi_Minh): what was
    stored "on or before `day`" was stored before it."""
    return datetime.combine(
        day + timedelta(days=1), time.min, tzinfo=timezone.get_default_timezone()
    )


def current_period(as_of: date) -> Period | None:
    """The period being reported on `as_of`: the latest quarter already open for reports by
    the end of that day, else the latest such month. Periods are created ahead (a quarter
    that starts before as_of but opens only at its end is not yet "this period")."""
    opened = Period.objects.filter(
        kind__in=[PeriodKind.QUARTER, PeriodKind.MONTH], opens_at__lt=end_of_day(as_of)
    )
    quarters_first = Case(When(kind=PeriodKind.QUARTER, then=0), default=1)
    return opened.order_by(quarters_first, "-opens_at", "-starts_on", "code").first()
