"""A task as it was on a date: its attributes are dated records (`TaskRevision`), and every
figure "as of D" reads the task through here. A task not revised after D is its row (the fast
path: nothing is read); one revised after D is its row with each field changed since put back
to the value it had before its first change after D."""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from org.models import Unit, User
from tasks.models import (
    Area,
    DeadlineExtension,
    ExtensionState,
    Source,
    StatusEvent,
    Task,
    TaskRevision,
)
from tasks.timeliness import Status

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
    clones = [(rewrites, rewrites.apply(task)) for task in tasks]
    _with_rows(clones)
    return [clone for _rewrites, clone in clones]


def _with_rows(clones: list[tuple[Rewrites, Task]]) -> None:
    """Give each task rebuilt by its rewrites the source, area and lead unit it had then: at
    most one query per kind of related row changed, whatever the number of tasks or dates."""
    for name, model in (("source", Source), ("area", Area), ("lead_unit", Unit)):
        moved = [t for r, t in clones if f"{name}_id" in r.values.get(t.pk, {})]
        if moved:
            rows = model._default_manager.in_bulk({getattr(t, f"{name}_id") for t in moved})
            for task in moved:
                setattr(task, name, rows[getattr(task, f"{name}_id")])


def versions(tasks: Iterable[Task], after: date) -> dict[int, list[tuple[date, Task]]]:
    """Each of `tasks` (read with `revised_on` and their related rows) revised after `after`,
    as it was from `after` on: its successive states, each with the first day it holds from
    (`after` for the first, then each day revisions applied from), with the related rows it
    had. One query for the revisions, and one per kind of related row changed."""
    moved = {t.pk: t for t in tasks if t.revised_on is not None and t.revised_on > after}
    if not moved:
        return {}
    revisions = TaskRevision.objects.filter(task_id__in=list(moved), effective_on__gt=after)
    changes_of: dict[int, list[tuple[date, dict[str, Any]]]] = {}
    for task_id, effective, changes in revisions.order_by("effective_on", "id").values_list(
        "task_id", "effective_on", "changes"
    ):
        changes_of.setdefault(task_id, []).append((effective, changes))
    clones: list[tuple[Rewrites, Task]] = []
    found: dict[int, list[tuple[date, Task]]] = {}
    for task_id, changed in changes_of.items():
        days = sorted({after, *(effective for effective, _changes in changed)})
        for day in days:
            earlier: dict[str, Any] = {}
            for effective, changes in changed:
                if effective > day:
                    for name, (before, _after) in changes.items():
                        earlier.setdefault(attname(name), decode(name, before))
            state = Rewrites(day, {task_id: earlier} if earlier else {})
            clone = state.apply(moved[task_id])
            clones.append((state, clone))
            found.setdefault(task_id, []).append((day, clone))
    _with_rows(clones)
    return found


def at_points(states: list[tuple[date, Task]], points: list[date]) -> list[Task]:
    """A task at each of `points` (ascending, none before its first state) from its `versions`."""
    starts = [day for day, _task in states]
    return [states[bisect_right(starts, point) - 1][1] for point in points]


def coordinators_then(rewrites: Rewrites, tasks: Iterable[Task]) -> dict[int, list[Unit]]:
    """Task id → its coordinating units as they were (the tasks read with them prefetched):
    one query for the units of the tasks whose list changed since, none otherwise."""
    changed = rewrites.changed(COORDINATING)
    rows = Unit.objects.in_bulk({pk for ids in changed.values() for pk in ids}) if changed else {}
    return {
        task.pk: [rows[pk] for pk in changed[task.pk] if pk in rows]
        if task.pk in changed
        else list(task.coordinating_units.all())
        for task in tasks
    }


def revised_after(tasks: Iterable[Task], day: date) -> Rewrites:
    """What changed after `day` of `tasks` (read with `revised_on`): one query for those
    revised after it, none when there are none."""
    ids = [t.pk for t in tasks if t.revised_on is not None and t.revised_on > day]
    return rewrites(day, ids) if ids else Rewrites(day)


def as_they_were(tasks: Iterable[Task], day: date) -> list[Task]:
    """Tasks read (with what their reader needs) as they were on `day`: one query for the
    revisions after it, none for today or later. What a report, an annex or a score says of a
    task (its deadline, year, source, area, title) reads it through here."""
    found = list(tasks)
    if found and "revised_on" not in found[0].get_deferred_fields():
        changed = revised_after(found, day)  # no query unless one was revised after the day
        return then(changed, found) if changed else found
    return then(rewrites(day, [t.pk for t in found]), found)


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


