"""The dashboard's filters, what they leave in sight and the task filter they apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied

from org import access
from org.access import Action
from org.models import Unit, User
from tasks.queries import TaskFilter


@dataclass(frozen=True)
class DashboardFilters:
    as_of: date
    unit: Unit | None = None  # the drill-down unit; None: the top of what the user sees
    bloc: Unit | None = None
    unit_type: str | None = None
    source: str | None = None
    year: int | None = None


def scope_units(user: User, unit: Unit | None) -> tuple[Unit | None, list[Unit]]:
    """(scope, path from the user's top to it). A `unit` out of sight raises PermissionDenied
    (views answer 404 before asking). With no unit, the top of what the user sees; None when
    that is several roots (the whole country)."""
    scope: Unit | None = unit
    if unit is not None:
        if not access.can(user, Action.VIEW, unit):
            raise PermissionDenied
    else:
        tops = list(access.units_visible_to(user).order_by("depth", "path")[:2])
        several = len(tops) > 1 and tops[1].depth == tops[0].depth
        scope = None if several or not tops else tops[0]
    if scope is None:
        return None, []
    top = access.root_of(user)
    top_depth = top.depth if top is not None else 1
    prefixes = [scope.path[: d * Unit.steplen] for d in range(top_depth, scope.depth + 1)]
    return scope, list(Unit.objects.filter(path__in=prefixes).order_by("depth"))


def task_filter(filters: DashboardFilters, scope: Unit | None) -> TaskFilter:
    """The task_stats filter of the dashboard's figures: their links to the task list write it
    (`TaskFilter.url`), the list applies it again."""
    return TaskFilter(
        source=filters.source,
        year=filters.year,
        unit=scope,
        subtree=True,
        unit_type=filters.unit_type,
        bloc=filters.bloc,
    )
