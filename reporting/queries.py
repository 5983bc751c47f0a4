"""What reporting pages, exports and reminders read: visible reports and periods, what one unit's
report shows (its tasks, its updates in the period, its figures, its text), the standing office's
board for a period, and what a unit still owes. Access is decided by org.access."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import DataElement, DataValue
from indicators.queries import elements_for_period, reporters
from nq57.text import fold
from nq57.xlsx import build_workbook
from org import access
from org.access import Action
from org.models import Unit, User
from periods.calendar import open_periods
from periods.models import Period
from reporting.models import (
    EDITABLE_STATES,
    TEXT_KINDS,
    Correction,
    CorrectionState,
    PeriodSetup,
    Question,
    ReportForm,
    ReportState,
    Section,
    SectionKind,
    Transition,
    UnitReport,
)
from tasks.models import Assignment, StatusEvent, Task
from tasks.queries import latest_events
from tasks.timeliness import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_STARTED = "not_started"
# The board's states: no report yet, then the report's own states.
BOARD_STATES: dict[str, StrOrPromise] = {
    NOT_STARTED: _("Chưa bắt đầu"),
    ReportState.DRAFT: _("Đang soạn"),
    ReportState.SUBMITTED: _("Chờ lãnh đạo đơn vị duyệt"),
    ReportState.APPROVED: _("Lãnh đạo đơn vị đã duyệt"),
    ReportState.RECEIVED: _("Đã tiếp nhận"),
    ReportState.RETURNED: _("Bị trả lại"),
}
OWED_TASK_HORIZON = timedelta(days=30)
_DONE = (Status.COMPLETED, Status.REMOVED)


def report_url(period_code: str, unit_code: str) -> str:
    return reverse("reporting:report", args=[period_code, unit_code])


def reports_visible_to(user: User) -> QuerySet[UnitReport]:
    return UnitReport.objects.filter(unit__in=access.units_visible_to(user))


def mark_own_reports(user: User, periods: Sequence[Period]) -> None:
    """Mark each period with whether the user's unit reports in it, and that report."""
    ids = [p.pk for p in periods]
    required: set[int] = set()
    if access.can(user, Action.VIEW, user.unit):
        required = set(user.unit.required_periods.filter(pk__in=ids).values_list("pk", flat=True))
    reports = {
        r.period_id: r for r in reports_visible_to(user).filter(unit=user.unit, period__in=ids)
    }
    for period in periods:
        period.own_required = period.pk in required  # type: ignore[attr-defined]
        period.own_report = reports.get(period.pk)  # type: ignore[attr-defined]


# --- what one unit's report shows ----------------------------------------------------------------


def open_assignments(unit: Unit) -> list[tuple[Assignment, StatusEvent | None]]:
    """The unit's own assignments not yet completed, removed or ended, each with its latest
    status."""
    current = unit.assignments.filter(ended_on__isnull=True)
    assignments = list(current.select_related("task").order_by("task__code"))
    latest = latest_events(assignments)
    rows = [(a, latest.get(a.pk)) for a in assignments]
    return [(a, event) for a, event in rows if still_open(event)]


def still_open(event: StatusEvent | None) -> bool:
    """Whether an assignment whose latest status is `event` is still to be worked on."""
    return event is None or event.status not in _DONE


def period_updates(unit: Unit, period: Period) -> list[StatusEvent]:
    """What the unit reported on its tasks during the period: the report's "results" in data."""
    events = StatusEvent.objects.filter(
        assignment__unit=unit, effective_date__range=(period.starts_on, period.ends_on)
    )
    return list(events.select_related("assignment__task").order_by("effective_date", "id"))


def form_of(period: Period) -> ReportForm | None:
    """The form the period asks, if it was set up with one (no query once `setup__form` is
    selected with the period)."""
    try:
        return period.setup.form  # type: ignore[attr-defined, no-any-return]
    except PeriodSetup.DoesNotExist:
        return None


def asked_kinds(period: Period) -> list[SectionKind]:
    """The parts of text the period asks: its form's, else the province report's three."""
    form = form_of(period)
    return list(TEXT_KINDS) if form is None else form.text_kinds


