"""What tasks does when org tells it the tree changed (org.signals)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org.models import Unit, User
from org.signals import ClosureEffect
from tasks.models import AssigneeChange, Assignment, StatusEvent
from tasks.queries import latest_events
from tasks.services import close_assignments, log_assignee_changes, open_assignment
from tasks.timeliness import Status

# What a predecessor has finished stays its own: it is not carried.
_FINISHED = (Status.COMPLETED, Status.REMOVED)


def carry_assignments(
    *, moves: tuple[tuple[Unit, Unit], ...], on: date, actor: User, reason: str, **_: Any
) -> None:
    """A merge or split carries the predecessors' open assignments to their successors from
    `on`: each ends the day before (its row and events stay, so figures up to then count as
    they did), and each successor carries the task from `on` — a new assignment, or its own
    one begun earlier or extended back to `on`. A new one starts from the predecessors'
    state the day before (the least advanced when several merge), as an event dated `on`
    noting where it came from. A completed (or removed) assignment stays with its
    predecessor. Updates a predecessor dated on or after `on` stay in its history and no
    longer count. Every change is logged (AssigneeChange). Runs inside the change's
    transaction (org.signals.units_restructured); sealed periods are not asked: the change of
    the tree is the standing office's decision for the days from `on`."""
    successors: dict[int, list[Unit]] = defaultdict(list)
    for predecessor, successor in moves:
        successors[predecessor.pk].append(successor)
    carried = list(
        Assignment.objects.select_for_update()
        .filter(unit_id__in=successors, ended_on__isnull=True)
        .exclude(latest_status__in=_FINISHED)
        .select_related("unit", "task")
        .order_by("task_id", "unit__path")
    )
    if not carried:
        return
    last_day = on - timedelta(days=1)
    before = latest_events(carried, last_day)
    by_target: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    targets: dict[int, Unit] = {}
    close_assignments(carried, last_day)
    for assignment in carried:
        for successor in successors[assignment.unit_id]:
            by_target[assignment.task_id, successor.pk].append(assignment)
            targets[successor.pk] = successor
    log_assignee_changes(actor, carried, AssigneeChange.Kind.REMOVED, last_day, reason)
    opened_all = []
    for (_task_id, successor_id), sources in by_target.items():
        opened = open_assignment(sources[0].task, targets[successor_id], on)
        if opened is None:
            continue  # it already carried the task by then, with its own history
        opened_all.append(opened)
        if opened.latest_date is None:
            _start_from(opened, [before.get(a.pk) for a in sources], sources, on, actor)
    log_assignee_changes(actor, opened_all, AssigneeChange.Kind.ADDED, on, reason)


def _start_from(
    assignment: Assignment,
    states: list[StatusEvent | None],
    sources: list[Assignment],
    on: date,
    actor: User,
) -> None:
    """The successor's first event: the least advanced predecessor's state the day before
    (none when one of them had said nothing: not started is the least advanced)."""
    if any(state is None for state in states):
        return
    least = min((s for s in states if s is not None), key=lambda s: s.progress)
    names = ", ".join(a.unit.name for a in sources)
    StatusEvent.objects.create(
        assignment=assignment,
        status=least.status,
        previous_status="",
        effective_date=on,
        progress=least.progress,
        note=_("Tiếp nhận từ: %(units)s.") % {"units": names},
        reason=least.reason,
        entered_by=actor,
    )
    assignment.latest_status, assignment.latest_date = least.status, on
    assignment.latest_progress = least.progress
    assignment.save(update_fields=["latest_status", "latest_date", "latest_progress"])


# --- a unit closed with no successor ----------------------------------------------------------


def _open_parts(unit: Unit, lock: bool = False) -> list[Assignment]:
    """The unit's open, unfinished assignments with their tasks: what closing it ends."""
    assignments = Assignment.objects.select_for_update() if lock else Assignment.objects
    return list(
        assignments.filter(unit=unit, ended_on__isnull=True)
        .exclude(latest_status__in=_FINISHED)
        .select_related("task")
        .order_by("task__code")
    )


