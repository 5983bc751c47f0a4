"""One unit's report page, assembled: the report and its unit and period as the user may see
them, the panels' context (read through reporting.queries), the forms offered to those who may
write (decided by reporting.services and org.access), and the buttons of the workflow's moves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from indicators.models import DataElement, ValueType
from indicators.queries import stale_figures
from indicators.validation import Violation
from org import access
from org.access import Action
from org.models import Unit, User
from periods import calendar, seals
from periods.models import Period
from periods.queries import periods_visible_to
from reporting import queries, services
from reporting.forms import (
    AttachmentForm,
    CorrectionForm,
    FiguresForm,
    ReportEditor,
    report_editor,
)
from reporting.models import Correction, Question, Section, UnitReport
from reporting.queries import StoredFigure, reports_visible_to
from tasks.forms import StatusForm
from tasks.models import Area, Assignment, StatusEvent
from tasks.queries import latest_events
from tasks.views import status_prefix

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The report page, top to bottom: one partial per section, all fed by `report_context`.
PANELS = (
    "reporting/_panel_state.html",
    "reporting/_panel_text.html",
    "reporting/_panel_tasks.html",
    "reporting/_panel_indicators.html",
    "reporting/_panel_attachments.html",
    "reporting/_panel_actions.html",
    "reporting/_panel_corrections.html",
    "reporting/_panel_timeline.html",
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


@dataclass
class ReportPage:
    period: Period
    unit: Unit
    report: UnitReport | None  # None: not started yet


def page_or_404(user: User, period_code: str, unit_code: str) -> ReportPage:
    periods = periods_visible_to(user).select_related("setup__form")
    period = get_object_or_404(periods, code=period_code)
    # Out of sight and not required this period are both a missing report: one query for both.
    units = access.units_visible_to(user).filter(required_periods=period)
    unit = get_object_or_404(units, code=unit_code)
    report = reports_visible_to(user).filter(period=period, unit=unit).first()
    if report is not None:
        report.period, report.unit = period, unit
    return ReportPage(period, unit, report)


def started(page: ReportPage) -> UnitReport:
    if page.report is None:
        raise Http404
    return page.report


@dataclass
class TaskRow:
    assignment: Assignment
    event: StatusEvent | None  # the latest
    form: StatusForm | None  # for those who may report on the unit


def task_rows(unit: Unit, may_report: bool, bound: dict[int, StatusForm]) -> list[TaskRow]:
    """The unit's unfinished assignments, each with a status form when the user may report."""
    rows = []
    for assignment, event in queries.open_assignments(unit):
        form = bound.get(assignment.pk)
        if form is None and may_report:
            form = StatusForm(prefix=status_prefix(assignment), latest=event)
        rows.append(TaskRow(assignment, event, form))
    return rows


def task_row(assignment: Assignment) -> TaskRow:
    """One assignment's row once its status was recorded from the page: its latest status and,
    while it is still open, a fresh form."""
    event = latest_events([assignment]).get(assignment.pk)
    form = StatusForm(prefix=status_prefix(assignment), latest=event)
    return TaskRow(assignment, event, form if queries.still_open(event) else None)


def editor(
    report: UnitReport,
    sections: Sequence[Section],
    questions: Sequence[Question],
    data: QueryDict | None = None,
) -> ReportEditor:
    areas = list(Area.objects.all())
    return report_editor(
        version=report.version,
        sections=sections,
        areas=areas,
        questions=questions,
        kinds=queries.asked_kinds(report.period),
        data=data,
    )


def _moves_allowed(user: User, report: UnitReport | None) -> list[tuple[str, Button, bool]]:
    """The moves the user may make now (`services.may_move`): (name, button, needs a
    comment)."""
    if report is None:
        return []
    return [
        (name, BUTTONS[name], move.needs_comment)
        for name, move in services.MOVES.items()
        if services.may_move(user, report, name)
    ]


def _corrections(user: User, page: ReportPage) -> dict[str, Any]:
    """The corrections of the unit's sealed period, and the correction form once the report has
    left the unit or the period is closed: a request from the unit's own reporters, a direct
    correction from the standing office. A report never sent has none (no query)."""
    report = page.report
    closed = calendar.is_closed(page.period, timezone.now())
    if report is None or (report.first_submitted_at is None and not closed):
        return {"corrections": [], "correction_form": None, "may_decide": False}
    sealed = seals.figures_sealed(page.unit, page.period)
    may_decide = access.can(user, Action.MANAGE_PROGRAMME, page.unit)
    asks = sealed and (may_decide or access.can_own(user, Action.REPORT, page.unit))
    rows = Correction.objects.filter(unit=page.unit, period=page.period).select_related(
        "assignment__task", "element", "requested_by", "decided_by"
    )
    return {
        "corrections": list(rows),
        "correction_form": CorrectionForm(unit=page.unit) if asks else None,
        "may_decide": may_decide,
    }


# --- the unit's indicator figures --------------------------------------------------------------


