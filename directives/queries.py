"""Reads of the register shared by the pages, the export and the province report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from directives.models import Directive
from nq57.text import fold
from org import access
from org.models import Unit, UnitType, User
from org.queries import ancestors_of
from tasks.queries import tasks_visible_to

# The Steering Committee and its standing office write to every unit of the province.
ADDRESSED_TO_ALL = (UnitType.STEERING, UnitType.STANDING_OFFICE)


def directives_visible_to(user: User | AnonymousUser) -> QuerySet[Directive]:
    """Documents a user may read: those of the Steering Committee and its office, of the units
    the user sees or that stand above its unit, and those linked to a task the user sees."""
    if not (user.is_authenticated and user.is_active):
        return Directive.objects.none()
    assert isinstance(user, User)
    linked = Directive.objects.filter(tasks__in=tasks_visible_to(user)).values("pk")
    return Directive.objects.filter(
        Q(issuer__unit_type__in=ADDRESSED_TO_ALL)
        | Q(issuer__in=access.units_visible_to(user))
        | Q(issuer__in=ancestors_of(user.unit))
        | Q(issuer=user.unit)
        | Q(pk__in=linked)
    )


def _between(
    directives: QuerySet[Directive], start: date | None, end: date | None
) -> QuerySet[Directive]:
    if start is not None:
        directives = directives.filter(issued_on__gte=start)
    if end is not None:
        directives = directives.filter(issued_on__lte=end)
    return directives


def _under(directives: QuerySet[Directive], unit: Unit) -> QuerySet[Directive]:
    return directives.filter(issuer__path__startswith=unit.path)


def issued(*, unit: Unit, start: date | None, end: date) -> QuerySet[Directive]:
    """Documents issued by `unit` or a unit below it in [start, end] (start None: since ever)."""
    return _between(_under(Directive.objects.all(), unit), start, end)


def directive_counts(*, unit: Unit, start: date, end: date) -> tuple[int, int]:
    """(issued in [start, end], cumulative up to end) by `unit`'s subtree, in one query."""
    counts = issued(unit=unit, start=None, end=end).aggregate(
        period=Count("pk", filter=Q(issued_on__gte=start)), total=Count("pk")
    )
    return counts["period"], counts["total"]


def list_url(*, unit: Unit, start: date | None, end: date) -> str:
    """The list page showing exactly `issued(unit=unit, start=start, end=end)`."""
    query = {"unit": unit.code, "to": f"{end:%d/%m/%Y}"}
    if start is not None:
        query["from"] = f"{start:%d/%m/%Y}"
    return f"{reverse('directives:directive_list')}?{urlencode(query)}"


@dataclass(frozen=True)
class DirectiveFilter:
    unit: Unit | None = None  # the issuer or any unit above it
    start: date | None = None
    end: date | None = None
    kind: str = ""
    text: str = ""  # in the number or the subject, with or without diacritics


def filtered(user: User, flt: DirectiveFilter) -> QuerySet[Directive]:
    """The visible documents the filter asks for, newest first."""
    directives = _between(directives_visible_to(user), flt.start, flt.end)
    if flt.unit is not None:
        directives = _under(directives, flt.unit)
    if flt.kind:
        directives = directives.filter(kind=flt.kind)
    if flt.text:
        directives = directives.filter(search_text__contains=fold(flt.text))
    return directives.select_related("issuer")