def _left_behind(unit: Unit, parts: list[Assignment]) -> tuple[str, ...]:
    """The titles of the tasks no other unit carries on (no other open assignment), one query."""
    carried_on = set(
        Assignment.objects.filter(task_id__in=[a.task_id for a in parts], ended_on__isnull=True)
        .exclude(unit=unit)
        .values_list("task_id", flat=True)
    )
    return tuple(a.task.title for a in parts if a.task_id not in carried_on)


def _effect(summary: str, count: int, left_behind: tuple[str, ...]) -> ClosureEffect:
    note = _(
        "Sau ngày hoạt động cuối cùng, các nhiệm vụ sau không còn đơn vị nào thực hiện và không "
        "còn được tính trong số liệu; hãy giao cho đơn vị khác:"
    )
    return ClosureEffect(summary, count, left_behind, note if left_behind else "")


def preview_closure(*, unit: Unit, **_signal: Any) -> ClosureEffect | None:
    """What closing `unit` would end (org.signals.closure_preview): two queries."""
    parts = _open_parts(unit)
    if not parts:
        return None
    count = len(parts)
    summary = ngettext(
        "Ngừng hoạt động sẽ kết thúc %(n)s nhiệm vụ đơn vị đang thực hiện (chưa hoàn thành) "
        "vào ngày hoạt động cuối cùng; lịch sử trạng thái được giữ nguyên.",
        "Ngừng hoạt động sẽ kết thúc %(n)s nhiệm vụ đơn vị đang thực hiện (chưa hoàn thành) "
        "vào ngày hoạt động cuối cùng; lịch sử trạng thái được giữ nguyên.",
        count,
    ) % {"n": number_format(count, force_grouping=True)}
    return _effect(summary, count, _left_behind(unit, parts))


def end_closed_unit_assignments(
    *, unit: Unit, active_to: date, actor: User, reason: str, **_signal: Any
) -> ClosureEffect | None:
    """A unit closed with no successor (org.signals.unit_closed) stops carrying its open,
    unfinished tasks after its last day `active_to`: each assignment ends then (its row and
    events stay, so figures up to that day count as they did; from the next day the unit no
    longer counts), logged as an AssigneeChange. A completed (or removed) part stays, as in
    a merge. Tasks no other unit carries on are named in the returned effect, for the
    standing office to hand over (assign_units); the closure is not refused for them: it
    records a decision already taken. Refused (the closure rolled back) only for a task given
    to the unit from a day after its last: it never carried it. Sealed periods are not asked,
    as for a merge. Queries: a fixed few, whatever the number of assignments."""
    parts = _open_parts(unit, lock=True)
    if not parts:
        return None
    last_day = date_format(active_to, "SHORT_DATE_FORMAT")
    later = [a.task.title for a in parts if a.active_from is not None and a.active_from > active_to]
    if later:
        message = _(
            "“%(unit)s” được giao các nhiệm vụ sau từ sau ngày %(date)s, ngày hoạt động cuối "
            "cùng: %(tasks)s. Hãy kiểm tra lại ngày ngừng hoạt động."
        )
        raise ValidationError(
            message % {"unit": unit.name, "date": last_day, "tasks": ", ".join(later)}
        )
    left_behind = _left_behind(unit, parts)
    close_assignments(parts, active_to)
    note = _("Đơn vị ngừng hoạt động sau ngày %(date)s.") % {"date": last_day}
    if reason.strip():
        note = f"{note} {reason.strip()}"
    log_assignee_changes(actor, parts, AssigneeChange.Kind.REMOVED, active_to, note)
    count = len(parts)
    summary = ngettext(
        "Đã kết thúc %(n)s nhiệm vụ đơn vị đang thực hiện, sau ngày %(date)s.",
        "Đã kết thúc %(n)s nhiệm vụ đơn vị đang thực hiện, sau ngày %(date)s.",
        count,
    ) % {"n": number_format(count, force_grouping=True), "date": last_day}
    return _effect(summary, count, left_behind)
