"""Every write to tasks: one transaction each, permission checked inside via org.access."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F, ProtectedError, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nq57 import limits
from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import Unit, User
from periods import seals
from tasks import history
from tasks.jobs import notify_extension, send_task_reminders
from tasks.models import (
    Area,
    AssigneeChange,
    Assignment,
    CommentKind,
    DeadlineExtension,
    ExtensionState,
    ProgrammeGroup,
    Source,
    StatusEvent,
    Task,
    TaskComment,
    TaskReminder,
    TaskRevision,
)
from tasks.queries import late_assignees
from tasks.timeliness import Status

_CODE_RE = re.compile(r"[^/\s]+")  # as Task.code: URLs and files name rows by their code


@transaction.atomic
def create_task(
    *, actor: User, lead_unit: Unit, assignees: Sequence[Unit] = (), **fields: Any
) -> Task:
    """A task and its assignments: the given units, or the lead unit alone."""
    access.authorize(actor, Action.MANAGE_PROGRAMME, lead_unit)
    _check_text(fields)
    coordinating = fields.pop("coordinating_units", ())
    task = Task(lead_unit=lead_unit, **fields)
    task.full_clean(exclude=["source", "area", "lead_unit"])  # given as saved objects
    task.save()
    task.coordinating_units.add(*coordinating)
    units = list(dict.fromkeys(assignees)) or [lead_unit]  # each unit once
    Assignment.objects.bulk_create(Assignment(task=task, unit=u) for u in units)
    return task


_UPDATABLE = (
    "title",
    "source",
    "area",
    "lead_unit",
    "year",
    "start_date",
    "deadline",
    "expected_product",
    "description",
    "responsible_person",
)


@transaction.atomic
def update_task(
    *,
    actor: User,
    task: Task,
    reason: str = "",
    effective_on: date | None = None,
    extension: DeadlineExtension | None = None,
    **changes: Any,
) -> bool:
    """Change a task's description; True when something changed. The change is a dated
    `TaskRevision` (who, when, before/after, reason) applying from `effective_on` (today when
    not given), so every figure as of an earlier day still reads the task as it was. Its
    assignments stay as they are: who carries a task out is changed explicitly (assign_units,
    end_assignments), never as a side effect of an edit. `extension` is passed only by
    `decide_extension`."""
    access.authorize(actor, Action.MANAGE_PROGRAMME, task.lead_unit)
    coordinating = changes.pop("coordinating_units", None)
    unknown = set(changes) - set(_UPDATABLE)
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    _check_text(changes)
    limits.check_lengths(reason=(reason, limits.TEXT_MAX))
    locked = Task.objects.select_for_update().get(pk=task.pk)
    recorded = {
        name: [history.stored(locked, name), history.encode(value)]
        for name, value in changes.items()
        if history.stored(locked, name) != history.encode(value)
    }
    if "lead_unit" in recorded:
        access.authorize(actor, Action.MANAGE_PROGRAMME, changes["lead_unit"])
    if coordinating is not None:
        before = sorted(locked.coordinating_units.values_list("pk", flat=True))
        after = sorted({u.pk for u in coordinating})
        if before != after:
            recorded["coordinating_units"] = [before, after]
    if not recorded:
        return False
    effective = _effective_day(locked, effective_on, reason)
    fields = recorded.keys() - {"coordinating_units"}
    for name in fields:  # on the locked row: a stale copy must not write back other fields
        setattr(locked, name, changes[name])
    locked.full_clean()
    locked.version = F("version") + 1  # type: ignore[assignment]
    locked.revised_on = effective
    locked.save()
    locked.refresh_from_db(fields=["version"])
    for name in fields:  # the caller's copy follows
        setattr(task, name, changes[name])
    task.version, task.revised_on = locked.version, locked.revised_on
    if "coordinating_units" in recorded:
        task.coordinating_units.set(coordinating or ())  # and drops its prefetched copy
    TaskRevision.objects.create(
        task=locked,
        changes=recorded,
        effective_on=effective,
        reason=reason,
        extension=extension,
        recorded_by=actor,
    )
    return True


def _effective_day(task: Task, effective_on: date | None, reason: str) -> date:
    """The day an edit applies from: today, or an earlier day for a correction of the
    task's past, which needs a reason and may not reach into a sealed or closed period of the
    task's units. Revisions are appended in date order, like status events."""
    today = timezone.localdate()
    effective = effective_on or today
    if effective > today:
        raise ValidationError({"effective_on": _("Ngày áp dụng không được sau hôm nay.")})
    if task.revised_on is not None and effective < task.revised_on:
        message = _("Ngày áp dụng không được trước lần thay đổi gần nhất (%(date)s).")
        when = date_format(task.revised_on, "SHORT_DATE_FORMAT")
        raise ValidationError({"effective_on": message % {"date": when}})
    if effective < today:
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Phải nêu lý do khi thay đổi áp dụng từ một ngày đã qua.")}
            )
        units = Unit.objects.filter(Q(pk=task.lead_unit_id) | Q(assignments__task=task))
        sealed = seals.sealed_since(units, effective)
        if sealed is not None:
            message = _(
                "Kỳ %(period)s đã được niêm phong hoặc đã đóng: thay đổi không được áp dụng "
                "từ ngày %(date)s; hãy chọn ngày sau kỳ đó."
            )
            when = date_format(effective, "SHORT_DATE_FORMAT")
            found = {"period": sealed.title, "date": when}
            raise ValidationError({"effective_on": message % found})
    return effective


