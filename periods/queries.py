"""Reads of periods shared by pages, reports and commands."""

from __future__ import annotations

from django.db.models import QuerySet

from org import access
from org.access import Action
from org.models import User
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