def text_parts(
    questions: Sequence[Question], sections: Sequence[Section], kinds: Sequence[SectionKind]
) -> list[tuple[StrOrPromise, list[Section]]]:
    """The stored text for reading: (heading, sections) per part or per question. A part the
    form no longer asks still shows what was written in it."""
    if questions:
        return [(q.text, [s for s in sections if s.question_id == q.pk]) for q in questions]
    written = {s.kind for s in sections}
    shown = [kind for kind in TEXT_KINDS if kind in kinds or kind in written]
    return [(kind.label, [s for s in sections if s.kind == kind]) for kind in shown]


@dataclass(frozen=True)
class StoredFigure:
    value: Decimal | None
    text: str


def figure_elements(
    unit: Unit, period: Period
) -> tuple[list[DataElement], dict[str, StoredFigure]]:
    """The data elements the unit reports for the period (those its form asks, when the form
    names them), with its stored values (one query)."""
    stored = DataValue.objects.filter(unit=unit, period=period, element=OuterRef("pk"))
    asked = elements_for_period(period)
    form = form_of(period)
    if form is not None and not form.every_element:
        asked = asked.filter(pk__in=form.elements.values("pk"))
    rows = (
        asked.annotate(
            stored_pk=Subquery(stored.values("pk")[:1]),
            stored_value=Subquery(stored.values("value")[:1]),
            stored_text=Subquery(stored.values("text")[:1]),
        )
        .select_related("within")
        .prefetch_related("reporting_units")
        .order_by("code")
    )
    mine = [e for e in rows if reporters(e).include(unit)]
    figures = {
        e.code: StoredFigure(e.stored_value, e.stored_text or "")
        for e in mine
        if e.stored_pk is not None
    }
    elements: list[DataElement] = list(mine)
    return elements, figures


# --- the board -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    unit: Unit
    report: UnitReport | None
    state: str
    state_label: StrOrPromise
    first_submitted_at: datetime | None
    last_change_at: datetime | None
    is_late: bool

    @property
    def overdue(self) -> bool:
        """Past the due time and still in the unit's hands (not started, draft, returned)."""
        return self.is_late and self.state in UNSUBMITTED


UNSUBMITTED = frozenset({NOT_STARTED, *EDITABLE_STATES})


def board(
    period: Period,
    *,
    bloc: str | None = None,
    unit_type: str | None = None,
    state: str | None = None,
    q: str = "",
    overdue: bool = False,
) -> list[BoardRow]:
    """Every required unit of the period with its report's state, in tree order. Two queries
    (the units, their reports) whatever the number of units and filters.

    `bloc` is the code of an ancestor unit (a bloc); `q` matches code and name without accents;
    `state` is a key of BOARD_STATES; `overdue` keeps the units past the due time that have not
    submitted (`BoardRow.overdue`). A report is late when first submitted after the due time,
    or when not submitted yet and the due time has passed."""
    units = period.required_units.order_by("path")
    if bloc:
        units = units.filter(Exists(_ancestor(bloc)))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if q.strip():
        units = units.filter(search_text__contains=fold(q))
    unit_list = list(units)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit__in=units.values("pk")).annotate(
            last_change=Max("transitions__at")
        )
    }
    now = timezone.now()
    rows = []
    for unit in unit_list:
        row = _row(period, unit, reports.get(unit.pk), now)
        if (state is None or row.state == state) and (not overdue or row.overdue):
            rows.append(row)
    return rows


@dataclass(frozen=True)
class BoardGroup:
    """The board's rows of one kind of work, the office's first: `unfolded` groups are open
    on the page, the others folded behind their count."""

    key: str
    label: StrOrPromise
    rows: list[BoardRow]
    unfolded: bool


# (key, label, which rows, open on the page): a row goes to the first group that takes it.
_BOARD_GROUPS: tuple[tuple[str, StrOrPromise, Callable[[BoardRow], bool], bool], ...] = (
    ("overdue", _("Quá hạn, chưa nộp"), lambda r: r.overdue, True),
    (
        "returned",
        _("Bị trả lại, chờ đơn vị nộp lại"),
        lambda r: r.state == ReportState.RETURNED,
        True,
    ),
    (
        "to_receive",
        _("Chờ cơ quan thường trực tiếp nhận"),
        lambda r: r.state == ReportState.APPROVED,
        True,
    ),
    (
        "in_progress",
        _("Đơn vị đang soạn hoặc chờ lãnh đạo duyệt"),
        lambda r: r.state != ReportState.RECEIVED,
        False,
    ),
    ("received", _("Đã tiếp nhận"), lambda r: True, False),
)


