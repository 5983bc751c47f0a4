from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dashboard.queries import home_summary


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = home_summary(request.user, timezone.localdate())  # type: ignore[arg-type]
    return render(request, "dashboard/home.html", {"summary": summary})
