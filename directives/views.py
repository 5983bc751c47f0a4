"""Thin views: read through directives.queries, write through directives.services, decide access
in org.access. A document out of sight is answered like a missing one (404); a visible one the
user may not change is 403."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from directives import services
from directives.forms import DirectiveFilterForm, DirectiveForm
from directives.models import Directive
from directives.queries import directives_visible_to, filtered
from nq57.xlsx import XLSX_CONTENT_TYPE, build_workbook
from org import access
from org.access import Action
from org.models import Unit, User
from tasks.models import Task
from tasks.queries import tasks_visible_to

PER_PAGE = 50


def _filter_units(user: User, visible: QuerySet[Directive]) -> QuerySet[Unit]:
    """Issuers one may filter by: the units the user sees and those whose documents it reads."""
    issuers = visible.values("issuer")
    return Unit.objects.filter(Q(pk__in=access.units_visible_to(user)) | Q(pk__in=issuers))


def _listing(request: HttpRequest) -> tuple[DirectiveFilterForm, QuerySet[Directive]]:
    user = access.request_user(request)
    form = DirectiveFilterForm(request.GET, units=_filter_units(user, directives_visible_to(user)))
    if form.has_error("unit", "invalid_choice"):
        raise Http404  # a unit out of sight is answered like a missing one
    return form, filtered(user, form.directive_filter())


@require_GET
@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    form, directives = _listing(request)
    context = {
        "form": form,
        "page": Paginator(directives, PER_PAGE).get_page(request.GET.get("page")),
        "manager": access.can_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME),
    }
    return render(request, "directives/directive_list.html", context)


EXPORT_HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Số, ký hiệu"),
    gettext_lazy("Ngày ban hành"),
    gettext_lazy("Loại văn bản"),
    gettext_lazy("Trích yếu"),
    gettext_lazy("Cơ quan ban hành"),
    gettext_lazy("Nhiệm vụ liên quan"),
)


@require_GET
@login_required
def directive_export(request: HttpRequest) -> HttpResponseBase:
    directives = _listing(request)[1]
    visible_tasks = tasks_visible_to(access.request_user(request)).only("code").order_by("code")
    rows = (
        (
            n,
            d.number,
            date_format(d.issued_on, "SHORT_DATE_FORMAT"),
            d.get_kind_display(),
            d.subject,
            d.issuer.name,
            ", ".join(t.code for t in d.tasks.all()),
        )
        for n, d in enumerate(directives.prefetch_related(Prefetch("tasks", visible_tasks)), 1)
    )
    headers = [str(h) for h in EXPORT_HEADERS]
    content = build_workbook(_("Văn bản chỉ đạo"), headers, rows)
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename="van-ban-chi-dao.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _directive_or_404(user: User, pk: int) -> Directive:
    return get_object_or_404(
        directives_visible_to(user).select_related("issuer", "entered_by"), pk=pk
    )


def _editable_or_404(user: User, pk: int) -> Directive:
    directive = _directive_or_404(user, pk)
    if not access.can(user, Action.MANAGE_PROGRAMME, directive.issuer):
        raise PermissionDenied
    return directive


@require_GET
@login_required
def directive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    directive = _directive_or_404(user, pk)
    tasks: QuerySet[Task] = tasks_visible_to(user).filter(directives=directive)
    context = {
        "directive": directive,
        "tasks": tasks.select_related("lead_unit").order_by("code"),
        "editable": access.can(user, Action.MANAGE_PROGRAMME, directive.issuer),
    }
    return render(request, "directives/directive_detail.html", context)


@require_GET
@login_required
def directive_file(request: HttpRequest, pk: int) -> FileResponse:
    """Files are never served publicly: only to those who may read the document."""
    directive = _directive_or_404(access.request_user(request), pk)
    if not directive.file:
        raise Http404
    try:
        handle = directive.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=directive.original_name)


def _form_page(request: HttpRequest, directive: Directive | None) -> HttpResponse:
    user = access.request_user(request)
    issuers = access.units_where(user, Action.MANAGE_PROGRAMME)
    form = DirectiveForm(
        request.POST or None,
        request.FILES or None,
        actor=user,
        issuers=issuers,
        directive=directive,
    )
    if request.method == "POST" and (saved := form.save()) is not None:
        messages.success(request, _("Đã lưu văn bản %(number)s.") % {"number": saved.number})
        return redirect("directives:directive_detail", pk=saved.pk)
    return render(request, "directives/directive_form.html", {"form": form, "directive": directive})


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def directive_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def directive_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, _editable_or_404(access.request_user(request), pk))


@require_http_methods(["GET", "POST"])
@login_required
def directive_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    user = access.request_user(request)
    directive = _editable_or_404(user, pk)
    if request.method == "POST":
        services.delete_directive(actor=user, directive=directive)
        messages.success(request, _("Đã xóa văn bản %(number)s.") % {"number": directive.number})
        return redirect("directives:directive_list")
    context: dict[str, Any] = {"directive": directive}
    return render(request, "directives/directive_delete.html", context)
