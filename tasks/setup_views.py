"""The standing office's task pages: create a task, edit it (with a reason), and give it to
units or take it from them over time. Thin: forms in tasks.setup_forms, writes through
tasks.services, the choice of units resolved by org.selection, access decided by org.access
(a task out of sight is 404; in sight but not the standing office's to change, 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nq57.forms import service_errors
from org import access
from org.access import Action
from org.models import User
from tasks import services
from tasks.models import Task
from tasks.queries import assignee_log, current_assignees, tasks_visible_to
from tasks.setup_forms import AssignForm, EndForm, TaskForm


def _managed_task(request: HttpRequest, code: str) -> tuple[User, Task]:
    """The task the user changes: 404 out of sight, 403 unless the standing office's."""
    user = access.request_user(request)
    visible = tasks_visible_to(user).select_related("source", "area", "lead_unit")
    task = get_object_or_404(visible.prefetch_related("coordinating_units"), code=code)
    access.authorize_everywhere(user, Action.MANAGE_PROGRAMME)
    return user, task


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def task_create(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(actor=user, code=data["code"].strip(), **form.changes())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo nhiệm vụ. Hãy chọn các đơn vị thực hiện nhiệm vụ."))
            return redirect("tasks:task_assign", code=task.code)
    return render(request, "tasks/task_form.html", {"form": form, "task": None})


@require_http_methods(["GET", "POST"])
@login_required
def task_edit(request: HttpRequest, code: str) -> HttpResponse:
    user, task = _managed_task(request, code)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_task(
                actor=user, task=task, reason=form.cleaned_data["reason"], **form.changes()
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            notice = _("Đã lưu thay đổi.") if changed else _("Không có gì thay đổi.")
            messages.success(request, notice)
            return redirect("tasks:task_detail", code=task.code)
    return render(request, "tasks/task_form.html", {"form": form, "task": task})


@require_http_methods(["GET", "POST"])
@login_required
def task_assign(request: HttpRequest, code: str) -> HttpResponse:
    """Add assignees in two steps — the choice resolved on its date and shown (how many, which
    ones, which already carry the task), then confirmed — or take some off from a date."""
    user, task = _managed_task(request, code)
    current = current_assignees(task)
    action = request.POST.get("action", "")
    assign = AssignForm(request.POST if action in ("preview", "confirm") else None)
    end = EndForm(request.POST if action == "end" else None, current=current)
    context: dict[str, Any] = {"task": task, "assign": assign, "end": end, "current": current}
    if action in ("preview", "confirm") and assign.is_valid():
        data = assign.cleaned_data
        chosen = list(assign.selection().resolve(data["effective_on"]))
        holding = {u.pk for u in current}
        context["preview"] = {
            "new": [u for u in chosen if u.pk not in holding],
            "already": [u for u in chosen if u.pk in holding],
        }
        if action == "confirm":
            try:
                added = services.assign_units(
                    actor=user, task=task, units=chosen, active_from=data["effective_on"],
                    reason=data["reason"],
                )  # fmt: skip
            except ValidationError as exc:
                service_errors(assign, exc)
            else:
                message = _("Đã giao nhiệm vụ cho %(count)s đơn vị.") % {"count": len(added)}
                messages.success(request, message)
                return redirect("tasks:task_assign", code=task.code)
    if action == "end" and end.is_valid():
        data = end.cleaned_data
        try:
            ended = services.end_assignments(
                actor=user, task=task, units=list(data["units"]), ended_on=data["ended_on"],
                reason=data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            service_errors(end, exc)
        else:
            message = _("Đã thôi giao nhiệm vụ cho %(count)s đơn vị.") % {"count": len(ended)}
            messages.success(request, message)
            return redirect("tasks:task_assign", code=task.code)
    context["log"] = assignee_log(task)
    return render(request, "tasks/task_assign.html", context)
