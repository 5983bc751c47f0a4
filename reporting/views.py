"""Thin views: read through reporting.queries, write through reporting.services (task updates
through tasks.services), decide access in org.access. A unit or period out of sight is answered
like a missing one (404); a visible one the user may not act on is 403."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from indicators import services as indicator_services
from indicators.models import DataElement, DataValue, Severity
from indicators.validation import EntryRejected, Violation
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import Unit, UnitType, User
from periods import calendar
from periods.models import Period
from periods.queries import periods_visible_to
from reporting import services
from reporting.forms import (
    TEXT_KINDS,
    AttachmentForm,
    BoardFilterForm,
    CommentForm,
    FiguresForm,
    PeriodForm,
    ReportEditor,
    report_editor,
)
from reporting.models import Question, Section, UnitReport
from reporting.queries import (
    BOARD_STATES,
    board_workbook,
    reports_visible_to,
)
from reporting.queries import board as board_rows
from reporting.reminders import remind_unsubmitted
from reporting.services import StaleReport
from tasks.forms import StatusForm
from tasks.models import Area, Assignment, StatusEvent
from tasks.queries import latest_events
from tasks.timeliness import Status
from tasks.views import status_prefix

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 50
REPORT_TEMPLATE = "reporting/report.html"
# The report page, top to bottom: one partial per section, all fed by `_context`.
PANELS = (
    "reporting/_panel_state.html",
    "reporting/_panel_text.html",
    "reporting/_panel_tasks.html",
    "reporting/_panel_indicators.html",
    "reporting/_panel_attachments.html",
    "reporting/_panel_actions.html",
    "reporting/_panel_timeline.html",
)
# The text may be edited in the states a report may be submitted from (draft, returned).
EDITABLE = services.MOVES["submit"].sources
DONE_TASK = frozenset({Status.COMPLETED, Status.REMOVED})
STALE = gettext_lazy(
    "Báo cáo vừa được người khác cập nhật. Nội dung bạn nhập vẫn còn bên dưới; hãy đối chiếu "
    "với bản đang lưu rồi bấm Lưu lần nữa nếu muốn thay bằng nội dung của bạn."
)


@dataclass(frozen=True)
class Button:
    label: StrOrPromise
    css: str
    done: StrOrPromise  # the message once the move is made
    call: Callable[..., UnitReport]


_RETURN = Button(
    gettext_lazy("Trả lại"),
    "outline-danger",
    gettext_lazy("Đã trả lại báo cáo cho đơn vị."),
    services.return_report,
)
BUTTONS = {
    "submit": Button(
        gettext_lazy("Nộp báo cáo"),
        "primary",
        gettext_lazy("Đã nộp báo cáo cho lãnh đạo đơn vị."),
        services.submit_report,
    ),
    "approve": Button(
        gettext_lazy("Duyệt"), "success", gettext_lazy("Đã duyệt báo cáo."), services.approve_report
    ),
    "return_to_unit": _RETURN,
    "receive": Button(
        gettext_lazy("Tiếp nhận"),
        "success",
        gettext_lazy("Đã tiếp nhận báo cáo."),
        services.receive_report,
    ),
    "return_from_office": _RETURN,
    "reopen": Button(
        gettext_lazy("Mở lại"),
        "outline-warning",
        gettext_lazy("Đã mở lại báo cáo."),
        services.reopen_report,
    ),
}
assert set(BUTTONS) == set(services.MOVES)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _require_manager(user: User) -> None:
    if not access.has_anywhere(user, Action.MANAGE_PROGRAMME):
        raise PermissionDenied


# --- periods -----------------------------------------------------------------------------------


def _own_reports(user: User, periods: Sequence[Period]) -> None:
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


@require_GET
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(periods_visible_to(user), PER_PAGE).get_page(request.GET.get("page"))
    _own_reports(user, list(page.object_list))
    manager = access.has_anywhere(user, Action.MANAGE_PROGRAMME)
    return render(request, "reporting/period_list.html", {"page": page, "manager": manager})


@require_http_methods(["GET", "POST"])
@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    form = PeriodForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(actor=user, **form.period_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã tạo kỳ báo cáo."))
            return redirect("reporting:board", period_code=period.code)
    return render(request, "reporting/period_form.html", {"form": form})


# --- one unit's report -------------------------------------------------------------------------


@dataclass
class ReportPage:
    period: Period
    unit: Unit
    report: UnitReport | None  # None: not started yet


def _page_or_404(user: User, period_code: str, unit_code: str) -> ReportPage:
    period = get_object_or_404(periods_visible_to(user), code=period_code)
    # Out of sight and not required this period are both a missing report: one query for both.
    units = access.units_visible_to(user).filter(required_periods=period)
    unit = get_object_or_404(units, code=unit_code)
    report = reports_visible_to(user).filter(period=period, unit=unit).first()
    if report is not None:
        report.period, report.unit = period, unit
    return ReportPage(period, unit, report)


def _started(page: ReportPage) -> UnitReport:
    if page.report is None:
        raise Http404
    return page.report


def _back(page: ReportPage) -> HttpResponse:
    return redirect("reporting:report", period_code=page.period.code, unit_code=page.unit.code)


@dataclass
class TaskRow:
    assignment: Assignment
    event: StatusEvent | None  # the latest
    form: StatusForm | None  # for those who may report on the unit


def _task_rows(unit: Unit, may_report: bool, bound: dict[int, StatusForm]) -> list[TaskRow]:
    """The unit's own assignments not yet completed or removed, each with its latest status."""
    assignments = list(unit.assignments.select_related("task").order_by("task__code"))
    latest = latest_events(assignments)
    rows = []
    for assignment in assignments:
        event = latest.get(assignment.pk)
        if event is not None and event.status in DONE_TASK:
            continue
        form = bound.get(assignment.pk)
        if form is None and may_report:
            form = StatusForm(prefix=status_prefix(assignment), latest=event)
        rows.append(TaskRow(assignment, event, form))
    return rows


