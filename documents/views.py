"""Thin views: requests and issuer settings go through documents.services, which decides access
in org.access. A report of a unit out of sight is answered like a missing one (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import services
from documents.changes import report_changes
from documents.composer import letterhead
from documents.content import KIND_LABELS, Kind
from documents.forms import ProfileForm, RequestForm, UnitPickForm
from documents.history import report_history
from documents.models import DocumentProfile, Format, GeneratedReport, JobStatus
from indicators.queries import confirmed_warnings
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import Unit, User
from periods.queries import periods_visible_to

PER_PAGE = 30
CONTENT_TYPES = {
    Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Format.XLSX: XLSX_CONTENT_TYPE,
    Format.PDF: "application/pdf",
}


def _visible_report(user: User, pk: int) -> GeneratedReport:
    """The report if the user may see its unit (404 otherwise). Reading writes nothing: a run
    whose worker died shows failed (GeneratedReport.is_dead) until the periodic sweep
    (`manage.py sweep_reports`) records it."""
    reports = GeneratedReport.objects.visible_to(user).select_related("period", "unit")
    return get_object_or_404(reports, pk=pk)


def _request(request: HttpRequest, form: RequestForm) -> GeneratedReport | None:
    """Queue what the valid form asks for; None (the reason on the form) when refused."""
    data = form.cleaned_data
    try:
        return services.request_report(
            actor=access.request_user(request), kind=data["kind"], period=data["period"],
            unit=data["unit"], as_of=data["as_of"], fmt=data["fmt"],
        )  # fmt: skip
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _unsigned(user: User, kinds: list[Kind]) -> list[tuple[str, str | None]]:
    """The letterheads the user may generate that name no signer: (what, where to fix it, when
    the user may)."""
    manager = access.has_anywhere(user, Action.MANAGE_PROGRAMME)
    found: list[tuple[str, str | None]] = []
    province = {p.kind: p for p in DocumentProfile.objects.filter(unit__isnull=True)}
    for kind in kinds:
        if kind == Kind.UNIT:
            if not user.unit.is_reporting:
                continue
            profile = letterhead.profile_for(kind, user.unit)
            url = reverse("documents:profile_unit", args=[user.unit.code])
        else:
            profile = province.get(kind) or DocumentProfile(kind=kind)
            url = reverse("documents:profile_edit", args=[kind.value])
        if not profile.signer_name:
            found.append((str(KIND_LABELS[kind]), url if manager else None))
    return found


@require_http_methods(["GET", "POST"])
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Ask for a report, and the versions generated before (kept, newest first)."""
    user = access.request_user(request)
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST":
        if not form.kinds:
            raise PermissionDenied
        if form.is_valid() and (report := _request(request, form)) is not None:
            messages.success(request, _("Đã nhận yêu cầu; báo cáo đang được tạo."))
            return redirect("documents:detail", pk=report.pk)
    reports = GeneratedReport.objects.visible_to(user).select_related(
        "period", "unit", "requested_by"
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    province = [kind for kind in form.kinds if kind in services.PROVINCE_KINDS]
    context = {
        "form": form if form.kinds else None,
        "unsigned": _unsigned(user, form.kinds),
        "page": page,
        "manager": access.has_anywhere(user, Action.MANAGE_PROGRAMME),
        # the composer: the province's kinds the user makes, the periods of those kinds
        "compose_kinds": [(kind.value, KIND_LABELS[kind]) for kind in province],
        "compose_periods": [
            (code, title)
            for code, title, kind in periods_visible_to(user)
            .order_by("-starts_on", "code")
            .values_list("code", "title", "kind")
            if kind in {services.PERIOD_KINDS[k] for k in province}
        ],
    }
    return render(request, "documents/index.html", context)


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(access.request_user(request), pk)
    warned = confirmed_warnings(report.period, report.unit, report.as_of)
    return render(
        request, "documents/detail.html", {"report": report, "confirmed_warnings": warned}
    )


@require_GET
@login_required
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The live part of the report's page, polled every second while the job runs."""
    report = _visible_report(access.request_user(request), pk)
    return render(request, "documents/_live.html", {"report": report})


@require_POST
@login_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask again for a failed report: the same kind, period, unit, date and format."""
    user = access.request_user(request)
    failed = _visible_report(user, pk)
    if not failed.can_retry:
        raise Http404
    try:
        report = services.request_report(
            actor=user, kind=failed.kind, period=failed.period, unit=failed.unit,
            as_of=failed.as_of, fmt=failed.format,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:detail", pk=failed.pk)
    messages.success(request, _("Đã nhận yêu cầu; báo cáo đang được tạo."))
    return redirect("documents:detail", pk=report.pk)


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """Generated files are never served publicly: only to those who may view the unit."""
    report = _visible_report(access.request_user(request), pk)
    if report.status != JobStatus.DONE or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=report.download_name(),
        content_type=CONTENT_TYPES[Format(report.format)],
    )


# --- issuer settings -------------------------------------------------------------------------


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def profiles(request: HttpRequest) -> HttpResponse:
    """The province's kinds and the units that have their own letterhead."""
    user = access.request_user(request)
    pick = UnitPickForm(request.GET or None, user=user)
    if pick.is_valid():
        return redirect("documents:profile_unit", unit_code=pick.cleaned_data["unit"].code)
    managed = access.units_where(user, Action.MANAGE_PROGRAMME)
    stored = DocumentProfile.objects.filter(Q(unit__isnull=True) | Q(unit__in=managed))
    stored = stored.select_related("unit")
    by_kind = {p.kind: p for p in stored if p.unit_id is None}
    context = {
        "province_kinds": [
            (kind, KIND_LABELS[kind], by_kind.get(kind))
            for kind in Kind
            if kind in services.PROVINCE_KINDS
        ],
        "unit_profiles": [p for p in stored if p.unit_id is not None],
        "pick": pick,
    }
    return render(request, "documents/profiles.html", context)


def _edit_profile(request: HttpRequest, kind: Kind, unit: Unit | None) -> HttpResponse:
    user = access.request_user(request)
    target = unit if unit is not None else letterhead.province_root()
    access.authorize(user, Action.MANAGE_PROGRAMME, target)
    profile = letterhead.stored_profile(kind, unit)
    if profile is None:
        profile = letterhead.derived_profile(unit) if unit else DocumentProfile(kind=kind)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
        try:
            services.save_profile(actor=user, kind=kind, unit=unit, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin ban hành."))
            return redirect("documents:profiles")
    context = {"form": form, "kind_label": KIND_LABELS[kind], "unit": unit}
    return render(request, "documents/profile_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in services.PROVINCE_KINDS:
        raise Http404
    return _edit_profile(request, Kind(kind), None)


@require_http_methods(["GET", "POST"])
@login_required
def profile_unit(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=unit_code)
    return _edit_profile(request, Kind.UNIT, unit)


# --- a kept report's changes and the history of a report ---------------------------------------


@require_GET
@login_required
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The statements of a kept report whose figures differ now, what changed them, and the
    draft correction note."""
    report = _visible_report(access.request_user(request), pk)
    if report.status != JobStatus.DONE:
        raise Http404
    found = report_changes(report)
    template = "documents/_changes.html" if request.htmx else "documents/changes.html"  # type: ignore[attr-defined]
    return render(request, template, {"report": report, "found": found})


@require_GET
@login_required
def history(request: HttpRequest, kind: str, period: str) -> HttpResponse:
    """Every version generated of a report and every change made to it (its prose, its issuer
    settings, the corrections of its period), who and when; nothing is deleted."""
    user = access.request_user(request)
    try:
        checked = Kind(kind)
    except ValueError as exc:
        raise Http404 from exc
    found = get_object_or_404(periods_visible_to(user), code=period)
    if checked == Kind.UNIT:
        unit = get_object_or_404(Unit, code=request.GET.get("unit", ""))
    else:
        unit = letterhead.province_root()
    if not access.can(user, Action.VIEW, unit):
        raise Http404
    context = {
        "kind": checked,
        "label": KIND_LABELS[checked],
        "period": found,
        "unit": unit,
        "events": report_history(checked, found, unit),
    }
    return render(request, "documents/history.html", context)
