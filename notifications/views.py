"""A user's own notifications: read through notifications.queries, marked read through
notifications.services. Another user's notification is answered like a missing one (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from notifications.queries import for_user
from notifications.services import mark_all_read, mark_read
from org import access

PER_PAGE = 30


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(for_user(access.request_user(request)), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read, then go where it points (only within this site)."""
    user = access.request_user(request)
    notification = get_object_or_404(for_user(user), pk=pk)
    mark_read(user=user, notification=notification)
    target = notification.url
    local = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and local else "notifications:list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(user=access.request_user(request))
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notifications:list")