def _period_updates(page: ReportPage) -> list[StatusEvent]:
    """What the unit reported on its tasks during the period: the report's "results" in data."""
    events = StatusEvent.objects.filter(
        assignment__unit=page.unit,
        effective_date__range=(page.period.starts_on, page.period.ends_on),
    )
    return list(events.select_related("assignment__task").order_by("effective_date", "id"))


def _text_parts(questions: Sequence[Question], sections: Sequence[Section]) -> list[Any]:
    """The stored text for reading: (heading, sections) per part or per question."""
    if questions:
        return [(q.text, [s for s in sections if s.question_id == q.pk]) for q in questions]
    return [(kind.label, [s for s in sections if s.kind == kind]) for kind in TEXT_KINDS]


def _editor(
    report: UnitReport,
    sections: Sequence[Section],
    questions: Sequence[Question],
    data: QueryDict | None = None,
) -> ReportEditor:
    areas = list(Area.objects.all())
    return report_editor(
        version=report.version, sections=sections, areas=areas, questions=questions, data=data
    )


def _moves(user: User, report: UnitReport | None) -> list[tuple[str, Button, bool]]:
    """The moves the user may make now: (name, button, needs a comment)."""
    if report is None:
        return []
    return [
        (name, BUTTONS[name], move.needs_comment)
        for name, move in services.MOVES.items()
        if report.state in move.sources and access.can(user, move.action, report.unit)
    ]


# --- the unit's indicator figures --------------------------------------------------------------


@dataclass
class FigureRow:
    element: DataElement
    value: StoredFigure | None  # as stored now
    field: Any  # the bound field of the figures form, when the figures may be entered
    violations: list[Violation]


def _figures_open(user: User, page: ReportPage) -> bool:
    """Figures are entered like the text: by the unit's own reporter, while the report is a draft
    or returned and the period is not closed."""
    report, period = page.report, page.period
    return (
        report is not None
        and report.state in EDITABLE
        and user.unit_id == page.unit.pk
        and access.can(user, Action.REPORT, page.unit)
        and not calendar.is_closed(period, timezone.now())
    )


@dataclass(frozen=True)
class StoredFigure:
    value: Decimal | None
    text: str