@transaction.atomic
def request_extension(
    *, actor: User, task: Task, requested_deadline: date, reason: str
) -> DeadlineExtension:
    """The lead unit (or the standing office for it) asks to move the task's deadline (gia
    hạn): one open request per task, to a day after the current deadline, with a reason. The
    standing office is told once it is committed."""
    locked = Task.objects.select_for_update().select_related("lead_unit").get(pk=task.pk)
    access.authorize(actor, Action.REPORT, locked.lead_unit)
    limits.check_lengths(reason=(reason, limits.TEXT_MAX))
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Phải nêu lý do đề nghị gia hạn.")
    if locked.deadline is None:
        errors["requested_deadline"] = _("Nhiệm vụ thường xuyên không có thời hạn để gia hạn.")
    elif requested_deadline <= locked.deadline:
        message = _("Thời hạn đề nghị phải sau thời hạn hiện tại (%(date)s).")
        when = date_format(locked.deadline, "SHORT_DATE_FORMAT")
        errors["requested_deadline"] = message % {"date": when}
    if locked.extensions.filter(state=ExtensionState.PENDING).exists():
        errors["requested_deadline"] = _("Nhiệm vụ đã có một đề nghị gia hạn đang chờ quyết định.")
    if errors:
        raise ValidationError(errors)
    extension = DeadlineExtension.objects.create(
        task=locked,
        current_deadline=locked.deadline,
        requested_deadline=requested_deadline,
        reason=reason,
        requested_by=actor,
    )
    transaction.on_commit(partial(notify_extension.enqueue, extension.pk))
    return extension


