"""Thin views: read through reporting.queries (the report page assembled by
reporting.report_page), write through reporting.services (task updates through tasks.services),
decide access in org.access. A unit or period out of sight is answered like a missing one (404);
a visible one the user may not act on is 403."""

from __future__ import annotations

import io
from collections import Counter
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from indicators.imports import HEADERS as FIGURE_HEADERS
from indicators.imports import ImportSummary, parse_value_file
from indicators.models import Severity
from indicators.validation import EntryRejected
from nq57 import imports
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import UnitType, User
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to
from reporting import corrections, queries, services
from reporting.forms import (
    AttachmentForm,
    BoardFilterForm,
    CommentForm,
    CorrectionForm,
    FigureImportForm,
    PeriodForm,
)
from reporting.models import Correction, UnitReport
from reporting.queries import BOARD_STATES, board_workbook
from reporting.reminders import remind_unsubmitted
from reporting.report_page import (
    BUTTONS,
    ReportPage,
    attachments_context,
    editor,
    figures_context,
    figures_form,
    figures_open,
    page_or_404,
    report_context,
    started,
    task_row,
    text_status,
)
from reporting.services import StaleReport
from tasks.forms import StatusForm
from tasks.models import Assignment
from tasks.views import status_prefix

PER_PAGE = 50
REPORT_TEMPLATE = "reporting/report.html"
STALE = gettext_lazy(
    "Báo cáo vừa được người khác cập nhật. Nội dung bạn nhập vẫn còn bên dưới; hãy đối chiếu "
    "với bản đang lưu rồi bấm Lưu lần nữa nếu muốn thay bằng nội dung của bạn."
)
QUICK_SENT = gettext_lazy("Đã gửi báo cáo nhanh cho cơ quan thường trực.")
manager_required = access.everywhere_required(Action.MANAGE_PROGRAMME)


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- periods -----------------------------------------------------------------------------------


@require_GET
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    page = Paginator(periods_visible_to(user), PER_PAGE).get_page(request.GET.get("page"))
    queries.mark_own_reports(user, list(page.object_list))
    manager = access.can_everywhere(user, Action.MANAGE_PROGRAMME)
    return render(request, "reporting/period_list.html", {"page": page, "manager": manager})