def _figure_elements(page: ReportPage) -> tuple[list[DataElement], dict[str, StoredFigure]]:
    """The data elements the unit reports for the period, with its stored values (one query)."""
    stored = DataValue.objects.filter(unit=page.unit, period=page.period, element=OuterRef("pk"))
    rows = (
        DataElement.objects.filter(period_kind=page.period.kind)
        .annotate(
            stored_pk=Subquery(stored.values("pk")[:1]),
            stored_value=Subquery(stored.values("value")[:1]),
            stored_text=Subquery(stored.values("text")[:1]),
        )
        .prefetch_related("reporting_units")
        .order_by("code")
    )
    mine = [e for e in rows if e.reported_by(page.unit)]
    figures = {
        e.code: StoredFigure(e.stored_value, e.stored_text or "")
        for e in mine
        if e.stored_pk is not None
    }
    elements: list[DataElement] = list(mine)
    return elements, figures


def _figures_form(
    elements: Sequence[DataElement],
    stored: dict[str, StoredFigure],
    data: QueryDict | None = None,
) -> FiguresForm:
    values = {code: v.value for code, v in stored.items()}
    return FiguresForm(data, elements=elements, stored=values)


def _figure_rows(
    elements: Sequence[DataElement],
    stored: dict[str, StoredFigure],
    form: FiguresForm | None,
    violations: Sequence[Violation],
) -> list[FigureRow]:
    by_code: dict[str, list[Violation]] = {}
    for violation in violations:
        by_code.setdefault(violation.element_code, []).append(violation)
    return [
        FigureRow(
            element=e,
            value=stored.get(e.code),
            field=form[form.field_name(e.code)]
            if form is not None and form.field_name(e.code) in form.fields
            else None,
            violations=by_code.get(e.code, []),
        )
        for e in elements
    ]


def _context(
    request: HttpRequest,
    page: ReportPage,
    *,
    editor: ReportEditor | None = None,
    error: str = "",
    status_forms: dict[int, StatusForm] | None = None,
    figures_form: FiguresForm | None = None,
    warnings: Sequence[Violation] = (),
    figures_error: str = "",
    confirming: bool = False,
) -> dict[str, Any]:
    user, report = _user(request), page.report
    may_report = access.can(user, Action.REPORT, page.unit)
    editable = report is not None and may_report and report.state in EDITABLE
    elements, stored = _figure_elements(page)
    if figures_form is None and elements and _figures_open(user, page):
        figures_form = _figures_form(elements, stored)
    questions = list(page.period.questions.all())
    sections = list(report.sections.select_related("area", "question")) if report else []
    if editor is None and editable:
        assert report is not None
        editor = _editor(report, sections, questions)
    return {
        "panels": PANELS,
        "period": page.period,
        "unit": page.unit,
        "report": report,
        "now": timezone.now(),
        "may_start": report is None and may_report,
        "editor": editor,
        "error": error,
        "text_parts": _text_parts(questions, sections),
        # Status forms only while the report itself may be edited: a received report is locked.
        "tasks": _task_rows(page.unit, editable, status_forms or {}),
        "period_updates": _period_updates(page),
        "editable": editable,
        "attachments": list(report.attachments.all()) if report else [],
        "attachment_form": AttachmentForm() if editable else None,
        "figures_form": figures_form,
        "figure_rows": _figure_rows(elements, stored, figures_form, warnings),
        "figure_warnings": warnings,
        "figures_error": figures_error,
        "figures_confirming": confirming,
        "moves": _moves(user, report),
        "timeline": list(report.transitions.select_related("actor")) if report else [],
    }


