"""A task as it was on a date: its attributes are dated records (`TaskRevision`), and every
figure "as of D" reads the task through here. A task not revised after D is its row (the fast
path: nothing is read); one revised after D is its row with each field changed since put back
to the value it had before its first change after D."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone

from org.models import Unit
from tasks.models import Area, Source, Task, TaskRevision

# The task's attributes a revision records (coordinating units aside: a list of ids).
FOREIGN = ("source", "area", "lead_unit")
DATES = ("start_date", "deadline")
COORDINATING = "coordinating_units"


def encode(value: Any) -> Any:
    """A value as a revision stores it: related rows by id, dates as ISO text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def stored(task: Task, name: str) -> Any:
    """The task's field `name` encoded as a revision stores it."""
    if name in FOREIGN:
        return getattr(task, f"{name}_id")
    return encode(getattr(task, name))


def decode(name: str, value: Any) -> Any:
    """A stored value back as the model's attribute (`<name>_id` for related rows)."""
    if name in DATES:
        return date.fromisoformat(value) if value else None
    return value


def attname(name: str) -> str:
    return f"{name}_id" if name in FOREIGN else name


@dataclass
class Rewrites:
    """The tasks whose attributes as of `as_of` differ from their rows: for each, the fields
    changed since, with their values then (decoded; related rows by id under `<name>_id`)."""

    as_of: date
    values: dict[int, dict[str, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.values)

    def changed(self, name: str) -> dict[int, Any]:
        """Task id → the value of `name` (an attname) as of the date, for the tasks whose
        `name` changed since."""
        return {pk: found[name] for pk, found in self.values.items() if name in found}

    def apply(self, task: Task) -> Task:
        """The task as it was (a copy when it changed since; the task itself otherwise)."""
        earlier = self.values.get(task.pk)
        if not earlier:
            return task
        clone = copy.copy(task)
        clone._state = copy.copy(task._state)
        clone._state.fields_cache = dict(task._state.fields_cache)
        for name, value in earlier.items():
            if name != COORDINATING:
                setattr(clone, name, value)  # an FK's attname drops its stale cached row
        return clone


def rewrites(as_of: date, task_ids: Iterable[int] | None = None) -> Rewrites:
    """What changed after `as_of`, for every task (or those of `task_ids`). No query for today
    or later: a revision never applies from a day after the one it was made on."""
    found = Rewrites(as_of)
    if as_of >= timezone.localdate():
        return found
    revisions = TaskRevision.objects.filter(effective_on__gt=as_of)
    if task_ids is not None:
        revisions = revisions.filter(task_id__in=list(task_ids))
    for task_id, changes in revisions.order_by("effective_on", "id").values_list(
        "task_id", "changes"
    ):
        earlier = found.values.setdefault(task_id, {})
        for name, (before, _after) in changes.items():
            earlier.setdefault(attname(name), decode(name, before))
    return found


def then(rewrites: Rewrites, tasks: Iterable[Task] | None = None) -> list[Task]:
    """`tasks` (by default the tasks of `rewrites`, read with their source, area and lead
    unit) as they were, with the related rows they had then: at most one query per kind of
    related row changed."""
    if tasks is None:
        tasks = Task.objects.filter(pk__in=list(rewrites.values)).select_related(
            "source", "area", "lead_unit"
        )
    clones = [rewrites.apply(task) for task in tasks]
    for name, model in (("source", Source), ("area", Area), ("lead_unit", Unit)):
        moved = [t for t in clones if f"{name}_id" in rewrites.values.get(t.pk, {})]
        if moved:
            rows = model._default_manager.in_bulk({getattr(t, f"{name}_id") for t in moved})
            for task in moved:
                setattr(task, name, rows[getattr(task, f"{name}_id")])
    return clones


def as_of(task: Task, day: date) -> Task:
    """One task as it was on `day`: the task itself unless revised after that day."""
    if task.revised_on is None or task.revised_on <= day:
        return task
    return rewrites(day, [task.pk]).apply(task)


def original_deadlines(day: date, task_ids: Iterable[int] | None = None) -> dict[int, date | None]:
    """Task id → its deadline as of `day` without the extensions approved by then (hạn gốc),
    for the tasks whose deadline on `day` came from an extension. Deadlines set by an edit
    (not an extension) are the programme's own and count as original."""
    extended = TaskRevision.objects.filter(extension__isnull=False, effective_on__lte=day)
    if task_ids is not None:
        extended = extended.filter(task_id__in=list(task_ids))
    revisions = TaskRevision.objects.filter(
        task__in=extended.values("task"), effective_on__lte=day
    ).order_by("task", "effective_on", "id")
    original: dict[int, date | None] = {}
    current: dict[int, date | None] = {}
    for task_id, changes, extension_id in revisions.values_list(
        "task_id", "changes", "extension_id"
    ):
        if "deadline" not in changes:
            continue
        before, after = (decode("deadline", v) for v in changes["deadline"])
        original.setdefault(task_id, before)
        current[task_id] = after
        if extension_id is None:
            original[task_id] = after
    return {pk: deadline for pk, deadline in original.items() if deadline != current[pk]}
