"""A task's history page and its deadline extensions (gia hạn): the lead unit asks on the task's
page, the standing office decides on its list. Thin: tasks.history reads, tasks.services writes,
org.access decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from org import access
from org.access import Action
from tasks import history, services
from tasks.forms import ExtensionDecisionForm, ExtensionRequestForm
from tasks.models import DeadlineExtension, ExtensionState
from tasks.queries import pending_extensions, timeline
from tasks.views import PER_PAGE, _task_or_404


@require_GET
@login_required
def task_history(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    task = _task_or_404(user, code)
    found = history.entries(task, timeline(user, task))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/task_history.html", {"task": task, "page": page})


@require_POST
@login_required
def extension_request(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    task = _task_or_404(user, code)
    access.authorize(user, Action.REPORT, task.lead_unit)
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_extension(actor=user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã gửi đề nghị gia hạn."))
            return redirect("tasks:task_detail", code=task.code)
    for error in form.errors.values():
        messages.error(request, " ".join(str(message) for message in error))
    return redirect("tasks:task_detail", code=task.code)


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def extension_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    state = request.GET.get("state", ExtensionState.PENDING)  # "" or unknown: every state
    if state == ExtensionState.PENDING:
        extensions = pending_extensions()  # the oldest request first: it has waited longest
    else:
        extensions = DeadlineExtension.objects.order_by("-requested_at", "-id")
        if state in ExtensionState.values:
            extensions = extensions.filter(state=state)
    extensions = extensions.filter(
        task__lead_unit__in=access.units_where(user, Action.MANAGE_PROGRAMME)
    ).select_related("task__lead_unit", "requested_by", "decided_by")
    page = Paginator(extensions, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "state": state, "states": ExtensionState.choices}
    return render(request, "tasks/extension_list.html", context)


@require_POST
@login_required
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    extensions = DeadlineExtension.objects.select_related("task__lead_unit")
    extension = get_object_or_404(extensions, pk=pk)
    access.authorize(user, Action.MANAGE_PROGRAMME, extension.task.lead_unit)
    form = ExtensionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Quyết định không hợp lệ."))
        return redirect("tasks:extension_list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_extension(
            actor=user, extension=extension, approve=approve, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("Đã đồng ý gia hạn.") if approve else _("Đã không đồng ý gia hạn.")
        messages.success(request, done)
    return redirect("tasks:extension_list")