# --- the history page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One line of a task's history: what happened (`kind`), recorded when and by whom,
    applying from `effective` (a day), about `unit` (a status event's assignee), each changed
    attribute before → after, and the reason given."""

    kind: str
    recorded_at: datetime
    effective: date | None
    who: str
    changes: tuple[Change, ...]
    reason: str = ""
    unit: str = ""
    comment: str = ""


def _person(user: User | None) -> str:
    return (user.full_name or user.username) if user is not None else "—"


class _Names:
    """The words of stored values: related rows' names (read once per kind), dates as dates."""

    def __init__(self, revisions: list[TaskRevision]) -> None:
        wanted: dict[str, set[Any]] = {name: set() for name in (*FOREIGN, COORDINATING)}
        for revision in revisions:
            for name, pair in revision.changes.items():
                if name == COORDINATING:
                    wanted[name].update(*pair)
                elif name in FOREIGN:
                    wanted[name].update(v for v in pair if v is not None)
        units = wanted["lead_unit"] | wanted[COORDINATING]
        self.rows: dict[str, dict[Any, Any]] = {
            "source": Source.objects.in_bulk(wanted["source"]) if wanted["source"] else {},
            "area": Area.objects.in_bulk(wanted["area"]) if wanted["area"] else {},
            "lead_unit": Unit.objects.in_bulk(units) if units else {},
        }
        self.rows[COORDINATING] = self.rows["lead_unit"]

    def text(self, name: str, value: Any) -> str:
        if name == COORDINATING:
            return "; ".join(self._name(name, pk) for pk in value) or "—"
        if name in FOREIGN:
            return self._name(name, value)
        if name == "deadline" and value is None:
            return _("Thường xuyên")
        if name in DATES:
            return date_format(decode(name, value), "SHORT_DATE_FORMAT") if value else "—"
        return "—" if value in (None, "") else str(value)

    def _name(self, name: str, pk: Any) -> str:
        row = self.rows[name].get(pk)
        return row.name if row is not None else "—"


def _label(name: str) -> str:
    field = Task._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name).capitalize()


def described(
    revisions: list[TaskRevision], names: _Names | None = None
) -> dict[int, tuple[Change, ...]]:
    """Each revision's changes in words (names, not ids; dates as dates): one query per kind
    of related row named (none when the caller has read `names`)."""
    names = names or _Names(revisions)
    return {
        revision.pk: tuple(
            Change(_label(name), names.text(name, before), names.text(name, after))
            for name, (before, after) in revision.changes.items()
        )
        for revision in revisions
    }


def entries(task: Task, events: QuerySet[StatusEvent]) -> list[Entry]:
    """Every dated record of the task, newest first: its edits, its extension requests and
    decisions, and `events`, the status events the user may see (tasks.queries.timeline, the
    task page's rule). Five queries whatever their number."""
    revisions = list(
        task.revisions.select_related("recorded_by", "extension").order_by("-recorded_at", "-id")
    )
    names = _Names(revisions)
    words = described(revisions, names)
    found = [
        Entry(
            kind=_("Gia hạn thời hạn") if revision.extension_id else _("Sửa thông tin nhiệm vụ"),
            recorded_at=revision.recorded_at,
            effective=revision.effective_on,
            who=_person(revision.recorded_by),
            changes=words[revision.pk],
            reason=revision.reason,
        )
        for revision in revisions
    ]
    extensions = DeadlineExtension.objects.filter(task=task).select_related(
        "requested_by", "decided_by"
    )
    for extension in extensions:
        deadline = Change(
            _("Thời hạn"),
            names.text("deadline", encode(extension.current_deadline)),
            names.text("deadline", encode(extension.requested_deadline)),
        )
        found.append(
            Entry(
                kind=_("Đề nghị gia hạn"),
                recorded_at=extension.requested_at,
                effective=None,
                who=_person(extension.requested_by),
                changes=(deadline,),
                reason=extension.reason,
            )
        )
        if extension.state != ExtensionState.PENDING and extension.decided_at is not None:
            found.append(
                Entry(
                    kind=_("Quyết định gia hạn: %(state)s")
                    % {"state": extension.get_state_display()},
                    recorded_at=extension.decided_at,
                    effective=timezone.localdate(extension.decided_at),
                    who=_person(extension.decided_by),
                    changes=(deadline,),
                    comment=extension.comment,
                )
            )
    for event in events:
        before = Status(event.previous_status).label if event.previous_status else "—"
        after = f"{event.get_status_display()} · {event.progress}%"
        found.append(
            Entry(
                kind=_("Cập nhật trạng thái"),
                recorded_at=event.entered_at,
                effective=event.effective_date,
                who=_person(event.entered_by),
                changes=(Change(_("Trạng thái"), str(before), after),),
                reason=event.reason,
                unit=event.assignment.unit.name,
                comment=event.note,
            )
        )
    found.sort(key=lambda entry: entry.recorded_at, reverse=True)
    return found
