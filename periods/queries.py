"""Reads of periods shared by pages, reports and commands."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db.models import Q, QuerySet

from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from periods.models import Period


def periods_visible_to(user: User) -> QuerySet[Period]:
    """Periods where some required unit is visible to the user; the standing office (who sets
    periods up) sees every period, even one with no unit yet."""
    if access.can_everywhere(user, Action.MANAGE_PROGRAMME):
        return Period.objects.all()
    units = access.units_visible_to(user)
    return Period.objects.filter(
        pk__in=Period.objects.filter(required_units__in=units).values("pk")
    )


def units_asked(
    *,
    unit_types: Collection[str],
    blocs: Iterable[Unit],
    units: Iterable[Unit] = (),
    on: date | None = None,
) -> QuerySet[Unit]:
    """The units a period asks: reporting units of the chosen types (none chosen: every
    reporting type) within the chosen blocs (none: the whole province) — nothing when neither
    is chosen — plus the units named. Only units in activity: on `on` when given (opened by
    then, not closed before), else not closed."""
    blocs = list(blocs)
    chosen = Q(pk__in=[u.pk for u in units])
    if unit_types or blocs:
        within = Q()
        for bloc in blocs:
            within |= Q(path__startswith=bloc.path)
        chosen |= Q(unit_type__in=list(unit_types) or REPORTING_TYPES) & within
    if on is None:
        active = Q(active_to__isnull=True)
    else:
        active = (Q(active_to__isnull=True) | Q(active_to__gte=on)) & (
            Q(active_from__isnull=True) | Q(active_from__lte=on)
        )
    return Unit.objects.filter(chosen & active)