def board_groups(rows: Sequence[BoardRow], *, unfold_all: bool = False) -> list[BoardGroup]:
    """The board's rows grouped so the standing office sees its work first: late, returned,
    waiting for its receipt (open), then those still with the units and those received
    (folded, unless `unfold_all`: a filtered list is short). Empty groups are left out; each
    group keeps the tree order."""
    grouped: dict[str, list[BoardRow]] = {key: [] for key, *_rest in _BOARD_GROUPS}
    for row in rows:
        key = next(k for k, _label, takes, _open in _BOARD_GROUPS if takes(row))
        grouped[key].append(row)
    return [
        BoardGroup(key, label, grouped[key], unfolded or unfold_all)
        for key, label, _takes, unfolded in _BOARD_GROUPS
        if grouped[key]
    ]


def _ancestor(code: str) -> QuerySet[Unit]:
    """The unit `code` if it is a proper ancestor of the outer unit (a materialised path's
    prefix), as a subquery: the bloc filter costs no query of its own."""
    return Unit.objects.filter(
        code=code,
        depth__lt=OuterRef("depth"),
        path=Substr(OuterRef("path"), 1, F("depth") * Unit.steplen),
    )


def _row(period: Period, unit: Unit, report: UnitReport | None, now: datetime) -> BoardRow:
    if report is None:
        return BoardRow(
            unit, None, NOT_STARTED, BOARD_STATES[NOT_STARTED], None, None, now > period.due_at
        )
    report.unit, report.period = unit, period  # no query per row when the page reads them
    first = report.first_submitted_at
    late = first > period.due_at if first is not None else now > period.due_at
    return BoardRow(
        unit=unit,
        report=report,
        state=report.state,
        state_label=BOARD_STATES[report.state],
        first_submitted_at=first,
        last_change_at=getattr(report, "last_change", None),
        is_late=late,
    )


BOARD_HEADERS = (
    "Mã đơn vị",
    "Đơn vị",
    "Trạng thái",
    "Nộp lần đầu",
    "Thay đổi gần nhất",
    "Nộp muộn",
)


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, ZoneInfo(settings.TIME_ZONE)).strftime("%d/%m/%Y %H:%M")


def board_table(rows: Sequence[BoardRow]) -> tuple[Sequence[str], list[tuple[str, ...]]]:
    """The board's rows as a table (headers, lines): its export and the report's annex."""
    lines: list[tuple[str, ...]] = [
        (
            row.unit.code,
            row.unit.name,
            str(row.state_label),
            _moment(row.first_submitted_at),
            _moment(row.last_change_at),
            "Có" if row.is_late else "",
        )
        for row in rows
    ]
    return BOARD_HEADERS, lines


def board_workbook(period: Period, rows: Sequence[BoardRow]) -> bytes:
    """The board as shown (same rows, same filters), one sheet named after the period."""
    return build_workbook(_sheet_name(period), *board_table(rows))


def _sheet_name(period: Period) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    return "".join(c for c in period.code if c not in "[]:*?/\\")[:31] or "Bao cao"


# --- a quick report's answers ------------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    board: BoardRow
    answered: bool  # the unit has sent its answer (its report has left the unit)
    answers: list[str]  # one per question ("" when none)
    values: list[Decimal | None]  # one per element


@dataclass(frozen=True)
class AnswerGrid:
    """A quick report's answers, units × questions and figures, with the province's totals
    over the units that answered and those that have not."""

    questions: list[Question]
    elements: list[DataElement]
    rows: list[GridRow]
    totals: list[Decimal | None]  # per element
    answer_counts: list[int]  # per question: how many units answered it

    @property
    def answered(self) -> int:
        return sum(row.answered for row in self.rows)

    @property
    def columns(self) -> int:
        return 1 + len(self.questions) + len(self.elements)

    @property
    def missing(self) -> list[Unit]:
        return [row.board.unit for row in self.rows if not row.answered]


