"""The follow-up list of the units' proposals to the province's own bodies (part IV sends them
here, annex 5, not to the centre): read by whoever sees the whole province, each proposal's
state, handler and note set by the standing office (documents.services.follow_up_proposal).
Someone who does not see the province gets 404; a reader who posts, 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents import services
from documents.composer.letterhead import province_root
from documents.composer.proposals import followed_proposals
from documents.forms import FollowUpForm
from documents.models import FollowUpState
from org import access
from org.access import Action
from org.models import Unit, User
from periods.queries import periods_visible_to
from reporting.models import Section

PER_PAGE = 30
# The list's state filter: "open" (the default) keeps those not yet settled.
FILTERS: dict[str, frozenset[str] | None] = {
    "open": frozenset({FollowUpState.OPEN, FollowUpState.HANDLING}),
    FollowUpState.HANDLING: frozenset({FollowUpState.HANDLING}),
    FollowUpState.DONE: frozenset({FollowUpState.DONE}),
    "all": None,
}


def _root(user: User) -> Unit:
    root = province_root()
    if not access.can(user, Action.VIEW, root):
        raise Http404
    return root


@require_GET
@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    root = _root(user)
    shown = request.GET.get("state") or "open"
    if shown not in FILTERS:
        raise Http404
    period = None
    if code := request.GET.get("period"):
        period = get_object_or_404(periods_visible_to(user), code=code)
    rows = followed_proposals(root, period=period, states=FILTERS[shown])
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    manager = access.can_everywhere(user, Action.MANAGE_PROGRAMME)
    filters = [
        ("open", _("Chưa xử lý xong")),
        (FollowUpState.HANDLING, _("Đang xử lý")),
        (FollowUpState.DONE, _("Đã xử lý xong")),
        ("all", _("Tất cả")),
    ]
    context = {
        "page": page,
        "form": FollowUpForm(),  # its labels and states
        "manager": manager,
        "shown": shown,
        "filters": filters,
        "period": period,
    }
    return render(request, "documents/proposals.html", context)


@require_POST
@login_required
def proposal_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    root = _root(user)
    access.authorize_everywhere(user, Action.MANAGE_PROGRAMME)  # a reader: 403
    section = get_object_or_404(
        Section.objects.select_related("report"), pk=pk, report__unit__path__startswith=root.path
    )
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tình trạng xử lý không hợp lệ."))
    else:
        try:
            services.follow_up_proposal(actor=user, section=section, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã cập nhật tình trạng xử lý đề xuất."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/documents/proposals/") else "documents:proposals")