@transaction.atomic
def decide_extension(
    *, actor: User, extension: DeadlineExtension, approve: bool, comment: str = ""
) -> DeadlineExtension:
    """The standing office approves or refuses a pending extension (a refusal says why). An
    approval moves the deadline by a revision effective from today: figures before today keep
    the deadline they had. The lead unit is told once it is committed."""
    extension = (
        DeadlineExtension.objects.select_for_update()
        .select_related("task__lead_unit")
        .get(pk=extension.pk)
    )
    access.authorize(actor, Action.MANAGE_PROGRAMME, extension.task.lead_unit)
    limits.check_lengths(comment=(comment, limits.TEXT_MAX))
    if extension.state != ExtensionState.PENDING:
        raise ValidationError(_("Đề nghị gia hạn này đã được quyết định."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Phải nêu lý do không đồng ý gia hạn.")})
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.comment = comment
    extension.save(update_fields=["state", "decided_by", "decided_at", "comment"])
    if approve:
        reason = _("Gia hạn: %(reason)s") % {"reason": extension.reason}
        update_task(
            actor=actor,
            task=extension.task,
            reason=f"{reason} {comment}".strip(),
            extension=extension,
            deadline=extension.requested_deadline,
        )
    transaction.on_commit(partial(notify_extension.enqueue, extension.pk))
    return extension


def _check_text(fields: dict[str, Any]) -> None:
    limits.check_lengths(
        title=(fields.get("title"), limits.TITLE_MAX),
        expected_product=(fields.get("expected_product"), limits.TEXT_MAX),
        description=(fields.get("description"), limits.TEXT_MAX),
    )


def _check_event(status: str, progress: int, reason: str, evidence: dict[str, Any]) -> None:
    limits.check_lengths(reason=(reason, limits.TEXT_MAX))
    errors: dict[str, str] = {}
    if not 0 <= progress <= 100:
        errors["progress"] = _("Tiến độ phải từ 0 đến 100%.")
    if status in (Status.PAUSED, Status.PROPOSED_REMOVAL) and not reason.strip():
        errors["reason"] = _("Phải nêu lý do khi tạm dừng hoặc đề nghị đưa ra khỏi nhiệm vụ.")
    has_evidence = (
        evidence.get("evidence_file")
        or evidence.get("evidence_link")
        or (evidence.get("evidence_number") and evidence.get("evidence_date"))
    )
    if status == Status.COMPLETED and not has_evidence:
        errors["evidence_number"] = _(
            "Nhiệm vụ hoàn thành phải có minh chứng: tệp, số và ngày văn bản, hoặc đường dẫn."
        )
    if errors:
        raise ValidationError(errors)


def _check_sequence(
    actor: User, assignment: Assignment, status: str, effective: date, correction: bool
) -> None:
    """History is only appended: no event dated before the latest one nor inside a period sealed
    for the unit (periods.seals), a removal only on a standing proposal, and a removed assignment
    reopened only by the standing office."""
    if status not in Status.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ.")})
    if effective > timezone.localdate():
        raise ValidationError({"effective_date": _("Ngày cập nhật không được sau hôm nay.")})
    if not assignment.holds_on(effective):
        raise ValidationError(
            {"effective_date": _("Đơn vị không thực hiện nhiệm vụ này vào ngày %(date)s.")
             % {"date": _day(effective)}}
        )  # fmt: skip
    closed = not assignment.unit.is_active
    if closed and status != Status.REMOVED:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động."))
    sealed = None if correction else seals.sealing_period(assignment.unit, effective)
    if sealed is not None:
        raise ValidationError({"effective_date": seals.refusal(sealed, effective)})
    if assignment.latest_date is not None and effective < assignment.latest_date:
        message = _("Ngày cập nhật không được trước lần cập nhật gần nhất (%(date)s).")
        when = date_format(assignment.latest_date, "SHORT_DATE_FORMAT")
        raise ValidationError({"effective_date": message % {"date": when}})
    latest_status = assignment.latest_status or None
    if status == Status.REMOVED or latest_status == Status.REMOVED:
        access.authorize(actor, Action.MANAGE_PROGRAMME, assignment.unit)
    # A closed unit can no longer propose anything: the standing office removes directly.
    if status == Status.REMOVED and latest_status != Status.PROPOSED_REMOVAL and not closed:
        raise ValidationError(_("Chỉ đưa ra khỏi nhiệm vụ khi đơn vị đã đề nghị."))


@transaction.atomic
def record_status(
    *,
    actor: User,
    assignment: Assignment,
    status: str,
    effective_date: date,
    progress: int = 0,
    note: str = "",
    reason: str = "",
    correction: bool = False,
    **evidence: Any,
) -> StatusEvent:
    """Add a status event for one assignee. Removal is the standing office's decision on a
    proposal; everything else is the assignee's reporters' to say. An event dated in a sealed
    period is refused unless it applies a correction the standing office decided
    (`correction`, passed only by reporting.corrections)."""
    limits.check_lengths(note=(note, limits.TEXT_MAX))
    assignment = Assignment.objects.select_for_update().select_related("unit").get(pk=assignment.pk)
    access.authorize(actor, Action.VIEW, assignment.unit)
    if status != Status.REMOVED:
        access.authorize(actor, Action.REPORT, assignment.unit)
    _check_sequence(actor, assignment, status, effective_date, correction)
    if status == Status.COMPLETED:
        progress = 100
    _check_event(status, progress, reason, evidence)
    event = StatusEvent.objects.create(
        assignment=assignment,
        status=status,
        previous_status=assignment.latest_status,
        effective_date=effective_date,
        progress=progress,
        note=note,
        reason=reason,
        entered_by=actor,
        **evidence,
    )
    # The row is locked above, so the copy of the latest event cannot miss a concurrent one.
    assignment.latest_status, assignment.latest_date = status, effective_date
    assignment.latest_progress = progress
    assignment.save(update_fields=["latest_status", "latest_date", "latest_progress"])
    return event


@transaction.atomic
def save_programme_group(
    *,
    actor: User,
    code: str,
    name: str,
    sources: Sequence[Source],
    order: int = 0,
    this_year_only: bool = False,
) -> ProgrammeGroup:
    """Create the programme group `code`, or change it: the standing office's, province-wide.
    Every save raises its edit counter, which versions the cached dashboard."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    group = ProgrammeGroup.objects.select_for_update().filter(code=code).first()
    group = group or ProgrammeGroup(code=code)
    group.name, group.order, group.this_year_only = name, order, this_year_only
    group.full_clean()
    group._history_user = actor  # type: ignore[attr-defined]
    if group.pk is not None:
        group.version = F("version") + 1  # type: ignore[assignment]
    group.save()
    group.refresh_from_db(fields=["version"])
    group.sources.set(sources)
    return group


# --- who carries a task out, over time ---------------------------------------------------------


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _refuse_sealed(units: Sequence[Unit], day: date) -> None:
    """A change of assignees from `day` changes the figures of the period holding it: refused
    where that period is sealed for the unit or closed, as a status dated there would be."""
    sealed = seals.sealing_periods(units, day)
    if sealed:
        names = ", ".join(u.name for u in units if u.pk in sealed)
        period = next(iter(sealed.values()))
        message = _(
            "Kỳ %(period)s đã được niêm phong hoặc đã đóng với: %(units)s; không thay đổi được "
            "đơn vị thực hiện từ ngày %(date)s."
        )
        raise ValidationError(
            {"effective_on": message % {"period": period.title, "units": names, "date": _day(day)}}
        )


def log_assignee_changes(
    actor: User, assignments: Iterable[Assignment], kind: str, day: date, reason: str
) -> None:
    """Append one AssigneeChange per assignment (its task and unit given or taken off from
    `day`), in one query."""
    AssigneeChange.objects.bulk_create(
        AssigneeChange(
            task_id=a.task_id, unit_id=a.unit_id, kind=kind, effective_on=day, reason=reason,
            actor=actor,
        )
        for a in assignments
    )  # fmt: skip


def open_assignment(task: Task, unit: Unit, active_from: date) -> Assignment | None:
    """Give `task` to `unit` from `active_from` without checks or log (callers do both): None
    when it already holds an open assignment begun by then. One begun later starts earlier;
    one that ended the day before or later is reopened (the span goes on); after a gap a new
    assignment begins, so the days between count without the unit."""
    spans = list(Assignment.objects.filter(task=task, unit=unit).order_by("-pk"))
    current = next((a for a in spans if a.ended_on is None), None)
    if current is not None:
        if current.active_from is None or current.active_from <= active_from:
            return None
        if any(a.ended_on is not None and a.ended_on >= active_from for a in spans):
            raise ValidationError(
                _("“%(unit)s” đã thực hiện nhiệm vụ này trong một khoảng trước ngày %(date)s.")
                % {"unit": unit.name, "date": _day(current.active_from)}
            )
        current.active_from = active_from
        current.save(update_fields=["active_from"])
        return current
    ended = max(spans, key=lambda a: a.ended_on or date.min, default=None)
    if ended is not None and (ended.ended_on or date.min) >= active_from - timedelta(days=1):
        ended.ended_on = None
        ended.save(update_fields=["ended_on"])
        return ended
    return Assignment.objects.create(task=task, unit=unit, active_from=active_from)


def _check_units_on(units: Sequence[Unit], day: date) -> None:
    closed = [
        u.name
        for u in units
        if (u.active_from is not None and u.active_from > day)
        or (u.active_to is not None and u.active_to < day)
    ]
    if closed:
        message = _("Không hoạt động vào ngày %(date)s: %(units)s.")
        raise ValidationError({"units": message % {"date": _day(day), "units": ", ".join(closed)}})


@transaction.atomic
def assign_units(
    *, actor: User, task: Task, units: Sequence[Unit], active_from: date, reason: str = ""
) -> list[Assignment]:
    """Give the task to `units` from `active_from` (the standing office's, province-wide): each
    unit not already carrying it gets an assignment from that day (see `open_assignment`),
    logged as an AssigneeChange. The other assignees and every status history stay as they
    are. Returns the assignments begun or extended."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    limits.check_lengths(reason=(reason, limits.TEXT_MAX))
    task = Task.objects.select_for_update().get(pk=task.pk)  # one change of assignees at a time
    units = list({u.pk: u for u in units}.values())
    if not units:
        raise ValidationError({"units": _("Chưa chọn đơn vị nào.")})
    _check_units_on(units, active_from)
    _refuse_sealed(units, active_from)
    changed = []
    for unit in units:
        assignment = open_assignment(task, unit, active_from)
        if assignment is not None:
            changed.append(assignment)
    log_assignee_changes(actor, changed, AssigneeChange.Kind.ADDED, active_from, reason.strip())
    return changed


def close_assignments(assignments: Sequence[Assignment], ended_on: date) -> None:
    """End open assignments after `ended_on`, in one query, without checks or log (callers do
    both)."""
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(ended_on=ended_on)
    for assignment in assignments:
        assignment.ended_on = ended_on


@transaction.atomic
def end_assignments(
    *, actor: User, task: Task, units: Sequence[Unit], ended_on: date, reason: str
) -> list[Assignment]:
    """Take the task away from `units` after `ended_on`, their last day (the standing
    office's): their assignments end, their rows and status histories stay, so figures up to
    that day count them as they did and later ones do not. Refused when a unit does not carry
    the task, began it after that day, or has an update dated after it."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    limits.check_lengths(reason=(reason, limits.TEXT_MAX))
    if not reason.strip():
        raise ValidationError({"reason": _("Phải nêu lý do thôi giao nhiệm vụ.")})
    task = Task.objects.select_for_update().get(pk=task.pk)
    units = list({u.pk: u for u in units}.values())
    if not units:
        raise ValidationError({"units": _("Chưa chọn đơn vị nào.")})
    current = {
        a.unit_id: a
        for a in Assignment.objects.select_for_update().filter(
            task=task, unit__in=units, ended_on__isnull=True
        )
    }
    errors = []
    for unit in units:
        assignment = current.get(unit.pk)
        if assignment is None:
            errors.append(_("“%(unit)s” không đang thực hiện nhiệm vụ này.") % {"unit": unit.name})
        elif assignment.active_from is not None and assignment.active_from > ended_on:
            message = _("“%(unit)s” được giao từ ngày %(date)s, sau ngày thôi giao.")
            errors.append(message % {"unit": unit.name, "date": _day(assignment.active_from)})
        elif assignment.latest_date is not None and assignment.latest_date > ended_on:
            message = _("“%(unit)s” đã cập nhật trạng thái ngày %(date)s, sau ngày thôi giao.")
            errors.append(message % {"unit": unit.name, "date": _day(assignment.latest_date)})
    if errors:
        raise ValidationError({"units": errors})
    _refuse_sealed(units, ended_on + timedelta(days=1))
    ended = [current[u.pk] for u in units]
    close_assignments(ended, ended_on)
    log_assignee_changes(actor, ended, AssigneeChange.Kind.REMOVED, ended_on, reason.strip())
    return ended


# --- sources, areas, programme groups: the standing office's set-up ---------------------------
# Province-wide work (org.access: MANAGE_PROGRAMME everywhere). Each row's history keeps every
# change with its author; a row in use is never deleted, the refusal says how many tasks use it.


def _check_code(code: str) -> None:
    if not _CODE_RE.fullmatch(code):
        raise ValidationError({"code": _("Mã không được để trống, chứa dấu “/” hay khoảng trắng.")})


def _save_row(actor: User, row: Source | Area) -> None:
    """Check the row's fields, then save it with the actor on its history row."""
    row.full_clean()
    row._history_user = actor  # type: ignore[union-attr]
    row.save()


def _in_use(tasks: int, message: str) -> None:
    if tasks:
        raise ValidationError(message % {"n": tasks})


def _deleted(actor: User, row: models.Model) -> None:
    """Delete the row with its author on the history's last entry; a row something else still
    holds on to (an indicator's area) is refused with what holds it."""
    row._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            row.delete()
    except ProtectedError as exc:
        names = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
        message = _("Không xóa được: đang được dùng (%(what)s).")
        raise ValidationError(message % {"what": ", ".join(names)}) from exc


@transaction.atomic
def save_source(
    *,
    actor: User,
    source: Source | None = None,
    code: str = "",
    upload: UploadedFile | None = None,
    **fields: Any,
) -> Source:
    """Create a source document (`code`), or change one (`source`: everything but its code,
    which files and tasks name it by). `fields`: name, number, issued_on, issuer; `upload`, a
    new file (checked as evidence is: nq57.uploads); the file it replaces stays, its history
    names it."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    unknown = set(fields) - {"name", "number", "issued_on", "issuer"}
    if unknown:
        raise ValueError(f"not a source's field: {sorted(unknown)}")
    if source is None:
        _check_code(code)
        source = Source(code=code)
    else:
        source = Source.objects.select_for_update().get(pk=source.pk)
    for name, value in fields.items():
        setattr(source, name, value)
    if source.issued_on and source.issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("Ngày ban hành không được sau hôm nay.")})
    if upload is not None:
        try:
            source.original_name = checked_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        source.file = upload  # type: ignore[assignment]
    _save_row(actor, source)
    return source


@transaction.atomic
def delete_source(*, actor: User, source: Source) -> None:
    """Delete a source no task comes from (typed by mistake); a group that named it forgets it."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    source = Source.objects.select_for_update().get(pk=source.pk)
    used = Task.objects.filter(source=source).count()
    _in_use(used, ngettext(
        "Không xóa được: %(n)s nhiệm vụ đang dùng nguồn này.",
        "Không xóa được: %(n)s nhiệm vụ đang dùng nguồn này.",
        used,
    ))  # fmt: skip
    _deleted(actor, source)


@transaction.atomic
def save_area(*, actor: User, area: Area | None = None, code: str = "", **fields: Any) -> Area:
    """Create an area of the report (`code`), or change one's name and place (`area`)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    unknown = set(fields) - {"name", "order"}
    if unknown:
        raise ValueError(f"not an area's field: {sorted(unknown)}")
    if area is None:
        _check_code(code)
        area = Area(code=code)
    else:
        area = Area.objects.select_for_update().get(pk=area.pk)
    for name, value in fields.items():
        setattr(area, name, value)
    _save_row(actor, area)
    return area


@transaction.atomic
def delete_area(*, actor: User, area: Area) -> None:
    """Delete an area no task (nor indicator) belongs to."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    area = Area.objects.select_for_update().get(pk=area.pk)
    used = Task.objects.filter(area=area).count()
    _in_use(used, ngettext(
        "Không xóa được: %(n)s nhiệm vụ đang thuộc lĩnh vực này.",
        "Không xóa được: %(n)s nhiệm vụ đang thuộc lĩnh vực này.",
        used,
    ))  # fmt: skip
    _deleted(actor, area)


def group_task_count(group: ProgrammeGroup) -> int:
    """The tasks a group counts (those of its sources, any year): what keeps it from deletion."""
    return Task.objects.filter(source__programme_groups=group).count()


@transaction.atomic
def delete_programme_group(*, actor: User, group: ProgrammeGroup) -> None:
    """Delete a group that counts no task: the dashboard's headline would lose them."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    group = ProgrammeGroup.objects.select_for_update().get(pk=group.pk)
    used = group_task_count(group)
    _in_use(used, ngettext(
        "Không xóa được: nhóm đang tính %(n)s nhiệm vụ; hãy bỏ các nguồn của nhóm trước.",
        "Không xóa được: nhóm đang tính %(n)s nhiệm vụ; hãy bỏ các nguồn của nhóm trước.",
        used,
    ))  # fmt: skip
    _deleted(actor, group)


# --- the lead unit and the coordinating units on a task -------------------------------------


@transaction.atomic
def add_comment(
    *, actor: User, task: Task, text: str, kind: str = CommentKind.COMMENT, unit: Unit | None = None
) -> TaskComment:
    """Add a word to the task's page; nothing is edited or removed afterwards. A comment is the
    lead unit's (its reporters and heads, or the standing office, under its own unit); a part
    (`kind` PART) is what coordinating `unit` did, recorded by those who speak for it."""
    if kind == CommentKind.COMMENT:
        access.authorize_speak_for(actor, task.lead_unit)
        unit = task.lead_unit if actor.unit_id == task.lead_unit_id else actor.unit
    elif kind == CommentKind.PART and unit is not None:
        access.authorize_speak_for(actor, unit)
        if not task.coordinating_units.filter(pk=unit.pk).exists():
            raise ValidationError({"unit": _("Đơn vị không phối hợp thực hiện nhiệm vụ này.")})
    else:
        raise ValueError(f"a comment of kind {kind!r} needs a unit: {unit!r}")
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Hãy nhập nội dung.")})
    limits.check_lengths(text=(text, limits.TEXT_MAX))
    return TaskComment.objects.create(task=task, unit=unit, author=actor, kind=kind, text=text)


@transaction.atomic
def remind_late(*, actor: User, task: Task) -> int:
    """The lead unit's one button: tell the reporters of every late assignee (overdue, or at
    risk of it: tasks.queries.late_assignees) to update the task. Each assignee is reminded at
    most once a day however often it is pressed; the notices go out once this commits. Returns
    how many assignees were reminded now."""
    access.authorize_speak_for(actor, task.lead_unit)
    # Presses on the same task wait for each other here, so none reminds a unit twice a day.
    Task.objects.select_for_update().filter(pk=task.pk).first()
    today = timezone.localdate()
    already = set(
        TaskReminder.objects.filter(task=task, day=today).values_list("unit_id", flat=True)
    )
    units = [a.unit for a in late_assignees(task, today) if a.unit_id not in already]
    TaskReminder.objects.bulk_create(
        TaskReminder(task=task, unit=u, day=today, sent_by=actor) for u in units
    )
    if units:
        unit_ids = [u.pk for u in units]
        transaction.on_commit(partial(send_task_reminders.enqueue, task.pk, unit_ids))
    return len(units)