@require_GET
@login_required
def report_detail(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    page = _page_or_404(_user(request), period_code, unit_code)
    return render(request, REPORT_TEMPLATE, _context(request, page))


@require_POST
@login_required
def report_start(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    try:
        services.start_report(actor=user, unit=page.unit, period=page.period)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    return _back(page)


def _refused(
    request: HttpRequest, page: ReportPage, report: UnitReport, error: str, status: int
) -> HttpResponse:
    """The page again with the user's text kept, against the report as stored now."""
    report.refresh_from_db()
    data = request.POST.copy()
    data["version"] = str(report.version)  # saving again is a deliberate choice to overwrite
    editor = _editor(report, [], list(page.period.questions.all()), data)
    editor.is_valid()
    context = _context(request, page, editor=editor, error=error)
    return render(request, REPORT_TEMPLATE, context, status=status)


@require_POST
@login_required
def report_save(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    report = _started(page)
    access.authorize(user, Action.REPORT, page.unit)
    editor = _editor(report, [], list(page.period.questions.all()), request.POST)
    if not editor.is_valid():
        return render(request, REPORT_TEMPLATE, _context(request, page, editor=editor))
    try:
        services.save_report(
            actor=user, report=report, version=editor.stored_version, sections=editor.sections()
        )
    except StaleReport:
        return _refused(request, page, report, str(STALE), status=409)
    except ValidationError as exc:
        return _refused(request, page, report, _message(exc), status=200)
    messages.success(request, _("Đã lưu báo cáo."))
    return _back(page)


@require_POST
@login_required
def report_move(request: HttpRequest, period_code: str, unit_code: str, move: str) -> HttpResponse:
    if move not in BUTTONS:
        raise Http404
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    report = _started(page)
    form = CommentForm(request.POST)
    if not form.is_valid():  # e.g. control characters in the comment
        messages.error(request, _message(ValidationError(list(form.errors.values()))))
        return _back(page)
    comment = (
        {"comment": form.cleaned_data["comment"]} if services.MOVES[move].needs_comment else {}
    )
    try:
        BUTTONS[move].call(actor=user, report=report, **comment)
    except services.WrongState as exc:  # refused like any other forbidden request, with a reason
        context = _context(request, page, error=_message(exc))
        return render(request, REPORT_TEMPLATE, context, status=403)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, BUTTONS[move].done)
    return _back(page)


# --- the unit's tasks, updated from the report -------------------------------------------------


@require_POST
@login_required
def task_status(request: HttpRequest, period_code: str, unit_code: str, pk: int) -> HttpResponse:
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    assignment = get_object_or_404(page.unit.assignments.select_related("task", "unit"), pk=pk)
    access.authorize(user, Action.REPORT, page.unit)
    form = StatusForm(request.POST, request.FILES, prefix=status_prefix(assignment))
    if form.record(actor=user, assignment=assignment):
        return _tasks_changed(request, page)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"form": form, "assignment": assignment, "period": page.period, "unit": page.unit}
        return render(request, "reporting/_task_status_form.html", context)
    context = _context(request, page, status_forms={assignment.pk: form})
    return render(request, REPORT_TEMPLATE, context)


def _tasks_changed(request: HttpRequest, page: ReportPage) -> HttpResponse:
    notice = _("Đã cập nhật trạng thái.")
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, notice)
        return _back(page)
    context = {
        "period": page.period,
        "unit": page.unit,
        "tasks": _task_rows(page.unit, True, {}),
        "notice": notice,
    }
    response = render(request, "reporting/_panel_tasks.html", context)
    return reswap(retarget(response, "#report-tasks"), "outerHTML")


