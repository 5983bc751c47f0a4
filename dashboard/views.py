"""The home page and the Steering Committee's dashboard. Thin: figures come from
dashboard.queries, access from org.access (a unit out of sight is 404)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dashboard.filters import task_filter
from dashboard.forms import DashboardForm
from dashboard.home import home_summary
from dashboard.queries import Dashboard, dashboard
from dashboard.results import results
from org import access
from org.access import Action
from org.models import Unit, UnitType, User
from tasks.queries import TaskFilter
from tasks.timeliness import STAT_LABELS, Group, Timeliness


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    summary = home_summary(access.request_user(request), timezone.localdate())
    return render(request, "dashboard/home.html", {"summary": summary})


def _drill_unit(user: User, code: str) -> Unit | None:
    if not code:
        return None
    try:
        return access.units_visible_to(user).get(code=code)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc  # a unit out of sight is answered like a missing one


BAR_KEYS = tuple(group.value for group in Group)
TREND_KEYS = (Group.COMPLETED.value, Group.NOT_ON_TIME.value)


def _area_bars(board: Dashboard, flt: TaskFilter) -> list[dict[str, Any]]:
    as_of = board.filters.as_of
    return [
        {
            "name": row.area.name,
            **{key: getattr(row.counts, key) for key in BAR_KEYS},
            "href": {key: flt.url(as_of=as_of, area=row.area.code, state=key) for key in BAR_KEYS},
        }
        for row in board.by_area
    ]


def _trend_points(board: Dashboard, flt: TaskFilter) -> list[dict[str, Any]]:
    """Each point links to the list as of its own date."""
    points = []
    for p in board.trend:
        href = {key: flt.url(as_of=p.on, state=key) for key in TREND_KEYS}
        points.append(
            {"on": f"{p.on:%m/%Y}", **{k: getattr(p, k) for k in TREND_KEYS}, "href": href}
        )
    return points


def _chart_data(board: Dashboard, flt: TaskFilter) -> dict[str, Any]:
    """What the charts draw and where a click goes, passed with json_script (labels already
    translated). The pie names each state in full ("Hoàn thành đúng hạn", where the list,
    under its group's heading, says "Đúng hạn")."""
    return {
        "labels": {key: str(STAT_LABELS[key]) for key in BAR_KEYS},
        "axis": str(_("Số nhiệm vụ")),
        "areas": _area_bars(board, flt),
        "states": [
            {
                "key": key,
                "name": str(Timeliness(key).label),
                "value": n,
                "href": flt.url(as_of=board.filters.as_of, state=key),
            }
            for key, n in board.by_state.items()
        ],
        "trend": _trend_points(board, flt),
    }


def _dashboard_form(request: HttpRequest, user: User) -> DashboardForm:
    """The filters; a bloc out of sight is answered like a missing one, as a unit is."""
    blocs = access.units_visible_to(user).filter(unit_type=UnitType.BLOC)
    form = DashboardForm(request.GET, blocs=blocs)
    form.is_valid()
    if form.has_error("bloc", "invalid_choice"):
        raise Http404
    return form


def _context(user: User, form: DashboardForm, board: Dashboard) -> dict[str, Any]:
    flt, overall = task_filter(board.filters, board.scope), board.overall
    return {
        "form": form,
        "board": board,
        "task_filter": flt,
        "charts": _chart_data(board, flt),
        "board_link": access.has_anywhere(user, Action.MANAGE_PROGRAMME),
        "results": results(user, board),
        "lists": [
            # key, the first rows, title, colour, how many in all
            ("not_on_time", board.red, _("Nhiệm vụ không đúng hạn"), "danger", overall.not_on_time),
            ("at_risk", board.at_risk, _("Nhiệm vụ có nguy cơ chậm"), "warning", overall.at_risk),
        ],
    }


def _partial(request: HttpRequest) -> bool:
    """An HTMX swap gets the content only; a history restore (back after hx-push-url, cache
    missed) and a plain visit get the whole page at the same URL."""
    htmx = request.htmx  # type: ignore[attr-defined]
    return bool(htmx) and not htmx.history_restore_request


@require_GET
@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    unit = _drill_unit(user, request.GET.get("unit", "").strip())
    form = _dashboard_form(request, user)
    board = dashboard(user, form.filters(unit))
    template = "dashboard/_content.html" if _partial(request) else "dashboard/dashboard.html"
    response = render(request, template, _context(user, form, board))
    patch_vary_headers(response, ["HX-Request"])  # the same URL answers two ways
    return response