@require_http_methods(["GET", "POST"])
@manager_required
def period_create(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
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


def _back(page: ReportPage, section: str = "") -> HttpResponse:
    """The report page again, at the section the user was working on."""
    url = reverse("reporting:report", args=[page.period.code, page.unit.code])
    return redirect(f"{url}#{section}" if section else url)


def _htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


@require_GET
@login_required
def report_detail(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = access.request_user(request)
    return render(
        request, REPORT_TEMPLATE, report_context(user, page_or_404(user, period_code, unit_code))
    )


@require_POST
@login_required
def report_start(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
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
    text = editor(report, [], list(page.period.questions.all()), data)
    text.is_valid()
    context = report_context(access.request_user(request), page, text_editor=text, error=error)
    return render(request, REPORT_TEMPLATE, context, status=status)


@require_POST
@login_required
def report_save(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    """Save the report's text. Saved in place (HTMX, the editor's button or its autosave), the
    answer leaves the editor as it is — the user may be typing — and only tells what became of
    the save, with the version the next one carries; a plain post comes back to the page."""
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    report = started(page)
    access.authorize(user, Action.REPORT, page.unit)
    text = editor(report, [], list(page.period.questions.all()), request.POST)
    if not text.is_valid():
        if _htmx(request):
            return _text_status(request, page, report, 422, errors=text.error_messages())
        return render(request, REPORT_TEMPLATE, report_context(user, page, text_editor=text))
    try:
        saved = services.save_report(
            actor=user, report=report, version=text.stored_version, sections=text.sections()
        )
    except StaleReport:
        if _htmx(request):
            return _text_status(request, page, report, 409, error=str(STALE), conflict=True)
        return _refused(request, page, report, str(STALE), status=409)
    except ValidationError as exc:
        if _htmx(request):
            return _text_status(request, page, report, 409, error=_message(exc))
        return _refused(request, page, report, _message(exc), status=200)
    if _htmx(request):
        return _text_status(request, page, saved, 200, saved_at=timezone.now())
    messages.success(request, _("Đã lưu báo cáo."))
    return _back(page, "report-text")


def _text_status(
    request: HttpRequest, page: ReportPage, report: UnitReport, status: int, **what: Any
) -> HttpResponse:
    report.refresh_from_db()
    context = text_status(page, report, **what)
    return render(request, "reporting/_text_status.html", context, status=status)


@require_POST
@login_required
def report_move(request: HttpRequest, period_code: str, unit_code: str, move: str) -> HttpResponse:
    if move not in BUTTONS:
        raise Http404
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    report = started(page)
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
        context = report_context(user, page, error=_message(exc))
        return render(request, REPORT_TEMPLATE, context, status=403)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        quick = move == "submit" and page.period.kind == PeriodKind.QUICK
        messages.success(request, QUICK_SENT if quick else BUTTONS[move].done)
    return _back(page)


# --- corrections to the sealed period ----------------------------------------------------------


@require_POST
@login_required
def correction_request(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    """A status correction from the report page: asked by the unit's own reporter, made directly
    by the standing office (reporting.corrections checks who may do which)."""
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    direct = access.can(user, Action.MANAGE_PROGRAMME, page.unit)
    if not direct:
        access.authorize_own(user, Action.REPORT, page.unit)
    form = CorrectionForm(request.POST, unit=page.unit)
    if not form.is_valid():
        messages.error(request, _message(ValidationError(list(form.errors.values()))))
        return _back(page)
    call = corrections.correct_directly if direct else corrections.request_correction
    try:
        call(actor=user, unit=page.unit, period=page.period, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        done = _("Đã điều chỉnh.") if direct else _("Đã gửi đề nghị điều chỉnh.")
        messages.success(request, done)
    return _back(page)


DECISIONS = {"approve": corrections.approve_correction, "refuse": corrections.refuse_correction}


@require_GET
@manager_required
def correction_list(request: HttpRequest) -> HttpResponse:
    """The standing office's queue: corrections asked and not decided yet, oldest first, each
    opening the report page where it is decided (`?all=1`: every correction, newest first)."""
    rows = Correction.objects.select_related(
        "unit", "period", "assignment__task", "element", "requested_by"
    )
    everything = request.GET.get("all") == "1"
    rows = rows.order_by("-requested_at", "-id") if everything else queries.pending_corrections()
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "reporting/correction_list.html", {"page": page, "everything": everything}
    )


@require_POST
@login_required
def correction_decide(
    request: HttpRequest, period_code: str, unit_code: str, pk: int, decision: str
) -> HttpResponse:
    if decision not in DECISIONS:
        raise Http404
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    correction = get_object_or_404(Correction, pk=pk, unit=page.unit, period=page.period)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _message(ValidationError(list(form.errors.values()))))
        return _back(page)
    try:
        DECISIONS[decision](actor=user, correction=correction, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã xử lý đề nghị điều chỉnh."))
    return _back(page)


# --- the unit's tasks, updated from the report -------------------------------------------------


@require_POST
@login_required
def task_status(request: HttpRequest, period_code: str, unit_code: str, pk: int) -> HttpResponse:
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    assignment = get_object_or_404(page.unit.assignments.select_related("task", "unit"), pk=pk)
    access.authorize(user, Action.REPORT, page.unit)
    form = StatusForm(request.POST, request.FILES, prefix=status_prefix(assignment))
    if form.record(actor=user, assignment=assignment):
        return _tasks_changed(request, page, assignment)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"form": form, "assignment": assignment, "period": page.period, "unit": page.unit}
        return render(request, "reporting/_task_status_form.html", context)
    context = report_context(user, page, status_forms={assignment.pk: form})
    return render(request, REPORT_TEMPLATE, context)


def _tasks_changed(request: HttpRequest, page: ReportPage, assignment: Assignment) -> HttpResponse:
    """Saved in place: the task's own row again (the other rows, and what is typed in them, are
    left alone) and the period's updates below the heading."""
    notice = _("Đã cập nhật trạng thái.")
    if not _htmx(request):
        messages.success(request, notice)
        return _back(page, f"task-{assignment.pk}")
    context = {
        "period": page.period,
        "unit": page.unit,
        "row": task_row(assignment),
        "period_updates": queries.period_updates(page.unit, page.period),
        "notice": notice,
    }
    response = render(request, "reporting/_task_saved.html", context)
    return reswap(retarget(response, f"#task-{assignment.pk}"), "outerHTML")


@require_POST
@login_required
def figures_save(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    """Save the unit's figures through reporting.services.record_report_figures (the figure lock,
    only the figures typed differently from the form as opened, each still stored as it was
    then, then indicators.services.record_values): a blocking violation saves nothing and shows
    the form again with each message next to its element; warnings save nothing until confirmed
    with a comment (the box and the comment are offered with them). Saved in place (HTMX), the
    answer is the figures section alone."""
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    access.authorize_own(user, Action.REPORT, page.unit)
    report = started(page)
    if not figures_open(user, page):
        refused = str(services.FIGURES_LOCKED)
        return _figures(request, page, 409 if _htmx(request) else 403, figures_error=refused)
    form = figures_form(*queries.figure_elements(page.unit, page.period), data=request.POST)
    valid = form.is_valid()
    # Confirmed without a comment: tried unconfirmed, so the warnings are shown again.
    if not valid and set(form.errors) != {"comment"}:
        return _figures(request, page, 200, figures=form)
    confirm = valid and bool(form.cleaned_data["confirm"])
    comment = form.cleaned_data.get("comment", "")
    try:
        warnings = services.record_report_figures(
            actor=user, report=report, values=form.values(), accept_warnings=confirm,
            comment=comment, expected=form.expected(),
        )  # fmt: skip
    except services.StaleFigures as exc:
        form.stale(exc.current)
        return _figures(request, page, 409, figures=form)
    except EntryRejected as exc:
        if exc.needs_confirmation:  # only warnings: the same figures, once confirmed, are saved
            return _figures(
                request, page, 200, figures=form, warnings=exc.violations, confirming=True
            )
        for violation in exc.violations:
            if violation.severity == Severity.ERROR:
                form.violation(violation.element_code, violation.message)
        warned = [v for v in exc.violations if v.severity != Severity.ERROR]
        return _figures(request, page, 200, figures=form, warnings=warned)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _figures(request, page, 200, figures=form)
    done = [str(_("Đã lưu số liệu chỉ tiêu."))] + [
        _("Cảnh báo đã xác nhận: %(m)s") % {"m": w.message} for w in warnings
    ]
    if _htmx(request):
        return _figures(request, page, 200, notice=" ".join(done))
    messages.success(request, done[0])
    for line in done[1:]:
        messages.warning(request, line)
    return _back(page, "report-figures")


def _figures(request: HttpRequest, page: ReportPage, status: int, **what: Any) -> HttpResponse:
    """The figures section alone (HTMX) or the whole page, with `what` (figures_context)."""
    user = access.request_user(request)
    if _htmx(request):
        context = figures_context(user, page, **what)
        return render(request, "reporting/_panel_indicators.html", context, status=status)
    return render(request, REPORT_TEMPLATE, report_context(user, page, **what), status=status)


# --- attachments -------------------------------------------------------------------------------


def _form_errors(form: Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@require_POST
@login_required
def attachment_add(request: HttpRequest, period_code: str, unit_code: str) -> HttpResponse:
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    report = started(page)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _attachments(request, page, error=_form_errors(form))
    try:
        services.add_attachment(actor=user, report=report, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        return _attachments(request, page, error=_message(exc))
    return _attachments(request, page, notice=_("Đã đính kèm tệp."))


def _attachments(
    request: HttpRequest, page: ReportPage, *, notice: str = "", error: str = ""
) -> HttpResponse:
    """After a file was added or removed: the files section alone (HTMX), or back to it."""
    if _htmx(request):
        context = attachments_context(
            access.request_user(request), page, notice=notice, error=error
        )
        return render(request, "reporting/_panel_attachments.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return _back(page, "report-attachments")


@require_GET
@login_required
def attachment_download(
    request: HttpRequest, period_code: str, unit_code: str, pk: int
) -> FileResponse:
    """Files are never served publicly: only to those who may read the report."""
    report = started(page_or_404(access.request_user(request), period_code, unit_code))
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
    user = access.request_user(request)
    page = page_or_404(user, period_code, unit_code)
    attachment = get_object_or_404(started(page).attachments.select_related("report"), pk=pk)
    try:
        services.remove_attachment(actor=user, attachment=attachment)
    except ValidationError as exc:
        return _attachments(request, page, error=_message(exc))
    return _attachments(request, page, notice=_("Đã xóa tệp đính kèm."))


# --- the standing office's board ---------------------------------------------------------------


def _board_period(request: HttpRequest, period_code: str) -> Period:
    """The board's period; the board is the standing office's (see `manager_required`)."""
    periods = periods_visible_to(access.request_user(request)).select_related("setup__form")
    return get_object_or_404(periods, code=period_code)


@require_POST
@manager_required
def board_close(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    try:
        services.close_period(actor=access.request_user(request), period=period)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã đóng kỳ báo cáo; không nhận và không nhắc thêm."))
    return redirect("reporting:board", period_code=period.code)


def _board_form(request: HttpRequest) -> BoardFilterForm:
    blocs = access.units_where(access.request_user(request), Action.MANAGE_PROGRAMME)
    blocs = blocs.filter(unit_type=UnitType.BLOC).order_by("path")
    return BoardFilterForm(request.GET, blocs=blocs, states=BOARD_STATES)


@require_GET
@manager_required
def board(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    form = _board_form(request)
    filters = form.filters()
    state = filters.pop("state")
    rows = queries.board(period, **filters)  # every state, for the counts on top
    counts = Counter(row.state for row in rows)
    shown = [row for row in rows if state is None or row.state == state]
    context = {
        "period": period,
        "form": form,
        "state": state,
        "total": len(rows),
        "counts": [(key, label, counts[key]) for key, label in BOARD_STATES.items()],
        "rows": shown,
        # the office's work first; the rest folded behind its count unless the list is filtered
        "groups": queries.board_groups(
            shown, unfold_all=state is not None or any(filters.values())
        ),
        "now": timezone.now(),
        # A quick report's board shows its answers, units × questions.
        "grid": queries.answer_grid(period, shown) if period.kind == PeriodKind.QUICK else None,
    }
    return render(request, "reporting/board.html", context)


@require_GET
@manager_required
def board_export(request: HttpRequest, period_code: str) -> HttpResponseBase:
    period = _board_period(request, period_code)
    rows = queries.board(period, **_board_form(request).filters())
    if period.kind == PeriodKind.QUICK:
        content = queries.grid_workbook(period, queries.answer_grid(period, rows))
    else:
        content = board_workbook(period, rows)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"bao-cao-{period.code}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_POST
@manager_required
def board_remind(request: HttpRequest, period_code: str) -> HttpResponse:
    period = _board_period(request, period_code)
    try:
        count = remind_unsubmitted(actor=access.request_user(request), period=period)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Đã nhắc %(n)s đơn vị chưa nộp.") % {"n": count})
    return redirect("reporting:board", period_code=period.code)


# --- the XLSX import of figures ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def figure_import(request: HttpRequest) -> HttpResponse:
    """Figures of many units and periods from one file, all or none, through
    reporting.services.import_figures (the figure lock on every row). Open to anyone who reports
    figures somewhere; each row is still decided by its unit."""
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.REPORT)
    form = FigureImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_import(
            actor=user, form=form, handler="reporting.views.run_figure_import"
        )
        return redirect(imports.job_url(request, job))
    context = {
        "form": form,
        "headers": FIGURE_HEADERS,
        "template_url": reverse("indicators:import_template"),
        **imports.job_context(request, user),
    }
    return render(request, "reporting/figure_import.html", context)


def run_figure_import(
    *,
    actor: User,
    source: IO[bytes],
    dry_run: bool,
    accept_warnings: bool = False,
    comment: str = "",
) -> ImportSummary:
    """The figure import, run by the background job (nq57.imports), with the confirmation of
    the rules' warnings the form carried (FigureImportForm.job_options)."""
    return services.import_figures(
        actor=actor, rows=parse_value_file(source), dry_run=dry_run,
        accept_warnings=accept_warnings, comment=comment,
    )  # fmt: skip
