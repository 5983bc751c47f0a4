"""Sealed periods, the one home of the rule: once a unit's report for a period has left the unit
(submitted, approved, received) or the period is closed, nothing changes the unit's figures for
the period or its task statuses dated inside the period — except a correction, which the
reporting app applies by passing `correction=True` to the lower service.

Tasks and indicators sit below reporting, so they ask here; reporting keeps the Seal rows as its
reports move (`seal` on submit, `unseal` on return or reopen).

A quick report (kind "quick") seals nothing by date: it is a one-off answer, not the account of
a span of days, so only months, quarters, halves, nine months and years seal the days they
contain. Its own
figures are still locked with the report (`figures_sealed`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org.models import Unit
from periods import calendar
from periods.models import Period, PeriodKind, Seal

DATED_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)


def seal(unit: Unit, period: Period, since: datetime) -> None:
    Seal.objects.get_or_create(unit=unit, period=period, defaults={"since": since})


def unseal(unit: Unit, period: Period) -> None:
    Seal.objects.filter(unit=unit, period=period).delete()


_RANKED = (
    PeriodKind.QUARTER,
    PeriodKind.MONTH,
    PeriodKind.HALF,
    PeriodKind.NINE_MONTHS,
    PeriodKind.YEAR,
)
_QUARTER_FIRST = Case(*(When(kind=kind, then=rank) for rank, kind in enumerate(_RANKED)))


def _sealed_or_closed(unit: Unit, now: datetime) -> Q:
    closed = Q(closes_at__isnull=False, closes_at__lte=now)
    return closed | Q(seals__unit=unit)


def sealing_period(unit: Unit, day: date) -> Period | None:
    """The period (month, quarter, half, nine months or year) containing `day` that is sealed
    for the unit or closed, if any: the quarter first, so that a message names the period
    reported on."""
    now = timezone.now()
    periods = Period.objects.filter(kind__in=DATED_KINDS, starts_on__lte=day, ends_on__gte=day)
    return (
        periods.filter(_sealed_or_closed(unit, now))
        .order_by(_QUARTER_FIRST, "starts_on", "code")
        .first()
    )


def sealing_periods(units: Iterable[Unit], day: date) -> dict[int, Period]:
    """`sealing_period` for many units at once, in two queries: each unit for which the period
    containing `day` is sealed or closed, with that period (the quarter first)."""
    ids = [unit.pk for unit in units]
    periods = Period.objects.filter(kind__in=DATED_KINDS, starts_on__lte=day, ends_on__gte=day)
    now = timezone.now()
    closed = periods.filter(closes_at__isnull=False, closes_at__lte=now)
    first_closed = closed.order_by(_QUARTER_FIRST, "starts_on", "code").first()
    if first_closed is not None:
        return dict.fromkeys(ids, first_closed)
    rank: dict[str, int] = {kind: i for i, kind in enumerate(_RANKED)}
    found: dict[int, Period] = {}
    seals = Seal.objects.filter(period__in=periods, unit_id__in=ids).select_related("period")
    for found_seal in sorted(seals, key=lambda s: (rank[s.period.kind], s.period.starts_on)):
        found.setdefault(found_seal.unit_id, found_seal.period)
    return found


def figures_sealed(unit: Unit, period: Period) -> bool:
    """Whether the unit's figures for the period are sealed: its report left the unit, or the
    period is closed."""
    if calendar.is_closed(period, timezone.now()):
        return True
    return Seal.objects.filter(unit=unit, period=period).exists()


def refusal(period: Period, day: date) -> str:
    """The message for a status dated in a sealed period, naming the period and the day."""
    message = _(
        "Kỳ %(period)s của đơn vị đã được niêm phong (%(cause)s): "
        "không sửa được trạng thái ngày %(date)s; hãy gửi đề nghị điều chỉnh."
    )
    cause = _("kỳ đã đóng") if calendar.is_closed(period, timezone.now()) else _("đã nộp báo cáo")
    when = date_format(day, "SHORT_DATE_FORMAT")
    return message % {"period": period.title, "cause": cause, "date": when}


def sealed_since(units: QuerySet[Unit], day: date) -> Period | None:
    """The first period (month, quarter, half, nine months or year) ending on or after `day`,
    up to today, that is sealed for any of `units` or closed: what a change applying from `day`
    to everything after it (a task's edit dated in the past) would reach into."""
    now = timezone.now()
    closed = Q(closes_at__isnull=False, closes_at__lte=now)
    periods = Period.objects.filter(
        kind__in=DATED_KINDS, ends_on__gte=day, starts_on__lte=timezone.localdate()
    )
    found = periods.filter(closed | Q(seals__unit__in=units))
    return found.order_by("starts_on", _QUARTER_FIRST, "code").first()