def _asked_elements(period: Period) -> list[DataElement]:
    asked = elements_for_period(period)
    form = form_of(period)
    if form is not None and not form.every_element:
        asked = asked.filter(pk__in=form.elements.values("pk"))
    return list(asked.order_by("code"))


def answer_grid(period: Period, rows: Sequence[BoardRow]) -> AnswerGrid:
    """The answers of the board's rows (units in tree order, filtered as the board is): the
    text answers and figures of the units whose report was sent, nothing of a draft. A fixed
    number of queries (questions, elements, answers, figures) whatever the number of units."""
    questions = list(period.questions.all())
    elements = _asked_elements(period)
    sent = {
        row.unit.pk for row in rows if row.report is not None and row.state not in EDITABLE_STATES
    }
    answers = {
        (unit_id, question_id): text
        for unit_id, question_id, text in Section.objects.filter(
            report__period=period, report__unit__in=sent, question__isnull=False
        ).values_list("report__unit_id", "question_id", "text")
    }
    figures = {
        (unit_id, element_id): value
        for unit_id, element_id, value in DataValue.objects.filter(
            period=period, unit__in=sent, element__in=elements
        ).values_list("unit_id", "element_id", "value")
    }
    grid_rows = [
        GridRow(
            board=row,
            answered=row.unit.pk in sent,
            answers=[answers.get((row.unit.pk, q.pk), "") for q in questions],
            values=[figures.get((row.unit.pk, e.pk)) for e in elements],
        )
        for row in rows
    ]
    totals: list[Decimal | None] = []
    for index in range(len(elements)):
        given = [value for r in grid_rows if (value := r.values[index]) is not None]
        totals.append(sum(given, Decimal(0)) if given else None)
    counts = [sum(bool(r.answers[i].strip()) for r in grid_rows) for i in range(len(questions))]
    return AnswerGrid(questions, elements, grid_rows, totals, counts)


def grid_workbook(period: Period, grid: AnswerGrid) -> bytes:
    """The grid as shown: a row per unit, then the province's totals."""
    headers = [
        "Mã đơn vị",
        "Đơn vị",
        "Trạng thái",
        *(q.text for q in grid.questions),
        *(f"{e.name} ({e.unit_label})" if e.unit_label else e.name for e in grid.elements),
    ]
    lines: list[list[object]] = [
        [
            row.board.unit.code,
            row.board.unit.name,
            str(row.board.state_label) if row.answered else "Chưa trả lời",
            *row.answers,
            *row.values,
        ]
        for row in grid.rows
    ]
    summary = f"Đã trả lời {grid.answered}/{len(grid.rows)} đơn vị"
    lines.append(["", "Toàn tỉnh", summary, *grid.answer_counts, *grid.totals])
    return build_workbook(_sheet_name(period), headers, lines)


# --- the standing office's queues -------------------------------------------------------------


def pending_corrections() -> QuerySet[Correction]:
    """Corrections asked by units and not decided yet, oldest first."""
    return Correction.objects.filter(state=CorrectionState.REQUESTED).order_by("requested_at", "id")


@dataclass(frozen=True)
class PeriodQueue:
    """Where an open period stands for the standing office: how many required units, and how
    many reports wait for it, came back to their unit, or are past due and not submitted."""

    period: Period
    required: int
    to_receive: int
    returned: int
    overdue: int
    received: int


def office_queues(now: datetime) -> list[PeriodQueue]:
    """Each open period's queue (`board` rows counted, two queries a period), soonest due
    first."""
    queues = []
    for period in open_periods(now).order_by("due_at", "code"):
        rows = board(period)
        states = Counter(row.state for row in rows)
        queues.append(
            PeriodQueue(
                period=period,
                required=len(rows),
                to_receive=states[ReportState.APPROVED],
                returned=states[ReportState.RETURNED],
                overdue=sum(1 for row in rows if row.overdue),
                received=states[ReportState.RECEIVED],
            )
        )
    return queues


# --- a unit's reports sent back --------------------------------------------------------------


@dataclass(frozen=True)
class ReturnedReport:
    period: Period
    url: str
    comment: str
    by: str
    at: datetime


