"""The standing office's programme set-up pages: source documents (with their files), the
report's areas and the programme groups the dashboard counts by. Anyone signed in reads them;
writing is province-wide work (org.access: MANAGE_PROGRAMME everywhere, 403 otherwise) and goes
through tasks.services, which decides again. A row in use is never deleted: the service says
how many tasks use it. Every change is kept in the row's history, shown on its edit page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Model
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57.forms import service_errors
from org import access
from org.access import Action
from tasks import services
from tasks.models import Area, ProgrammeGroup, Source
from tasks.programme_forms import AreaForm, GroupForm, SourceForm

HISTORY_ROWS = 20  # the latest changes shown under an edit form
manager_required = access.everywhere_required(Action.MANAGE_PROGRAMME)
HISTORY_TYPES = {"+": gettext_lazy("Tạo"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


def _may_manage(request: HttpRequest) -> bool:
    return access.can_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME)


# The services name a source's document `file`; its form field is `upload`.
SOURCE_FIELDS = {"file": "upload"}


def _history(row: Model | None) -> list[dict[str, Any]]:
    """The row's latest changes, newest first: when, who, what kind."""
    if row is None:
        return []
    records = row.history.select_related("history_user")[:HISTORY_ROWS]  # type: ignore[attr-defined]
    return [
        {"at": r.history_date, "user": r.history_user, "type": HISTORY_TYPES[r.history_type],
         "name": r.name}
        for r in records
    ]  # fmt: skip


def _delete(
    request: HttpRequest, call: Callable[..., None], done: str, back: str, edit: str, **row: Any
) -> HttpResponse:
    """Run a delete service; refused (in use), its reason is shown on the row's edit page."""
    try:
        call(actor=access.request_user(request), **row)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(edit, code=next(iter(row.values())).code)
    messages.success(request, done)
    return redirect(back)


def _form_page(
    request: HttpRequest, template: str, form: Form, row: Model | None, **extra: Any
) -> HttpResponse:
    context = {"form": form, "row": row, "history": _history(row), **extra}
    return render(request, template, context)


# --- sources ---------------------------------------------------------------------------------


@require_GET
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.annotate(tasks=Count("task")).order_by("-issued_on", "code")
    context = {"sources": sources, "manager": _may_manage(request)}
    return render(request, "tasks/programme/source_list.html", context)


def _save_source(request: HttpRequest, source: Source | None) -> HttpResponse:
    form = SourceForm(request.POST or None, request.FILES or None, row=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_source(
                actor=access.request_user(request), source=source, code=data["code"],
                upload=data["upload"], **form.fields_of_row(),
            )  # fmt: skip
        except ValidationError as exc:
            service_errors(form, exc, SOURCE_FIELDS)
        else:
            messages.success(request, _("Đã lưu nguồn giao nhiệm vụ."))
            return redirect("programme:source_list")
    return _form_page(request, "tasks/programme/source_form.html", form, source)


@require_http_methods(["GET", "POST"])
@manager_required
def source_create(request: HttpRequest) -> HttpResponse:
    return _save_source(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def source_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_source(request, get_object_or_404(Source, code=code))


@require_POST
@manager_required
def source_delete(request: HttpRequest, code: str) -> HttpResponse:
    source = get_object_or_404(Source, code=code)
    return _delete(
        request, services.delete_source, _("Đã xóa nguồn giao nhiệm vụ."), "programme:source_list",
        "programme:source_edit", source=source,
    )  # fmt: skip


@require_GET
@login_required
def source_file(request: HttpRequest, code: str) -> FileResponse:
    """A source's document: never served publicly, only to those signed in (who all read the
    programme), under a name of its code, never the stored one."""
    access.request_user(request)
    source = get_object_or_404(Source, code=code)
    if not source.file:
        raise Http404
    extension = PurePath(source.file.name or "").suffix
    try:
        handle = source.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=f"van-ban-{source.pk}{extension}")


# --- areas -----------------------------------------------------------------------------------


@require_GET
@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.annotate(tasks=Count("task")).order_by("order", "code")
    context = {"areas": areas, "manager": _may_manage(request)}
    return render(request, "tasks/programme/area_list.html", context)


def _save_area(request: HttpRequest, area: Area | None) -> HttpResponse:
    form = AreaForm(request.POST or None, row=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_area(
                actor=access.request_user(request), area=area, code=form.cleaned_data["code"],
                **form.fields_of_row(),
            )  # fmt: skip
        except ValidationError as exc:
            service_errors(form, exc, SOURCE_FIELDS)
        else:
            messages.success(request, _("Đã lưu lĩnh vực."))
            return redirect("programme:area_list")
    return _form_page(request, "tasks/programme/area_form.html", form, area)


@require_http_methods(["GET", "POST"])
@manager_required
def area_create(request: HttpRequest) -> HttpResponse:
    return _save_area(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def area_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_area(request, get_object_or_404(Area, code=code))


@require_POST
@manager_required
def area_delete(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    return _delete(
        request, services.delete_area, _("Đã xóa lĩnh vực."), "programme:area_list",
        "programme:area_edit", area=area,
    )  # fmt: skip


# --- programme groups --------------------------------------------------------------------------


@require_GET
@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = (
        ProgrammeGroup.objects.annotate(tasks=Count("sources__task", distinct=True))
        .prefetch_related("sources")
        .order_by("order", "code")
    )
    context = {"groups": groups, "manager": _may_manage(request)}
    return render(request, "tasks/programme/group_list.html", context)


def _save_group(request: HttpRequest, group: ProgrammeGroup | None) -> HttpResponse:
    form = GroupForm(request.POST or None, row=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_programme_group(
                actor=access.request_user(request),
                code=group.code if group else form.cleaned_data["code"],
                **form.fields_of_row(),
            )
        except ValidationError as exc:
            service_errors(form, exc, SOURCE_FIELDS)
        else:
            messages.success(request, _("Đã lưu nhóm nhiệm vụ."))
            return redirect("programme:group_list")
    return _form_page(request, "tasks/programme/group_form.html", form, group)


@require_http_methods(["GET", "POST"])
@manager_required
def group_create(request: HttpRequest) -> HttpResponse:
    return _save_group(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def group_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_group(request, get_object_or_404(ProgrammeGroup, code=code))


@require_POST
@manager_required
def group_delete(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(ProgrammeGroup, code=code)
    return _delete(
        request, services.delete_programme_group, _("Đã xóa nhóm nhiệm vụ."),
        "programme:group_list", "programme:group_edit", group=group,
    )  # fmt: skip
