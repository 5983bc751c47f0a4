"""The dashboard's cache: entries keyed by the data's version, so none is ever stale, and the
trend's past points kept while no status event is dated back to them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Model

from dashboard.filters import DashboardFilters
from indicators.models import DataElement, DataValue, Indicator, Target
from org import access
from org.models import Unit, User
from periods.models import Period
from reporting.models import Transition, UnitReport
from tasks.models import (
    Area,
    AssigneeChange,
    Assignment,
    ProgrammeGroup,
    Source,
    StatusEvent,
    Task,
)
from tasks.queries import Counts, Reading
from tasks.trend import TrendPoint, past_points, trend_points

CACHE_SECONDS = 24 * 3600  # entries never go stale (see `dashboard`): this only frees memory


def cache_key(
    kind: str, user: User, filters: DashboardFilters, scope: Unit | None, version: object
) -> str:
    """Users who see the same units share an entry: the role and the top unit decide that."""
    root = access.root_of(user)
    asked = (
        user.role,
        root.pk if root else None,
        scope.pk if scope else None,
        filters.as_of,
        filters.bloc.pk if filters.bloc else None,
        filters.unit_type,
        filters.source,
        filters.year,
    )
    digest = hashlib.sha256(repr((asked, version)).encode()).hexdigest()
    return f"{kind}:{digest}"


# What the dashboard shows, by how a write to it shows (see `data_version`). Unit reports are
# never deleted (their state moves by transitions), a period's required units are set when it is
# created; assignments, units and owners of figures come and go.
_APPENDED = (
    AssigneeChange,  # every change of an assignment's span (tasks.services) logs one
    Transition,
    UnitReport,
    Period.required_units.through,
    Unit.history.model,
    DataValue,
    DataValue.history.model,
)
_ADDED_OR_REMOVED = (
    Assignment,
    Task,
    Unit,
    DataElement.reporting_units.through,
    ProgrammeGroup,
    ProgrammeGroup.sources.through,
)
_EDIT_COUNTED = (Task, ProgrammeGroup)  # edited in place, each edit raising its `version`
_CHANGED_IN_PLACE: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Source, ()),
    (Area, ()),
    (Period, ()),
    (Indicator, ()),
    (Target, ()),
    (DataElement, ()),
)


@dataclass(frozen=True)
class DataVersion:
    events: int  # the newest status event's id
    rest: str  # a digest of everything else


def data_version() -> DataVersion:
    """A version that changes with every committed write to what the dashboard shows: the
    newest id of the tables that only grow (status events, report transitions, the history of
    units and figures), the newest id and the count of those rows are added to or removed from,
    the sum of the edit counters of tasks and programme groups (edited in place), and the
    content of the small tables edited in place without history (sources, periods,
    indicators...). One statement and a few small reads, against a second for a country's
    dashboard."""
    parts = [f"(SELECT MAX({_pk(m)}) FROM {_table(m)})" for m in (StatusEvent, *_APPENDED)]
    parts += [f"(SELECT MAX({_pk(m)}) FROM {_table(m)})" for m in _ADDED_OR_REMOVED]
    parts += [f"(SELECT COUNT(*) FROM {_table(m)})" for m in _ADDED_OR_REMOVED]
    parts += [f"(SELECT SUM(version) FROM {_table(m)})" for m in _EDIT_COUNTED]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        events, *counters = cursor.fetchone()
    digest = hashlib.sha256(repr(counters).encode())
    for model, fields in _CHANGED_IN_PLACE:
        names = fields or tuple(f.attname for f in model._meta.concrete_fields)
        rows = model._default_manager.order_by("pk").values_list("pk", *names)
        digest.update(repr(list(rows)).encode())
    return DataVersion(events or 0, digest.hexdigest())


def _pk(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.pk.column)


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@dataclass(frozen=True)
class PastKey:
    """Where the trend's past points are cached, and the data's version they were read at."""

    key: str
    version: DataVersion


def past_key(
    user: User, filters: DashboardFilters, scope: Unit | None, version: DataVersion | None
) -> PastKey | None:
    if version is None:
        return None
    # Every version of the data but its newest status event: see `trend`.
    return PastKey(cache_key("trend", user, filters, scope, version.rest), version)


def trend(reading: Reading, overall: Counts, past: PastKey | None = None) -> list[TrendPoint]:
    """Completed and not-on-time tasks at the ends of the months before `as_of`, as task_stats
    would count them then, and at `as_of` (the overall counts). The past points change only
    when an event is dated back to them or something else changes, so with `past` they are
    cached and reused while no status event entered since is dated on or before them."""
    before = trend_points(reading.as_of)[:-1]
    counted = _cached_past(past, before[-1]) if past else None
    if counted is None:
        counted = past_points(reading, before)
        if past:
            cache.set(past.key, (past.version.events, counted), CACHE_SECONDS)
    return [*counted, TrendPoint(reading.as_of, overall.completed, overall.not_on_time)]


def _cached_past(past: PastKey, last: date) -> list[TrendPoint] | None:
    """The cached past points, unless a status event entered since is dated on or before
    `last` (one EXISTS on the primary key's index)."""
    found = cache.get(past.key)
    if found is None:
        return None
    newest, counted = found
    if StatusEvent.objects.filter(pk__gt=newest, effective_date__lte=last).exists():
        return None
    return list(counted)