def returned_reports(unit: Unit, now: datetime) -> list[ReturnedReport]:
    """The unit's reports of open periods that were sent back to it, with the comment they
    came back with (two queries)."""
    reports = list(
        UnitReport.objects.filter(
            unit=unit, state=ReportState.RETURNED, period__in=open_periods(now)
        ).select_related("period")
    )
    steps = {
        step.report_id: step
        for step in Transition.objects.filter(report__in=reports, to_state=ReportState.RETURNED)
        .select_related("actor")
        .order_by("at", "id")
    }  # the latest return of each report wins
    found = []
    for report in sorted(reports, key=lambda r: r.period.due_at):
        step = steps.get(report.pk)
        found.append(
            ReturnedReport(
                period=report.period,
                url=report_url(report.period.code, unit.code),
                comment=step.comment if step else "",
                by=(step.actor.full_name or step.actor.username) if step else "",
                at=step.at if step else report.period.due_at,
            )
        )
    return found


# --- what a unit owes ------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedItem:
    kind: str  # "report" | "approval" | "task"
    title: str
    due: date | datetime | None
    url: str
    overdue: bool
    returned: bool = False  # a report sent back to the unit: it owes it again


def owed_by(user: User, today: date) -> list[OwedItem]:
    """For the user's own unit, when the user reports or approves for it: the reports of open
    periods it has not submitted yet (not started, draft or returned) and its unfinished tasks
    whose deadline is within 30 days of `today` or already passed, soonest first.
    Report items are judged against the current time, task items against `today`."""
    unit = user.unit
    if not (access.can(user, Action.REPORT, unit) or access.can(user, Action.APPROVE, unit)):
        return []
    now = timezone.now()
    items = _owed_reports(unit, now) + _owed_tasks(unit, today)
    if access.can(user, Action.APPROVE, unit):
        items += _awaiting_approval(unit, now)
    return sorted(items, key=_due_key)


def _awaiting_approval(unit: Unit, now: datetime) -> list[OwedItem]:
    """For the unit head: reports submitted to it and not yet approved or returned."""
    reports = UnitReport.objects.filter(unit=unit, state=ReportState.SUBMITTED)
    return [
        OwedItem(
            kind="approval",
            title=str(_("Chờ duyệt: %(period)s") % {"period": report.period.title}),
            due=report.period.due_at,
            url=report_url(report.period.code, unit.code),
            overdue=now > report.period.due_at,
        )
        for report in reports.select_related("period").order_by("period__due_at")
    ]


def _owed_reports(unit: Unit, now: datetime) -> list[OwedItem]:
    submitted = UnitReport.objects.filter(unit=unit).exclude(state__in=EDITABLE_STATES)
    state = UnitReport.objects.filter(unit=unit, period=OuterRef("pk")).values("state")[:1]
    periods = (
        open_periods(now)
        .filter(required_units=unit)
        .exclude(pk__in=submitted.values("period"))
        .annotate(unit_state=Subquery(state))
        .order_by("due_at", "code")
    )
    return [
        OwedItem(
            kind="report",
            title=str(period.title),
            due=period.due_at,
            url=report_url(period.code, unit.code),
            overdue=now > period.due_at,
            returned=period.unit_state == ReportState.RETURNED,
        )
        for period in periods
    ]


def _owed_tasks(unit: Unit, today: date) -> list[OwedItem]:
    # No event is dated after today, so each assignment's copy of its latest event is its
    # status today (tasks.models.Assignment).
    tasks = Task.objects.filter(
        assignments__in=Assignment.objects.filter(unit=unit, ended_on__isnull=True).exclude(
            latest_status__in=_DONE
        ),
        deadline__isnull=False,
        deadline__lte=today + OWED_TASK_HORIZON,
    ).only("code", "title", "deadline")
    return [
        OwedItem(
            kind="task",
            title=task.title,
            due=task.deadline,
            url=reverse("tasks:task_detail", args=[task.code]),
            overdue=task.deadline < today,
        )
        for task in tasks
        if task.deadline is not None
    ]


def _due_key(item: OwedItem) -> tuple[bool, datetime, str]:
    """Soonest first; a date counts as the end of that day (local time); no due date last."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if item.due is None:
        return (True, datetime.max.replace(tzinfo=tz), item.title)
    if isinstance(item.due, datetime):
        return (False, item.due, item.title)
    return (False, datetime.combine(item.due, time.max, tzinfo=tz), item.title)
