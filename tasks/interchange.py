"""The XLSX interchange format for tasks — what other provinces and the national list send.

Import creates or updates tasks by code and records a status event only when the status or
progress changed; it is all-or-nothing and a dry run goes through exactly the same code, then
rolls back. Export writes the same format, so export → import changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from nq57.xlsx import (
    ImportRejected,
    RowError,
    build_workbook,
    cell_date,
    cell_text,
    date_text,
    read_rows,
    run_import,
)
from org.models import Unit, User
from tasks import history, services
from tasks.models import Area, Assignment, Source, StatusEvent, Task
from tasks.queries import latest_events
from tasks.timeliness import Status

SHEET = "Nhiệm vụ"
HEADERS = (
    "Mã",
    "Tên nhiệm vụ",
    "Nguồn",
    "Lĩnh vực",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Năm",
    "Thời hạn",
    "Sản phẩm",
    "Trạng thái",
    "Ngày cập nhật",
    "Tiến độ (%)",
    "Ngày hoàn thành",
    "Lý do / ghi chú",
)
(C_CODE, C_TITLE, C_SOURCE, C_AREA, C_LEAD, C_COORD, C_YEAR, C_DEADLINE, C_PRODUCT) = HEADERS[:9]
(C_STATUS, C_UPDATED, C_PROGRESS, C_COMPLETED, C_NOTE) = HEADERS[9:]
# The statuses a file may carry, by their Vietnamese names (removal is decided here, not sent).
STATUS_BY_NAME = {str(label): value for value, label in Status.choices if value != Status.REMOVED}
NAME_OF_STATUS = {value: name for name, value in STATUS_BY_NAME.items()}


@dataclass(frozen=True)
class TaskRow:
    row: int
    code: str
    title: str
    source: str
    area: str
    lead: str
    coordinating: tuple[str, ...]
    year: int | None
    deadline: date | None
    product: str
    status: str | None
    updated_on: date | None
    progress: int | None
    completed_on: date | None
    note: str
    errors: tuple[RowError, ...] = ()  # what is wrong in the row's own cells


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    unchanged: int = 0


# --- reading ---------------------------------------------------------------------------------


class _Cells:
    """Typed access to one row's cells; each problem becomes a RowError naming the column."""

    def __init__(self, number: int, cells: dict[str, Any]) -> None:
        self.number, self.cells, self.errors = number, cells, list[RowError]()

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str) -> str:
        return cell_text(self.cells[column])

    def date(self, column: str) -> date | None:
        try:
            return cell_date(self.cells[column])
        except ValidationError as exc:
            self.fail(column, exc.messages[0])
            return None

    def integer(self, column: str, low: int, high: int) -> int | None:
        text = self.text(column)
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            message = _("Cần một số nguyên từ %(low)s đến %(high)s: “%(v)s”.")
            self.fail(column, message % {"low": low, "high": high, "v": text})
            return None
        return number

    def status(self) -> str | None:
        text = self.text(C_STATUS)
        if text and text not in STATUS_BY_NAME:
            names = ", ".join(STATUS_BY_NAME)
            self.fail(
                C_STATUS,
                _("Trạng thái “%(v)s” không có; dùng: %(names)s.") % {"v": text, "names": names},
            )
        return STATUS_BY_NAME.get(text)


def _row(number: int, raw: dict[str, Any]) -> tuple[TaskRow, list[RowError]]:
    cells = _Cells(number, raw)
    row = TaskRow(
        row=number,
        code=cells.text(C_CODE),
        title=cells.text(C_TITLE),
        source=cells.text(C_SOURCE),
        area=cells.text(C_AREA),
        lead=cells.text(C_LEAD),
        coordinating=tuple(p.strip() for p in cells.text(C_COORD).split(";") if p.strip()),
        year=cells.integer(C_YEAR, 2000, 2100),
        deadline=cells.date(C_DEADLINE),
        product=cells.text(C_PRODUCT),
        status=cells.status(),
        updated_on=cells.date(C_UPDATED),
        progress=cells.integer(C_PROGRESS, 0, 100),
        completed_on=cells.date(C_COMPLETED),
        note=cells.text(C_NOTE),
    )
    return row, cells.errors + _required(row)


