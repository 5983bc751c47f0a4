"""Indicator pages: the indicators of a unit's subtree for a period, the figures behind one
indicator (each flagged when not kept up to date), the history of a unit's figures, and the
standing office's list of data-quality violations (open or confirmed). Read-only; access is
decided in org.access (a unit or period out of sight is 404). The figures are read as stored at
the end of ?as_of= (dd/mm/yyyy, default today). The set-up pages are in setup_views."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from indicators.expressions import parse, references
from indicators.forms import FigureHistoryForm
from indicators.imports import value_template
from indicators.models import DataElement, DataValue, Indicator, ValidationRule
from indicators.queries import (
    confirmations_at,
    figure_history,
    indicator_overview,
    indicator_sets,
    indicator_value,
    reporters,
    stale_figures,
    stored_values,
    units_reporting,
)
from indicators.validation import Checked, period_check
from nq57.xlsx import XLSX_CONTENT_TYPE
from org import access
from org.access import Action
from org.models import Unit, User
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to
from tasks.forms import AsOfForm

PER_PAGE = 50


def _period(request: HttpRequest, user: User) -> Period:
    """The period named in ?period=, else the latest quarter the user sees."""
    periods = periods_visible_to(user)
    code = request.GET.get("period", "").strip()
    if code:
        return get_object_or_404(periods, code=code)
    period = periods.filter(kind=PeriodKind.QUARTER).order_by("-starts_on", "code").first()
    if period is None:
        raise Http404
    return period


def _unit(request: HttpRequest, user: User) -> Unit:
    """The unit named in ?unit=, else the top of what the user sees."""
    units = access.units_visible_to(user)
    code = request.GET.get("unit", "").strip()
    if code:
        return get_object_or_404(units, code=code)
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@require_GET
@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    period, unit = _period(request, user), _unit(request, user)
    as_of = AsOfForm(request.GET).as_of_date()
    sets = list(indicator_sets())
    overview = indicator_overview(period, unit, sets=[s.code for s in sets], as_of=as_of)
    counts = []
    for indicator_set in sets:
        met, size = overview.achievement[indicator_set.code]
        counts.append(
            {"label": indicator_set.years, "met": met, "size": size, "pct": _percent(met, size)}
        )
    context = {
        "period": period,
        "unit": unit,
        "as_of": as_of,
        "results": overview.values,
        "counts": counts,
        "periods": periods_visible_to(user).filter(kind=period.kind).order_by("-starts_on"),
        "can_import": _may_import(user),
        "can_check": access.can_everywhere(user, Action.MANAGE_PROGRAMME),
    }
    return render(request, "indicators/indicator_list.html", context)


@dataclass
class UnitFigures:
    unit: Unit
    # In the order of the page's elements: the stored figure (None: none stored) and whether it
    # is stale; None where the unit does not report the element.
    values: list[tuple[DataValue | None, bool] | None]


@require_GET
@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    indicator = get_object_or_404(Indicator, code=code)
    period, unit = _period(request, user), _unit(request, user)
    as_of = AsOfForm(request.GET).as_of_date()
    codes = references(parse(indicator.formula))
    elements = list(
        DataElement.objects.filter(code__in=codes)
        .select_related("within")
        .prefetch_related("reporting_units")
        .order_by("code")
    )
    rules = [reporters(e) for e in elements]
    units = units_reporting(rules, period).filter(path__startswith=unit.path).order_by("path")
    page = Paginator(units, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    wanted = Q(period=period, unit__in=[u.pk for u in shown], element__in=elements)
    stored: dict[tuple[int, int], DataValue] = {
        (v.unit_id, v.element_id): v for v in stored_values(wanted, as_of)
    }  # the figures as stored at the end of as_of, like the result above
    stale = stale_figures(elements, [u.pk for u in shown], as_of)
    rows = [
        UnitFigures(
            u,
            [
                (stored.get((u.pk, e.pk)), (u.pk, e.pk) in stale) if rule.include(u) else None
                for e, rule in zip(elements, rules, strict=True)
            ],
        )
        for u in shown
    ]
    context = {
        "indicator": indicator,
        "period": period,
        "unit": unit,
        "as_of": as_of,
        "result": indicator_value(indicator, period, unit, as_of=as_of),
        "elements": elements,
        "rows": rows,
        "page": page,
    }
    return render(request, "indicators/indicator_detail.html", context)


@dataclass
class UnitViolations:
    unit_code: str
    unit: Unit | None
    rules: list[tuple[str, list[Checked]]]  # (the rule's name, else its code; what it found)


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def violation_list(request: HttpRequest) -> HttpResponse:
    """The period's violations by unit then rule: errors, warnings still open, and warnings
    confirmed on these very figures (with who, when and why)."""
    user = access.request_user(request)
    period = _period(request, user)
    check = period_check(period)
    grouped: dict[str, dict[str, list[Checked]]] = defaultdict(lambda: defaultdict(list))
    for checked in check.checked:
        grouped[checked.violation.unit_code][checked.violation.rule].append(checked)
    units = {u.code: u for u in Unit.objects.filter(code__in=list(grouped))}
    names = dict(ValidationRule.objects.exclude(name="").values_list("code", "name"))
    groups = [
        UnitViolations(
            code,
            units.get(code),
            [(names.get(rule, rule), items) for rule, items in sorted(rules.items())],
        )
        for code, rules in sorted(grouped.items())
    ]
    periods = periods_visible_to(user).exclude(kind=PeriodKind.QUICK).order_by("-starts_on")
    context: dict[str, Any] = {
        "period": period,
        "periods": periods,
        "groups": groups,
        "check": check,
    }
    return render(request, "indicators/violation_list.html", context)


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def period_check_summary(request: HttpRequest) -> HttpResponse:
    """The period's open violations in a few lines, for the report generation page (asked with
    HTMX for the period chosen there; documents only includes the partial)."""
    user = access.request_user(request)
    period = _period(request, user)
    return render(request, "indicators/_period_check.html", {"check": period_check(period)})


# --- the history of a unit's figures -----------------------------------------------------------


@require_GET
@login_required
def unit_figure_history(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Every change of a unit's figures (optionally of one period, one element): who, when,
    before, after, and the reason given (a correction's, a confirmed warning's comment)."""
    user = access.request_user(request)
    unit = get_object_or_404(access.units_visible_to(user), code=unit_code)
    form = FigureHistoryForm(request.GET, periods=periods_visible_to(user))
    period, element = form.choice()
    rows = figure_history(unit, period=period, element=element)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    changes = list(page.object_list)
    confirmations = confirmations_at(unit, {c.history_date for c in changes})
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "changes": [(c, confirmations.get(c.history_date, [])) for c in changes],
    }
    return render(request, "indicators/unit_history.html", context)


# --- XLSX import of figures ------------------------------------------------------------------
# The import itself is reporting's (reporting.views.figure_import: figures lock with the report);
# the template to fill in is indicators'.


def _may_import(user: User) -> bool:
    """Anyone who reports figures somewhere (each row is still checked per unit), which includes
    the standing office: for the link to the import."""
    return access.has_anywhere(user, Action.REPORT)


@require_GET
@login_required
def value_import_template(request: HttpRequest) -> FileResponse:
    access.authorize_somewhere(access.request_user(request), Action.REPORT)
    return FileResponse(
        io.BytesIO(value_template()),
        as_attachment=True,
        filename="mau-so-lieu.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
