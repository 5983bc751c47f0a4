"""The standing office's pages that set up what periods ask and when: report forms and recurring
schedules (writes through reporting.schedules), the holidays working-day deadlines skip
(writes through periods.services), and the whole programme in one workbook (reporting.workbook)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57 import imports
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from periods import services as period_services
from periods.forms import HolidayForm
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.models import Holiday
from reporting import schedules, workbook
from reporting.forms import ReportFormEditor, ScheduleForm
from reporting.models import ReportForm, Schedule
from tasks.forms import TaskImportForm

manager_required = access.everywhere_required(Action.MANAGE_PROGRAMME)


@require_GET
@manager_required
def form_list(request: HttpRequest) -> HttpResponse:
    rows = ReportForm.objects.annotate(periods_count=Count("periods")).prefetch_related("elements")
    return render(request, "reporting/form_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@manager_required
def form_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    existing = get_object_or_404(ReportForm, code=code) if code else None
    initial = ReportFormEditor.initial_of(existing) if existing else None
    form = ReportFormEditor(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = schedules.save_report_form(
                actor=access.request_user(request), data=form.to_input(), form=existing
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu mẫu báo cáo “%(name)s”.") % {"name": saved.name})
            return redirect("reporting:form_list")
    return render(request, "reporting/form_edit.html", {"form": form, "existing": existing})


@require_GET
@manager_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    rows = Schedule.objects.select_related("form").annotate(periods_count=Count("periods"))
    return render(request, "reporting/schedule_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@manager_required
def schedule_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    user = access.request_user(request)
    existing = get_object_or_404(Schedule, code=code) if code else None
    initial = ScheduleForm.initial_of(existing) if existing else None
    form = ScheduleForm(request.POST or None, initial=initial, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = schedules.save_schedule(actor=user, data=form.to_input(), schedule=existing)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu lịch báo cáo “%(name)s”.") % {"name": saved.name})
            return redirect("reporting:schedule_edit", code=saved.code)
    context = {
        "form": form,
        "existing": existing,
        "upcoming": schedules.upcoming(existing, timezone.now()) if existing else [],
        "created": existing.periods.select_related("period").order_by("-period__starts_on")[:12]
        if existing
        else [],
    }
    return render(request, "reporting/schedule_edit.html", context)


@require_POST
@manager_required
def schedule_active(request: HttpRequest, code: str) -> HttpResponse:
    schedule = get_object_or_404(Schedule, code=code)
    active = request.POST.get("active") == "1"
    try:
        schedules.set_schedule_active(
            actor=access.request_user(request), schedule=schedule, active=active
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("Đã áp dụng lại lịch.") if active else _("Đã ngừng lịch; các kỳ đã tạo vẫn giữ.")
        messages.success(request, done)
    return redirect("reporting:schedule_edit", code=schedule.code)


@require_POST
@manager_required
def schedule_run(request: HttpRequest) -> HttpResponse:
    """Run the periodic job now (it runs hourly anyway): the periods already due are created."""
    created = schedules.create_due_periods(now=timezone.now())
    messages.success(request, _("Đã tạo %(n)s kỳ báo cáo.") % {"n": len(created)})
    return redirect("reporting:schedule_list")


# --- holidays ---------------------------------------------------------------------------------

YEARS = range(2000, 2101)


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year") or request.POST.get("year") or ""
    year = int(text) if text.isdigit() else timezone.localdate().year
    return year if year in YEARS else timezone.localdate().year


def _list_url(year: int) -> str:
    return f"{reverse('reporting:holidays')}?year={year}"


@require_http_methods(["GET", "POST"])
@manager_required
def holidays(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = period_services.add_holiday(
                actor=access.request_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã thêm ngày %(day)s.") % {"day": f"{added.day:%d/%m/%Y}"})
            return redirect(_list_url(added.day.year))
    rows = Holiday.objects.filter(day__year=year)
    context = {
        "year": year,
        "rows": rows,
        "form": form,
        "built_in": year in PUBLIC_HOLIDAYS,
        "years": (year - 1, year + 1),
    }
    return render(request, "reporting/holidays.html", context)


@require_POST
@manager_required
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holiday = get_object_or_404(Holiday, pk=pk)
    period_services.remove_holiday(actor=access.request_user(request), holiday=holiday)
    messages.success(request, _("Đã xóa ngày %(day)s.") % {"day": f"{holiday.day:%d/%m/%Y}"})
    return redirect(_list_url(holiday.day.year))


@require_POST
@manager_required
def holiday_load(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    added = period_services.load_public_holidays(actor=access.request_user(request), years=[year])
    messages.success(request, _("Đã thêm %(n)s ngày nghỉ lễ có sẵn.") % {"n": added})
    return redirect(_list_url(year))


# --- the programme workbook ---------------------------------------------------------------------


def _workbook(content: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@require_http_methods(["GET", "POST"])
@manager_required
def programme_workbook(request: HttpRequest) -> HttpResponse:
    """Load the whole programme from one workbook (reporting.workbook), run in the background
    (nq57.imports); a dry run previews what would change."""
    user = access.request_user(request)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_import(
            actor=user, form=form, handler="reporting.workbook.import_programme"
        )
        return redirect(imports.job_url(request, job))
    context = {
        "form": form,
        "sheets": [sheet.name for sheet in workbook.SHEETS],
        "template_url": reverse("reporting:programme_template"),
        **imports.job_context(request, user),
    }
    return render(request, "reporting/programme_workbook.html", context)


@require_GET
@manager_required
def programme_export(request: HttpRequest) -> FileResponse:
    name = f"chuong-trinh-{timezone.localdate():%Y-%m-%d}.xlsx"
    return _workbook(workbook.export_programme(), name)


@require_GET
@manager_required
def programme_template(request: HttpRequest) -> FileResponse:
    return _workbook(workbook.template_programme(), "mau-chuong-trinh.xlsx")
