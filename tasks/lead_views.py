"""What the lead unit and the coordinating units do on a task's page: the lead unit sees every
assignee (tasks.queries.oversees), comments and reminds the late ones; a coordinating unit
records its part. Thin: the rules are tasks.services' and org.access's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from org import access
from org.models import User
from tasks import services
from tasks.models import CommentKind, Task
from tasks.programme_forms import CommentForm, PartForm
from tasks.queries import AssigneeState, comments, is_late, tasks_visible_to

COMMENTS_PER_PAGE = 20


def lead_context(
    request: HttpRequest, task: Task, states: Iterable[AssigneeState], today: bool
) -> dict[str, Any]:
    """The task page's words (comments and coordinating parts) and the forms and button the
    user is offered: commenting and reminding as the lead unit, a part for each coordinating
    unit it speaks for. `states`: every assignee's, as of the page's date (`today`: as of today,
    when reminders make sense)."""
    user = access.request_user(request)
    lead = access.can_speak_for(user, task.lead_unit)
    parts = [u.pk for u in task.coordinating_units.all() if access.can_speak_for(user, u)]
    # A task's words are few (its lead and coordinating units'): read in one query, no count.
    words = Paginator(list(comments(task)), COMMENTS_PER_PAGE).get_page(request.GET.get("comments"))
    return {
        "words": words,
        "comment_form": CommentForm() if lead else None,
        "part_form": PartForm(units=task.coordinating_units.filter(pk__in=parts))
        if parts
        else None,
        "late_count": sum(1 for s in states if is_late(s.verdict)) if lead and today else None,
    }


def _task(user: User, code: str) -> Task:
    """A task the user sees (404 otherwise), as the task page reads it."""
    tasks = tasks_visible_to(user).select_related("lead_unit")
    return get_object_or_404(tasks.prefetch_related("coordinating_units"), code=code)


def _lead_task(user: User, code: str) -> Task:
    """A task the user sees (404 otherwise) and may speak for as its lead unit (403 otherwise:
    an assignee or a reader sees the task, not its lead unit's voice)."""
    task = _task(user, code)
    if not access.can_speak_for(user, task.lead_unit):
        raise PermissionDenied
    return task


def _back(task: Task) -> HttpResponse:
    return redirect(reverse("tasks:task_detail", kwargs={"code": task.code}) + "#task-words")


def _form_refused(request: HttpRequest, form: Form) -> None:
    """The form's errors as the page's message, each after its field's label."""
    problems = [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    messages.error(request, " ".join(problems))


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_POST
@login_required
def task_comment(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    task = _lead_task(user, code)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return _back(task)
    try:
        services.add_comment(actor=user, task=task, text=form.cleaned_data["text"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã gửi ý kiến."))
    return _back(task)


@require_POST
@login_required
def task_part(request: HttpRequest, code: str) -> HttpResponse:
    """A coordinating unit's part: only the units the user speaks for are accepted (403 when
    it speaks for none of them)."""
    user = access.request_user(request)
    task = _task(user, code)
    units = [u for u in task.coordinating_units.all() if access.can_speak_for(user, u)]
    if not units:
        raise PermissionDenied  # the task is in sight (else 404 above), the part is not theirs
    chosen = task.coordinating_units.filter(pk__in=[u.pk for u in units])
    form = PartForm(request.POST, units=chosen)
    if not form.is_valid():
        _form_refused(request, form)
        return _back(task)
    data = form.cleaned_data
    try:
        services.add_comment(
            actor=user, task=task, text=data["text"], kind=CommentKind.PART, unit=data["unit"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã ghi phần phối hợp."))
    return _back(task)


@require_POST
@login_required
def task_remind(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    task = _lead_task(user, code)
    count = services.remind_late(actor=user, task=task)
    if count:
        messages.success(request, _("Đã nhắc %(n)s đơn vị chậm.") % {"n": count})
    else:
        messages.info(request, _("Không có đơn vị chậm nào chưa được nhắc hôm nay."))
    return _back(task)
