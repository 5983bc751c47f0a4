"""The period calendar, in one place: how periods are named, their dates, and which period is
open or current at a moment. Every page, report, job and command asks here."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone

from periods.models import Period, PeriodKind

# How each kind of period is named: 2025-09, 2025-Q3, 2025-H2, 2025; quick reports name themselves.
CODE_PATTERNS: dict[str, str] = {
    PeriodKind.MONTH: r"\d{4}-(0[1-9]|1[0-2])",
    PeriodKind.QUARTER: r"\d{4}-Q[1-4]",
    PeriodKind.HALF: r"\d{4}-H[12]",
    PeriodKind.YEAR: r"\d{4}",
    PeriodKind.QUICK: r"[A-Z0-9][A-Z0-9-]{1,39}",
}


def is_valid_code(kind: str, code: str) -> bool:
    return kind in CODE_PATTERNS and re.fullmatch(CODE_PATTERNS[kind], code) is not None


def period_dates(code: str) -> tuple[date, date]:
    """First and last day of a calendar period named 2025-09, 2025-Q3, 2025-H2 or 2025."""
    year, _sep, part = code.partition("-")
    first_month, months = 1, 12
    if part.startswith("Q"):
        first_month, months = 3 * int(part[1]) - 2, 3
    elif part.startswith("H"):
        first_month, months = 6 * int(part[1]) - 5, 6
    elif part:
        first_month, months = int(part), 1
    start = date(int(year), first_month, 1)
    end_month = first_month + months
    after = date(int(year) + end_month // 13, (end_month - 1) % 12 + 1, 1)
    return start, after - timedelta(days=1)


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


def current_period(as_of: date) -> Period | None:
    """The period being reported on `as_of`: the latest quarter already open for reports by
    the end of that day, else the latest such month. Periods are created ahead (a quarter
    that starts before as_of but opens only at its end is not yet "this period")."""
    day_after = datetime.combine(as_of + timedelta(days=1), time.min)
    opened = Period.objects.filter(
        kind__in=[PeriodKind.QUARTER, PeriodKind.MONTH],
        opens_at__lt=timezone.make_aware(day_after),
    )
    quarters_first = Case(When(kind=PeriodKind.QUARTER, then=0), default=1)
    return opened.order_by(quarters_first, "-opens_at", "-starts_on", "code").first()