@dataclass
class FigureRow:
    element: DataElement
    value: StoredFigure | None  # as stored now
    field: Any  # the bound field of the figures form, when the figures may be entered
    opened: Any  # its hidden companion: the value stored when the form was opened
    violations: list[Violation]
    stale: bool = False  # the unit's newest figure of the element is older than it should be

    @property
    def yes_no(self) -> bool:
        return self.element.value_type == ValueType.YES_NO


def figures_open(user: User, page: ReportPage) -> bool:
    """Whether the page offers the figures form: the report is started and
    reporting.services lets the user write its figures (the same rule the save goes through)."""
    return page.report is not None and services.report_figures_editable(user, page.report)


def figures_form(
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
    stale: set[int],
) -> list[FigureRow]:
    by_code: dict[str, list[Violation]] = {}
    for violation in violations:
        by_code.setdefault(violation.element_code, []).append(violation)

    def bound(name: str) -> Any:
        return form[name] if form is not None and name in form.fields else None

    return [
        FigureRow(
            element=e,
            value=stored.get(e.code),
            field=bound(FiguresForm.field_name(e.code)),
            opened=bound(FiguresForm.opened_name(e.code)),
            violations=by_code.get(e.code, []),
            stale=e.pk in stale,
        )
        for e in elements
    ]


def stale_elements(unit: Unit, elements: Sequence[DataElement]) -> set[int]:
    """The ids of the elements whose newest figure from the unit is stale (one query, none when
    the unit reports nothing)."""
    if not elements:
        return set()
    return {element for _unit, element in stale_figures(elements, [unit.pk])}


def figures_context(
    user: User,
    page: ReportPage,
    *,
    figures: FiguresForm | None = None,
    warnings: Sequence[Violation] = (),
    figures_error: str = "",
    confirming: bool = False,
    notice: str = "",
) -> dict[str, Any]:
    """The figures section: the unit's elements with their stored values, and the form when the
    user may enter them (or the bound one given, after a refused save)."""
    elements, stored = queries.figure_elements(page.unit, page.period)
    if figures is None and elements and figures_open(user, page):
        figures = figures_form(elements, stored)
    return {
        "period": page.period,
        "unit": page.unit,
        "figures_form": figures,
        "figure_rows": _figure_rows(
            elements, stored, figures, warnings, stale_elements(page.unit, elements)
        ),
        "figure_warnings": warnings,
        "figures_error": figures_error,
        "figures_confirming": confirming,
        "figures_notice": notice,
    }


def attachments_context(
    user: User, page: ReportPage, *, notice: str = "", error: str = ""
) -> dict[str, Any]:
    report = page.report
    editable = report is not None and services.report_editable(user, report)
    return {
        "period": page.period,
        "unit": page.unit,
        "editable": editable,
        "attachments": list(report.attachments.all()) if report else [],
        "attachment_form": AttachmentForm() if editable else None,
        "attachments_notice": notice,
        "attachments_error": error,
    }


def text_status(page: ReportPage, report: UnitReport, **status: Any) -> dict[str, Any]:
    """What answers a save of the text made in place (the editor stays as the user is typing
    in it): the version the next save carries, and what became of this one — saved at, or
    refused with the stored text to compare."""
    questions = list(page.period.questions.all())
    sections = list(report.sections.select_related("area", "question"))
    return {
        "period": page.period,
        "unit": page.unit,
        "report": report,
        "text_parts": queries.text_parts(questions, sections, queries.asked_kinds(page.period)),
        "saved_at": None,
        "error": "",
        "errors": [],
        "conflict": False,
    } | status


def report_context(
    user: User,
    page: ReportPage,
    *,
    text_editor: ReportEditor | None = None,
    error: str = "",
    status_forms: dict[int, StatusForm] | None = None,
    **figures: Any,
) -> dict[str, Any]:
    """Everything the report page's panels show, with the forms the user may fill in (or the
    bound ones given, after a refused save; `figures`: see `figures_context`)."""
    report = page.report
    # The forms offered are those the services accept (`report_editable`, `may_start`): the
    # standing office reads a unit's report, returned or not, and writes none of it.
    editable = report is not None and services.report_editable(user, report)
    questions = list(page.period.questions.all())
    sections = list(report.sections.select_related("area", "question")) if report else []
    if text_editor is None and editable:
        assert report is not None
        text_editor = editor(report, sections, questions)
    return (
        {
            "panels": PANELS,
            "period": page.period,
            "unit": page.unit,
            "report": report,
            "now": timezone.now(),
            "may_start": report is None and services.may_start(user, page.unit, page.period),
            "editor": text_editor,
            "error": error,
            "text_parts": queries.text_parts(questions, sections, queries.asked_kinds(page.period)),
            # Status forms only while the report itself may be edited: a received report is
            # locked.
            "tasks": task_rows(page.unit, editable, status_forms or {}),
            "period_updates": queries.period_updates(page.unit, page.period),
            "moves": _moves_allowed(user, report),
            "timeline": list(report.transitions.select_related("actor")) if report else [],
        }
        | figures_context(user, page, **figures)
        | attachments_context(user, page)
        | _corrections(user, page)
    )
