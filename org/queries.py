"""Reads over units and accounts, shared by pages, exports and the CLI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet

from nq57.text import fold
from org import access
from org.models import Role, Unit, UnitChange, UnitGroup, UnitLink, User
from org.signals import ClosureEffect, closure_preview, effects_of

EXPORT_HEADERS = ("code", "name", "type", "parent_code")


def visible_units(user: User, query: str = "") -> QuerySet[Unit]:
    """The user's units in tree order (depth-first), optionally filtered by code or name."""
    units = access.units_visible_to(user).order_by("path")
    if query.strip():
        units = units.filter(search_text__contains=fold(query))
    return units


def unit_detail(user: User, code: str) -> Unit:
    return access.units_visible_to(user).select_related("merged_into").get(code=code)


def children_of(user: User, unit: Unit) -> QuerySet[Unit]:
    return (
        visible_units(user)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .annotate(accounts_count=Count("accounts", filter=Q(accounts__is_active=True)))
    )


def ancestors_of(unit: Unit) -> QuerySet[Unit]:
    """For breadcrumbs: every unit above this one, from the root down."""
    steplen = Unit.steplen
    paths = [unit.path[:i] for i in range(steplen, len(unit.path), steplen)]
    return Unit.objects.filter(path__in=paths).order_by("depth")


def export_rows(units: QuerySet[Unit]) -> Iterator[tuple[str, str, str, str]]:
    """(code, name, type, parent_code) per unit in tree order, in one query."""
    rows = list(units.order_by("path").values_list("path", "code", "name", "unit_type"))
    parent_paths = {path[: -Unit.steplen] for path, *_ in rows}
    # Parents come from the same queryset, so nothing outside the caller's sight is named.
    parents = dict(units.filter(path__in=parent_paths).values_list("path", "code"))
    for path, code, name, unit_type in rows:
        yield code, name, unit_type, parents.get(path[: -Unit.steplen], "")


def accounts_of(user: User, unit: Unit | None = None, query: str = "") -> QuerySet[User]:
    accounts = (
        access.accounts_visible_to(user).select_related("unit").order_by("unit__path", "username")
    )
    if unit is not None:
        accounts = accounts.filter(unit=unit)
    if query.strip():
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return accounts


def first_sysadmin() -> User | None:
    """The account command-line jobs act as when no other is named."""
    return User.objects.filter(role=Role.SYSADMIN, is_active=True).order_by("pk").first()


def unit_changes(unit: Unit) -> list[UnitChange]:
    """The dated changes of the unit, newest first: its own (created, renamed, moved, closed)
    and the merges and splits it took part in, as predecessor or successor, each with its
    predecessor → successor pairs (three queries)."""
    links = UnitLink.objects.select_related("predecessor", "successor").order_by(
        "predecessor__code", "successor__code"
    )
    involved = Q(unit=unit) | Q(links__predecessor=unit) | Q(links__successor=unit)
    changes = UnitChange.objects.filter(pk__in=UnitChange.objects.filter(involved).values("pk"))
    return list(changes.select_related("actor", "unit").prefetch_related(Prefetch("links", links)))


def predecessors_of(changes: list[UnitChange], unit: Unit) -> list[Unit]:
    """The units `unit` was formed from or took in, read from its changes."""
    return [
        link.predecessor
        for change in changes
        for link in change.links.all()
        if link.successor_id == unit.pk
    ]


def closure_effects(unit: Unit) -> tuple[ClosureEffect, ...]:
    """What closing the unit would end in the apps above org (org.signals.closure_preview),
    for the closing page to show before it is confirmed."""
    return effects_of(closure_preview.send(sender=Unit, unit=unit))


def unit_groups() -> QuerySet[UnitGroup]:
    """The saved groups by name, each with its number of units in operation."""
    current = Count("units", filter=Q(units__active_to__isnull=True))
    return UnitGroup.objects.annotate(units_count=current).order_by("name")


def unit_group_history(group: UnitGroup, limit: int = 50) -> list[Any]:
    """The group's saves, newest first, each with who made it and how many units it held then
    (`members`): two queries."""
    records = list(group.history.select_related("history_user")[:limit])  # type: ignore[attr-defined]
    members = apps.get_model("org", "HistoricalUnitGroup_units").objects
    counts = Counter(
        members.filter(history__in=[r.pk for r in records]).values_list("history_id", flat=True)
    )
    for record in records:
        record.members = counts[record.pk]
    return records