def _required(row: TaskRow) -> list[RowError]:
    missing = [
        (C_CODE, not row.code),
        (C_TITLE, not row.title),
        (C_SOURCE, not row.source),
        (C_AREA, not row.area),
        (C_LEAD, not row.lead),
        (C_YEAR, row.year is None),
        (C_UPDATED, bool(row.status) and row.updated_on is None),
        (C_COMPLETED, row.status == Status.COMPLETED and row.completed_on is None),
    ]
    return [RowError(row.row, column, _("Không được để trống.")) for column, bad in missing if bad]


def parse_task_file(source: IO[bytes]) -> list[TaskRow]:
    """Rows of the "Nhiệm vụ" sheet, each carrying the problems of its own cells; the import
    reports those together with what only the database can tell (unknown codes, rights)."""
    parsed = [_row(number, raw) for number, raw in read_rows(source, SHEET, HEADERS)]
    counts = Counter(row.code for row, _errors in parsed if row.code)
    return [_finished(row, errors, counts[row.code] > 1) for row, errors in parsed]


def _finished(row: TaskRow, errors: list[RowError], duplicated: bool) -> TaskRow:
    if duplicated:
        errors = [*errors, RowError(row.row, C_CODE, _("Mã bị lặp trong tệp."))]
    return replace(row, errors=tuple(errors))


# --- importing -------------------------------------------------------------------------------


@dataclass
class _Lookups:
    sources: dict[str, Source]
    areas: dict[str, Area]
    units: dict[str, Unit]  # by code and by exact name
    tasks: dict[str, Task]
    latest: dict[int, StatusEvent]  # by assignment id, for the tasks that exist already

    @classmethod
    def load(cls, rows: Sequence[TaskRow]) -> _Lookups:
        units: dict[str, Unit] = {}
        for unit in Unit.objects.all():
            units.setdefault(unit.code, unit)
            units.setdefault(unit.name, unit)
        tasks = (
            Task.objects.filter(code__in=[r.code for r in rows])
            .select_related("source", "area", "lead_unit")
            .prefetch_related("coordinating_units", "assignments")
        )
        return cls(
            sources={s.code: s for s in Source.objects.all()},
            areas={a.code: a for a in Area.objects.all()},
            units=units,
            tasks={t.code: t for t in tasks},
            latest=latest_events(Assignment.objects.filter(task__in=tasks)),
        )


def _references(row: TaskRow, look: _Lookups) -> tuple[dict[str, Any], list[RowError]]:
    errors = []

    def find(mapping: dict[str, Any], key: str, column: str, what: str) -> Any:
        if key not in mapping:
            message = _("Không có %(what)s “%(key)s”.") % {"what": what, "key": key}
            errors.append(RowError(row.row, column, message))
        return mapping.get(key)

    fields = {
        "source": find(look.sources, row.source, C_SOURCE, _("nguồn")),
        "area": find(look.areas, row.area, C_AREA, _("lĩnh vực")),
        "lead_unit": find(look.units, row.lead, C_LEAD, _("đơn vị")),
        "coordinating_units": [find(look.units, n, C_COORD, _("đơn vị")) for n in row.coordinating],
    }
    return fields, errors


def _task_fields(row: TaskRow, refs: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": row.title,
        "source": refs["source"],
        "area": refs["area"],
        "lead_unit": refs["lead_unit"],
        "coordinating_units": refs["coordinating_units"],
        "year": row.year,
        "deadline": row.deadline,
        "expected_product": row.product,
    }


def _event(row: TaskRow) -> dict[str, Any] | None:
    if row.status is None:
        return None
    completed = row.status == Status.COMPLETED
    event: dict[str, Any] = {
        "status": row.status,
        "effective_date": row.completed_on if completed else row.updated_on,
        "progress": 100 if completed else row.progress or 0,
    }
    if row.status in (Status.PAUSED, Status.PROPOSED_REMOVAL):
        event["reason"] = row.note
    elif completed:  # the note names the document that proves completion
        event.update(evidence_number=row.note[:60], evidence_date=row.completed_on)
    else:
        event["note"] = row.note
    return event


def _apply(actor: User, row: TaskRow, look: _Lookups, summary: ImportSummary) -> None:
    refs, errors = _references(row, look)
    if errors:
        raise ImportRejected(errors)
    fields = _task_fields(row, refs)
    task = look.tasks.get(row.code)
    if task is None:
        task = services.create_task(actor=actor, code=row.code, **fields)
        summary.created.append(row.code)
    # An edit applies from the day of the import (the file has no column for a reason): every
    # figure before it reads the task as it was.
    elif services.update_task(
        actor=actor, task=task, reason=_("Cập nhật từ tệp nhiệm vụ (XLSX)"), **fields
    ):
        summary.updated.append(row.code)
    else:
        summary.unchanged += 1
    event = _event(row)
    if event is not None and _record_if_changed(actor, task, event, look.latest):
        summary.events.append(row.code)