@require_POST
@login_required
def figures_save(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    """Save the unit's figures through indicators.services.record_values: a blocking violation
    saves nothing and shows the form again with each message next to its element; warnings are
    shown after saving, with the box to confirm them."""
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    access.authorize(user, Action.REPORT, page.unit)
    if user.unit_id != page.unit.pk:
        raise PermissionDenied
    _started(page)
    if not _figures_open(user, page):
        refused = _(
            "Chỉ nhập được số liệu khi báo cáo là bản nháp hoặc bị trả lại và kỳ chưa đóng."
        )
        context = _context(request, page, figures_error=refused)
        return render(request, REPORT_TEMPLATE, context, status=403)
    elements, stored = _figure_elements(page)
    form = _figures_form(elements, stored, request.POST)
    if not form.is_valid():
        return render(request, REPORT_TEMPLATE, _context(request, page, figures_form=form))
    confirm = bool(form.cleaned_data["confirm"])
    try:
        warnings = indicator_services.record_values(
            actor=user,
            unit=page.unit,
            period=page.period,
            values=form.values(),
            accept_warnings=confirm,
        )
    except EntryRejected as exc:
        if exc.needs_confirmation:  # only warnings: the same figures, once confirmed, are saved
            context = _context(
                request, page, figures_form=form, warnings=exc.violations, confirming=True
            )
            return render(request, REPORT_TEMPLATE, context)
        for violation in exc.violations:
            if violation.severity == Severity.ERROR:
                form.violation(violation.element_code, violation.message)
        warned = [v for v in exc.violations if v.severity != Severity.ERROR]
        context = _context(request, page, figures_form=form, warnings=warned)
        return render(request, REPORT_TEMPLATE, context)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return render(request, REPORT_TEMPLATE, _context(request, page, figures_form=form))
    messages.success(request, _("Đã lưu số liệu chỉ tiêu."))
    for warning in warnings:
        messages.warning(request, _("Cảnh báo đã xác nhận: %(m)s") % {"m": warning.message})
    return _back(page)


# --- attachments -------------------------------------------------------------------------------


def _form_errors(form: Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@login_required
def attachment_add(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    report = _started(page)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(page)
    try:
        services.add_attachment(actor=user, report=report, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã đính kèm tệp."))
    return _back(page)


@require_GET
@login_required
def attachment_download(
    request: HttpRequest, period_code: str, unit_code: str, pk: int
) -> FileResponse:
    """Files are never served publicly: only to those who may read the report."""
    report = _started(_page_or_404(_user(request), period_code, unit_code))
    attachment = get_object_or_404(report.attachments, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@require_POST
@login_required
def attachment_delete(
    request: HttpRequest, period_code: str, unit_code: str, pk: int
) -> HttpResponse:
    user = _user(request)
    page = _page_or_404(user, period_code, unit_code)
    attachment = get_object_or_404(_started(page).attachments.select_related("report"), pk=pk)
    try:
        services.remove_attachment(actor=user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã xóa tệp đính kèm."))
    return _back(page)


# --- the standing office's board ---------------------------------------------------------------


def _board_period(request: HttpRequest, period_code: str) -> Period:
    user = _user(request)
    _require_manager(user)
    return get_object_or_404(periods_visible_to(user), code=period_code)


@require_POST
@login_required
def board_close(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    try:
        services.close_period(actor=_user(request), period=period)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã đóng kỳ báo cáo; không nhận và không nhắc thêm."))
    return redirect("reporting:board", period_code=period.code)


def _board_form(request: HttpRequest) -> BoardFilterForm:
    blocs = access.units_where(_user(request), Action.MANAGE_PROGRAMME)
    blocs = blocs.filter(unit_type=UnitType.BLOC).order_by("path")
    return BoardFilterForm(request.GET, blocs=blocs, states=BOARD_STATES)


@require_GET
@login_required
def board(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    form = _board_form(request)
    filters = form.filters()
    state = filters.pop("state")
    rows = board_rows(period, **filters)  # every state, for the counts on top
    counts = Counter(row.state for row in rows)
    context = {
        "period": period,
        "form": form,
        "state": state,
        "total": len(rows),
        "counts": [(key, label, counts[key]) for key, label in BOARD_STATES.items()],
        "rows": [row for row in rows if state is None or row.state == state],
        "now": timezone.now(),
    }
    return render(request, "reporting/board.html", context)


@require_GET
@login_required
def board_export(request: HttpRequest, period_code: str) -> HttpResponseBase:
    period = _board_period(request, period_code)
    rows = board_rows(period, **_board_form(request).filters())
    return FileResponse(
        io.BytesIO(board_workbook(period, rows)),
        as_attachment=True,
        filename=f"bao-cao-{period.code}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_POST
@login_required
def board_remind(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    try:
        count = remind_unsubmitted(actor=_user(request), period=period)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã nhắc %(n)s đơn vị chưa nộp.") % {"n": count})
    return redirect("reporting:board", period_code=period.code)
