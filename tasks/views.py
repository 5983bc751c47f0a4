"""Thin views: read through tasks.queries, write through tasks.services, decide access in
org.access. Task pages show only what `tasks_visible_to` and `units_visible_to` allow."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import IO, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from nq57 import imports
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import User
from tasks import history, services
from tasks.forms import (
    AsOfForm,
    ExtensionRequestForm,
    StatusForm,
    TaskFilterForm,
    TaskImportForm,
)
from tasks.interchange import (
    HEADERS,
    ImportSummary,
    export_workbook,
    import_task_rows,
    parse_task_file,
    template_workbook,
)
from tasks.lead_views import lead_context
from tasks.models import Assignment, ExtensionState, StatusEvent, Task
from tasks.queries import (
    AssigneeState,
    Completion,
    TaskStats,
    assignee_in_sight,
    assignee_states,
    completion_by_task,
    pending_removals,
    task_stats,
    tasks_visible_to,
    timeline,
    units_in_sight,
    verdict_against,
)
from tasks.timeliness import (
    AT_RISK,
    STAT_KEYS,
    STAT_LABELS,
    TOTAL,
    Group,
    Schedule,
    Status,
    combine,
    members,
)

PER_PAGE = 50
# The counts on top of the list, in the dashboard's colours (Bootstrap's): all, each group
# with the counts inside it, and those at risk.
GROUP_CSS = {
    TOTAL: "secondary",
    Group.COMPLETED: "primary",
    Group.ON_TIME: "success",
    Group.NOT_ON_TIME: "danger",
    AT_RISK: "warning",
}
ORDERING = {
    "code": ("code",),
    "deadline": (F("deadline").asc(nulls_last=True), "code"),
    "-deadline": (F("deadline").desc(nulls_last=True), "code"),
}


def _attachment(content: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# --- the list ----------------------------------------------------------------------------------


@dataclass
class Listing:
    form: TaskFilterForm
    as_of: date
    state: str
    stats: TaskStats
    tasks: QuerySet[Task]  # the tasks behind the chosen count, sorted


def _listing(request: HttpRequest) -> Listing:
    """The filters of the request and the one statistics query they ask for."""
    user = access.request_user(request)
    form = TaskFilterForm(request.GET, units=access.units_visible_to(user))
    flt = form.task_filter()  # before anything else reads the form: 404 for a unit out of sight
    data, as_of = form.cleaned_data, form.as_of_date()
    visible = tasks_visible_to(user)
    if query := data.get("q"):
        visible = visible.filter(Q(code__icontains=query) | Q(title__icontains=query))
    # The same assignments as the dashboard's figures that link here (see units_in_sight).
    stats = task_stats(as_of=as_of, flt=flt, tasks=visible, units=units_in_sight(user))
    state = request.GET.get("state", "")
    state = state if state in STAT_KEYS else TOTAL
    tasks = Task.objects.filter(pk__in=set(stats.items[state])).select_related("lead_unit")
    return Listing(form, as_of, state, stats, tasks.order_by(*ORDERING[data.get("sort") or "code"]))


def _count_groups(counts: dict[str, int]) -> list[dict[str, Any]]:
    groups: list[tuple[str, tuple[str, ...]]] = [
        (TOTAL, ()),
        *((group.value, tuple(t.value for t in members(group))) for group in Group),
        (AT_RISK, ()),
    ]
    return [
        {
            "key": key,
            "css": GROUP_CSS[key],
            "label": STAT_LABELS[key],
            "count": counts[key],
            "parts": [(part, STAT_LABELS[part], counts[part]) for part in parts],
        }
        for key, parts in groups
    ]


def _completion(tasks: Iterable[Task], as_of: date) -> dict[int, str]:
    """The completion of each task given to several units, as "k/n": k of its n assignees
    (removed ones left out) had completed it by `as_of`. One query for the whole page."""
    assignments = Assignment.objects.filter(task__in=[t.pk for t in tasks])
    return {
        task_id: f"{c.done}/{c.present}"
        for task_id, c in completion_by_task(assignments, as_of).items()
        if c.assigned > 1
    }


@require_GET
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    listing = _listing(request)
    paginator = Paginator(listing.tasks, PER_PAGE)
    paginator.count = len(set(listing.stats.items[listing.state]))  # known: saves a query
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = history.as_they_were(page.object_list, listing.as_of)  # titles, deadlines
    completion = _completion(page.object_list, listing.as_of)
    for task in page.object_list:
        task.verdict = listing.stats.verdicts.get(task.pk)  # type: ignore[attr-defined]
        task.completion = completion.get(task.pk)  # type: ignore[attr-defined]
    context = {
        "form": listing.form,
        "as_of": listing.as_of,
        "state": listing.state,
        "state_label": STAT_LABELS[listing.state],
        "groups": _count_groups(listing.stats.counts),
        "page": page,
        "manager": access.has_anywhere(access.request_user(request), Action.MANAGE_PROGRAMME),
    }
    return render(request, "tasks/task_list.html", context)


@require_GET
@login_required
def task_export(request: HttpRequest) -> HttpResponseBase:
    listing = _listing(request)
    units = access.units_visible_to(access.request_user(request))
    content = export_workbook(tasks=listing.tasks, as_of=listing.as_of, units=units)
    return _attachment(content, f"nhiem-vu-{listing.as_of:%Y-%m-%d}.xlsx")


# --- one task ----------------------------------------------------------------------------------


def _task_or_404(user: User, code: str) -> Task:
    tasks = tasks_visible_to(user).select_related("source", "area", "lead_unit")
    return get_object_or_404(tasks.prefetch_related("coordinating_units"), code=code)


def _assignment_or_404(user: User, code: str, pk: int) -> Assignment:
    task = _task_or_404(user, code)
    assignment = get_object_or_404(task.assignments.select_related("unit"), pk=pk)
    assignment.task = task
    return assignment


@dataclass
class AssigneeRow(AssigneeState):
    form: StatusForm | None = None  # for those the user may report on
    removable: bool = False  # a standing proposal the user may approve


def status_prefix(assignment: Assignment) -> str:
    return f"a{assignment.pk}"


def _offer_actions(user: User, rows: Iterable[AssigneeRow]) -> None:
    for row in rows:
        unit = row.assignment.unit
        if access.can(user, Action.REPORT, unit):
            row.form = StatusForm(prefix=status_prefix(row.assignment), latest=row.event)
        proposed = row.event is not None and row.event.status == Status.PROPOSED_REMOVAL
        row.removable = proposed and access.can(user, Action.MANAGE_PROGRAMME, unit)


def _detail_context(request: HttpRequest, task: Task, as_of: date) -> dict[str, Any]:
    user = access.request_user(request)
    rows = [AssigneeRow(s.assignment, s.event, s.verdict) for s in assignee_states(task, as_of)]
    completion = Completion.of(row.verdict for row in rows)
    visible = [row for row in rows if assignee_in_sight(user, task, row.assignment.unit)]
    assignees = Paginator(visible, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    if as_of == today:  # updates are made to the current state only
        _offer_actions(user, assignees.object_list)
    then = history.as_of(task, as_of)  # the task as it was on the date asked about
    return {
        "single_form": sum(1 for row in assignees.object_list if row.form) == 1,
        "task": then,
        **_extension_context(user, then, rows, as_of, today),
        "as_of": as_of,
        "today": today,
        "verdict": combine([row.verdict for row in rows]),
        "done": completion.done,
        "present": completion.present,
        "assignees": assignees,
        "events": Paginator(timeline(user, task), PER_PAGE).get_page(request.GET.get("events")),
        "can_manage": access.can_everywhere(user, Action.MANAGE_PROGRAMME),
        **lead_context(request, task, rows, today=as_of == today),
    }


def _extension_context(
    user: User, task: Task, rows: list[AssigneeRow], as_of: date, today: date
) -> dict[str, Any]:
    """The task's deadline extensions, the verdict against its original deadline when one was
    approved by `as_of` (theo hạn gốc / theo hạn đã gia hạn), and the request form for the lead
    unit."""
    extensions = list(task.extensions.select_related("requested_by", "decided_by"))
    original = None
    if any(x.state == ExtensionState.APPROVED for x in extensions):
        found = history.original_deadlines(as_of, [task.pk])
        if task.pk in found:
            original = (
                found[task.pk],
                verdict_against(rows, Schedule(task.start_date, found[task.pk]), as_of),
            )
    pending = any(x.state == ExtensionState.PENDING for x in extensions)
    may_ask = as_of == today and task.deadline is not None and not pending
    may_ask = may_ask and access.can(user, Action.REPORT, task.lead_unit)
    return {
        "extensions": extensions,
        "original": original,
        "extension_form": ExtensionRequestForm() if may_ask else None,
    }


@require_GET
@login_required
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    task = _task_or_404(access.request_user(request), code)
    form = AsOfForm(request.GET)
    context = _detail_context(request, task, form.as_of_date()) | {"as_of_form": form}
    return render(request, "tasks/task_detail.html", context)


def _changed(request: HttpRequest, task: Task, notice: str) -> HttpResponse:
    """After a change: the refreshed live part of the page (HTMX), or back to the page."""
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, notice)
        return redirect("tasks:task_detail", code=task.code)
    context = _detail_context(request, task, timezone.localdate()) | {"notice": notice}
    response = render(request, "tasks/_task_live.html", context)
    return reswap(retarget(response, "#task-live"), "outerHTML")


@require_POST
@login_required
def status_update(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = access.request_user(request)
    assignment = _assignment_or_404(user, code, pk)
    access.authorize(user, Action.REPORT, assignment.unit)
    form = StatusForm(request.POST, request.FILES, prefix=status_prefix(assignment))
    if form.record(actor=user, assignment=assignment):
        return _changed(request, assignment.task, _("Đã cập nhật trạng thái."))
    template = "tasks/_status_form.html" if request.htmx else "tasks/status_form.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "assignment": assignment})


@require_POST
@login_required
def removal_approve(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    user = access.request_user(request)
    assignment = _assignment_or_404(user, code, pk)
    access.authorize(user, Action.MANAGE_PROGRAMME, assignment.unit)
    try:
        services.record_status(
            actor=user,
            assignment=assignment,
            status=Status.REMOVED,
            effective_date=timezone.localdate(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã đồng ý đưa ra khỏi nhiệm vụ."))
    if request.POST.get("next") == "removals":
        return redirect("tasks:removal_list")
    return redirect("tasks:task_detail", code=assignment.task.code)


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def removal_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    page = Paginator(pending_removals(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/removal_list.html", {"page": page})


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are never served publicly: only to those who see the event."""
    user = access.request_user(request)
    events = StatusEvent.objects.select_related("assignment__unit", "assignment__task__lead_unit")
    event = get_object_or_404(events, pk=pk, assignment__task__in=tasks_visible_to(user))
    in_sight = assignee_in_sight(user, event.assignment.task, event.assignment.unit)
    if not event.evidence_file or not in_sight:
        raise Http404
    extension = PurePath(event.evidence_file.name or "").suffix
    try:
        handle = event.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=f"minh-chung-{event.pk}{extension}")


# --- XLSX interchange --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def task_import(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_import(actor=user, form=form, handler="tasks.views.run_task_import")
        return redirect(imports.job_url(request, job))
    context = {
        "form": form,
        "headers": HEADERS,
        "template_url": reverse("tasks:task_template"),
        **imports.job_context(request, user),
    }
    return render(request, "tasks/task_import.html", context)


def run_task_import(*, actor: User, source: IO[bytes], dry_run: bool) -> ImportSummary:
    """The task import, run by the background job (nq57.imports)."""
    return import_task_rows(actor=actor, rows=parse_task_file(source), dry_run=dry_run)


@require_GET
@login_required
def task_template(request: HttpRequest) -> HttpResponseBase:
    # A file response, which the view decorator's type does not take: the same check inside.
    access.authorize_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME)
    return _attachment(template_workbook(), "mau-nhiem-vu.xlsx")