def _record_if_changed(
    actor: User, task: Task, event: dict[str, Any], latest_by_assignment: dict[int, StatusEvent]
) -> bool:
    assignments = list(task.assignments.all())
    if len(assignments) != 1:
        return False  # tasks of many units are updated unit by unit, on the task's page
    latest = latest_by_assignment.get(assignments[0].pk)
    if latest is not None and (latest.status, latest.progress) == (
        event["status"],
        event["progress"],
    ):
        return False
    services.record_status(actor=actor, assignment=assignments[0], **event)
    return True


# Where a service's complaint about a field shows in the file.
_COLUMN_OF_FIELD = {
    "code": C_CODE,
    "title": C_TITLE,
    "year": C_YEAR,
    "deadline": C_DEADLINE,
    "expected_product": C_PRODUCT,
    "status": C_STATUS,
    "effective_date": C_UPDATED,
    "progress": C_PROGRESS,
    "reason": C_NOTE,
    "evidence_number": C_NOTE,
}


def _row_problem(row: TaskRow, exc: Exception) -> list[RowError]:
    if isinstance(exc, ImportRejected):
        return exc.errors
    if isinstance(exc, (PermissionDenied, Http404)):
        return [RowError(row.row, C_LEAD, _("Bạn không được giao nhiệm vụ cho đơn vị này."))]
    assert isinstance(exc, ValidationError)
    if not hasattr(exc, "error_dict"):
        return [RowError(row.row, C_CODE, message) for message in exc.messages]
    return [
        RowError(row.row, _COLUMN_OF_FIELD.get(name, C_CODE), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def import_task_rows(
    *, actor: User, rows: Sequence[TaskRow], dry_run: bool = False
) -> ImportSummary:
    """Apply every row or none (nq57.xlsx.run_import). With `dry_run` the same work is done and
    then rolled back."""
    look, summary = _Lookups.load(rows), ImportSummary()
    run_import(
        rows,
        checked=lambda row: row.errors,
        apply=lambda row: _apply(actor, row, look, summary),
        problems=_row_problem,
        dry_run=dry_run,
    )
    return summary


# --- exporting -------------------------------------------------------------------------------


def _export_row(task: Task, coordinating: list[Unit], event: Any) -> list[Any]:
    status = event.status if event is not None else None
    completed = status == Status.COMPLETED
    note = ""
    if event is not None:
        note = event.evidence_number if completed else (event.reason or event.note)
    return [
        task.code,
        task.title,
        task.source.code,
        task.area.code,
        task.lead_unit.code,
        "; ".join(u.code for u in coordinating),
        task.year,
        date_text(task.deadline),
        task.expected_product,
        NAME_OF_STATUS.get(status, "") if status else "",
        date_text(event.effective_date) if event is not None else "",
        event.progress if event is not None else "",
        date_text(event.effective_date) if completed else "",
        note,
    ]


def export_workbook(
    *, tasks: QuerySet[Task], as_of: date, units: QuerySet[Unit] | None = None
) -> bytes:
    """The tasks in the interchange format, each as it was on `as_of`: its attributes then
    (tasks.history: one more query when some were revised since, and one per kind of related
    row changed) and its state then; tasks removed by then are left out (removal is not
    something a file can say). With `units`, only the status of assignments of those units is
    written (what the reader may see)."""
    tasks = tasks.select_related("source", "area", "lead_unit").prefetch_related(
        "coordinating_units", "assignments"
    )
    readable = Assignment.objects.filter(task__in=tasks)
    if units is not None:
        readable = readable.filter(unit__in=units)
    latest = latest_events(readable, as_of)
    found = list(tasks.order_by("code"))
    changed = history.revised_after(found, as_of)
    coordinating = history.coordinators_then(changed, found)
    rows = []
    for task in history.then(changed, found):
        own = list(task.assignments.all())
        event = latest.get(own[0].pk) if len(own) == 1 else None
        if event is None or event.status != Status.REMOVED:
            rows.append(_export_row(task, coordinating[task.pk], event))
    return build_workbook(SHEET, HEADERS, rows)


def template_workbook() -> bytes:
    return build_workbook(SHEET, HEADERS, [])
