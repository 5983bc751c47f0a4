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
    periods up) sees every period, even one with no unit yet. A period no unit is asked to
    report on is the province's own (its six-month, nine-month and year reports): it is seen by
    whoever sees the tree's root, the province's leaders among them."""
    if access.can_everywhere(user, Action.MANAGE_PROGRAMME):
        return Period.objects.all()
    units = access.units_visible_to(user)
    seen = Q(pk__in=Period.objects.filter(required_units__in=units).values("pk"))
    if _sees_root(user):
        seen |= Q(pk__in=Period.objects.filter(required_units__isnull=True).values("pk"))
    return Period.objects.filter(seen)


def _sees_root(user: User) -> bool:
    """Whether the tree's root is within the user's reach (no query: the reach's top is read
    from the account, a root is a node of depth 1)."""
    if not (user.is_authenticated and user.is_active):
        return False
    top = access.root_of(user)
    return top is None or top.is_root()


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
