"""Every write to the period calendar's own data: the holidays (working-day deadlines read them).
One transaction each, the standing office's permission checked inside, history kept."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org import access
from org.access import Action
from org.models import User
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.models import DayKind, Holiday


def _save(actor: User, holiday: Holiday) -> Holiday:
    holiday.full_clean()
    holiday._history_user = actor  # type: ignore[attr-defined]
    holiday.save()
    return holiday


@transaction.atomic
def add_holiday(*, actor: User, day: date, name: str, kind: str = DayKind.OFF) -> Holiday:
    """A day off (or a weekend day worked instead). One row per day."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if Holiday.objects.filter(day=day).exists():
        when = date_format(day, "SHORT_DATE_FORMAT")
        raise ValidationError({"day": _("Ngày %(day)s đã có trong lịch.") % {"day": when}})
    return _save(actor, Holiday(day=day, name=name.strip(), kind=kind))


@transaction.atomic
def remove_holiday(*, actor: User, holiday: Holiday) -> None:
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    holiday._history_user = actor  # type: ignore[attr-defined]
    holiday.delete()


@transaction.atomic
def load_public_holidays(*, actor: User, years: Iterable[int]) -> int:
    """Add the built-in public holidays of the years (periods.holidays_vn) that are not in the
    calendar yet; a day already there is left as the office set it. Returns how many days were
    added; running it again adds nothing."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    wanted = [row for year in years for row in PUBLIC_HOLIDAYS.get(year, [])]
    days = [day for day, *_rest in wanted]
    have = set(Holiday.objects.filter(day__in=days).values_list("day", flat=True))
    added = 0
    for day, name, kind in wanted:
        if day not in have:
            _save(actor, Holiday(day=day, name=name, kind=kind))
            added += 1
    return added
