"""The standing office's set-up pages: data elements, indicators (with the formula editor and
their targets), indicator sets and validation rules (with their preview). Anyone signed in reads
the definitions; writing is province-wide work (org.access: MANAGE_PROGRAMME everywhere, 403
otherwise) and goes through indicators.services, which decides again. The figures shown next
to a definition are only those of units the reader may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from indicators import services
from indicators.expressions import ExpressionError, latest_codes, parse, references
from indicators.forms import (
    ElementForm,
    FormulaForm,
    IndicatorForm,
    IndicatorSetForm,
    RuleForm,
    TargetForm,
)
from indicators.models import (
    DataElement,
    DataValue,
    Indicator,
    IndicatorSet,
    RuleKind,
    Target,
    ValidationRule,
)
from indicators.queries import formula_preview, is_stale, latest_period_with_figures, reporters
from indicators.validation import Violation
from nq57.forms import service_errors
from org import access
from org.access import Action
from org.models import Unit, User
from periods.models import Period, PeriodKind

PER_PAGE = 50
PREVIEW_ROWS = 50
PREVIEW_CODE = "XEM_TRUOC"
PREVIEW_PERIODS = 24  # the periods offered to preview a rule on, newest first
manager_required = access.everywhere_required(Action.MANAGE_PROGRAMME)


def _may_manage(request: HttpRequest) -> bool:
    return access.can_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME)


@require_GET
@login_required
def setup_home(request: HttpRequest) -> HttpResponse:
    context = {
        "elements": DataElement.objects.count(),
        "indicators": Indicator.objects.count(),
        "sets": IndicatorSet.objects.count(),
        "rules": ValidationRule.objects.count(),
        "manager": _may_manage(request),
    }
    return render(request, "indicators/setup/home.html", context)


# --- data elements -------------------------------------------------------------------------------


@require_GET
@login_required
def element_list(request: HttpRequest) -> HttpResponse:
    elements = DataElement.objects.select_related("within").prefetch_related("reporting_units")
    query = request.GET.get("q", "").strip()
    if query:
        elements = elements.filter(Q(code__icontains=query) | Q(name__icontains=query))
    page = Paginator(elements.order_by("name"), PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "q": query, "manager": _may_manage(request)}
    return render(request, "indicators/setup/element_list.html", context)


@dataclass
class LatestFigure:
    unit: Unit
    value: DataValue | None  # its newest figure of the element, any period
    stale: bool


@require_GET
@login_required
def element_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The element, what uses it, and each unit's newest figure with its freshness: only the
    units the reader may see."""
    user = access.request_user(request)
    element = get_object_or_404(
        DataElement.objects.select_related("within").prefetch_related("reporting_units"),
        code=code,
    )
    rule = reporters(element)
    units = access.units_visible_to(user).filter(rule.units()).order_by("path")
    page = Paginator(units, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    newest: dict[int, DataValue] = {}
    values = DataValue.objects.filter(element=element, unit__in=shown).select_related(
        "period", "entered_by"
    )
    for value in values.order_by("period__ends_on", "entered_at"):
        newest[value.unit_id] = value  # oldest first: the newest stays
    rows = [
        LatestFigure(
            u,
            newest.get(u.pk),
            u.pk in newest and is_stale(element, newest[u.pk].entered_at),
        )
        for u in shown
    ]
    context = {
        "element": element,
        "page": page,
        "rows": rows,
        "uses": services.element_uses(element),
        "manager": access.can_everywhere(user, Action.MANAGE_PROGRAMME),
    }
    return render(request, "indicators/setup/element_detail.html", context)


def _save_element(request: HttpRequest, element: DataElement | None) -> HttpResponse:
    form = ElementForm(request.POST or None, element=element)
    if request.method == "POST" and form.is_valid():
        actor = access.request_user(request)
        try:
            if element is None:
                element = services.create_element(
                    actor=actor, code=form.cleaned_data["code"], **form.element_fields()
                )
            else:
                services.update_element(actor=actor, element=element, **form.element_fields())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu số liệu."))
            return redirect("indicators:element_detail", code=element.code)
    context = {"form": form, "element": element}
    return render(request, "indicators/setup/element_form.html", context)


@require_http_methods(["GET", "POST"])
@manager_required
def element_create(request: HttpRequest) -> HttpResponse:
    return _save_element(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def element_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_element(request, get_object_or_404(DataElement, code=code))


def _delete(
    request: HttpRequest, call: Callable[..., None], done: str, back: str, **kwargs: Any
) -> HttpResponse:
    """Run a delete service; refused, its reason is shown on the page it came from."""
    try:
        call(actor=access.request_user(request), **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        came_from = request.POST.get("back", "")
        safe = url_has_allowed_host_and_scheme(came_from, allowed_hosts={request.get_host()})
        return redirect(came_from if came_from and safe else back)
    messages.success(request, done)
    return redirect(back)


@require_POST
@manager_required
def element_delete(request: HttpRequest, code: str) -> HttpResponse:
    element = get_object_or_404(DataElement, code=code)
    return _delete(
        request, services.delete_element, _("Đã xóa số liệu."), "indicators:element_list",
        element=element,
    )  # fmt: skip


# --- indicators ----------------------------------------------------------------------------------


@require_GET
@login_required
def indicator_catalogue(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.select_related("area").prefetch_related("sets", "targets")
    query = request.GET.get("q", "").strip()
    if query:
        indicators = indicators.filter(Q(code__icontains=query) | Q(name__icontains=query))
    page = Paginator(indicators.order_by("order", "code"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": query, "manager": _may_manage(request)}
    return render(request, "indicators/setup/indicator_catalogue.html", context)


def _save_indicator(request: HttpRequest, indicator: Indicator | None) -> HttpResponse:
    """The indicator's form; a new one goes on to its targets once saved."""
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        actor = access.request_user(request)
        try:
            if indicator is None:
                created = services.create_indicator(
                    actor=actor, code=form.cleaned_data["code"], **form.indicator_fields()
                )
                messages.success(request, _("Đã tạo chỉ tiêu."))
                return redirect("indicators:targets", code=created.code)
            services.update_indicator(actor=actor, indicator=indicator, **form.indicator_fields())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu chỉ tiêu."))
            return redirect("indicators:catalogue")
    check = _formula_check(form["formula"].value() or "", form["period_kind"].value())
    context = {"form": form, "indicator": indicator, "check": check}
    return render(request, "indicators/setup/indicator_form.html", context)


@require_http_methods(["GET", "POST"])
@manager_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    return _save_indicator(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_indicator(request, get_object_or_404(Indicator, code=code))


@require_POST
@manager_required
def indicator_delete(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    return _delete(
        request, services.delete_indicator, _("Đã xóa chỉ tiêu."), "indicators:catalogue",
        indicator=indicator,
    )  # fmt: skip


@dataclass
class FormulaCheck:
    """The formula editor's verdict: the error (message, and the formula cut where it is), or
    the elements it reads and its value now."""

    formula: str
    error: str = ""
    before: str = ""  # the formula up to the error's position
    after: str = ""  # from there on
    elements: list[DataElement] | None = None
    result: Any = None  # queries.IndicatorResult on the latest period with figures
    period: Period | None = None
    unit: Unit | None = None
    # Elements read for the period itself but reported at another frequency: nothing to read
    # for the indicator's own periods (latest() reads across frequencies).
    other_frequency: list[DataElement] = field(default_factory=list)


def _formula_check(formula: str, period_kind: str | None) -> FormulaCheck | None:
    """The check of a formula (None when nothing is typed yet): parsed and its codes looked up
    by services.check_formula's rules, then evaluated for the whole province on the latest
    period of its kind that has figures."""
    if not formula.strip():
        return None
    try:
        codes = references(parse(formula))
    except ExpressionError as error:
        cut = error.position
        return FormulaCheck(formula, error.message, formula[:cut], formula[cut:])
    try:
        services.check_formula(formula)
    except ValidationError as exc:
        return FormulaCheck(formula, " ".join(exc.messages))
    elements = list(DataElement.objects.filter(code__in=codes).order_by("code"))
    kind = period_kind or (elements[0].period_kind if elements else "")
    through_latest = latest_codes(parse(formula))
    check = FormulaCheck(formula, elements=elements)
    check.other_frequency = [
        e for e in elements if e.period_kind != kind and e.code not in through_latest
    ]
    period = latest_period_with_figures(kind, codes)
    root = Unit.objects.get_first_root_node()
    if period is not None and root is not None:
        check.result = formula_preview(formula, kind, period, root)
        check.period, check.unit = period, root
    return check


@require_POST
@manager_required
def formula_check(request: HttpRequest) -> HttpResponse:
    """The formula editor's partial, asked as the formula is typed (HTMX)."""
    form = FormulaForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    check = _formula_check(data.get("formula", ""), data.get("period_kind") or None)
    return render(request, "indicators/setup/_formula_check.html", {"check": check})


@require_http_methods(["GET", "POST"])
@manager_required
def indicator_targets(request: HttpRequest, code: str) -> HttpResponse:
    """The indicator's targets: per year, the long-term one, per unit type; set or replaced."""
    indicator = get_object_or_404(Indicator.objects.prefetch_related("sets"), code=code)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_target(
                actor=access.request_user(request), indicator=indicator, value=data["value"],
                year=data["year"], unit_type=data["unit_type"],
            )  # fmt: skip
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mục tiêu."))
            return redirect("indicators:targets", code=indicator.code)
    targets = indicator.targets.order_by("year", "unit_type")
    long_sets = [s for s in indicator.sets.all() if s.first_year != s.last_year]
    context = {"indicator": indicator, "form": form, "targets": targets, "long_sets": long_sets}
    return render(request, "indicators/setup/targets.html", context)


@require_POST
@manager_required
def target_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    target = get_object_or_404(Target, pk=pk, indicator__code=code)
    services.remove_target(actor=access.request_user(request), target=target)
    messages.success(request, _("Đã xóa mục tiêu."))
    return redirect("indicators:targets", code=code)


# --- indicator sets ------------------------------------------------------------------------------


@require_GET
@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    sets = IndicatorSet.objects.annotate(size=Count("indicators")).order_by("order", "code")
    context = {"sets": sets, "manager": _may_manage(request)}
    return render(request, "indicators/setup/set_list.html", context)


def _save_set(request: HttpRequest, indicator_set: IndicatorSet | None) -> HttpResponse:
    form = IndicatorSetForm(request.POST or None, indicator_set=indicator_set)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = indicator_set.code if indicator_set else data["code"]
        if indicator_set is None and IndicatorSet.objects.filter(code=code).exists():
            form.add_error("code", _("Đã có bộ chỉ tiêu mã này."))
        else:
            try:
                services.save_indicator_set(
                    actor=access.request_user(request), code=code, name=data["name"],
                    first_year=data["first_year"], last_year=data["last_year"],
                    order=data["order"], indicators=data["indicators"],
                )  # fmt: skip
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu bộ chỉ tiêu."))
                return redirect("indicators:set_list")
    context = {"form": form, "indicator_set": indicator_set}
    return render(request, "indicators/setup/set_form.html", context)


@require_http_methods(["GET", "POST"])
@manager_required
def set_create(request: HttpRequest) -> HttpResponse:
    return _save_set(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def set_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_set(request, get_object_or_404(IndicatorSet, code=code))


@require_POST
@manager_required
def set_delete(request: HttpRequest, code: str) -> HttpResponse:
    indicator_set = get_object_or_404(IndicatorSet, code=code)
    return _delete(
        request, services.delete_indicator_set, _("Đã xóa bộ chỉ tiêu."), "indicators:set_list",
        indicator_set=indicator_set,
    )  # fmt: skip


# --- validation rules ----------------------------------------------------------------------------


@require_GET
@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = ValidationRule.objects.select_related(
        "element", "total", "numerator", "denominator", "within"
    ).prefetch_related("parts", "units")
    context = {"rules": rules, "manager": _may_manage(request)}
    return render(request, "indicators/setup/rule_list.html", context)


def _rule_page(
    request: HttpRequest,
    form: RuleForm,
    rule: ValidationRule | None,
    preview: RulePreview | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "rule": rule,
        "preview": preview,
        "periods": Period.objects.exclude(kind=PeriodKind.QUICK).order_by("-starts_on", "code")[
            :PREVIEW_PERIODS
        ],
    }
    return render(request, "indicators/setup/rule_form.html", context)


def _save_rule(request: HttpRequest, rule: ValidationRule | None) -> HttpResponse:
    form = RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        actor = access.request_user(request)
        try:
            if rule is None:
                rule = services.create_rule(
                    actor=actor, code=form.cleaned_data["code"], **form.rule_fields()
                )
            else:
                services.update_rule(actor=actor, rule=rule, **form.rule_fields())
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu quy tắc kiểm tra."))
            return redirect("indicators:rule_list")
    return _rule_page(request, form, rule)


@require_http_methods(["GET", "POST"])
@manager_required
def rule_create(request: HttpRequest) -> HttpResponse:
    return _save_rule(request, None)


@require_http_methods(["GET", "POST"])
@manager_required
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _save_rule(request, get_object_or_404(ValidationRule, code=code))


@require_POST
@manager_required
def rule_delete(request: HttpRequest, code: str) -> HttpResponse:
    rule = get_object_or_404(ValidationRule, code=code)
    return _delete(
        request, services.delete_rule, _("Đã xóa quy tắc kiểm tra."), "indicators:rule_list",
        rule=rule,
    )  # fmt: skip


@require_GET
@manager_required
def rule_fields(request: HttpRequest) -> HttpResponse:
    """The fields of the chosen kind, when the kind is changed (HTMX); what was typed stays."""
    form = RuleForm(initial=request.GET.dict())
    context = {"form": form}
    return render(request, "indicators/setup/_rule_kind_fields.html", context)


@dataclass
class RulePreview:
    period: Period
    found: int  # how many violations
    shown: list[tuple[str, str]]  # the first PREVIEW_ROWS: (unit name, message)


def _problems(form: RuleForm) -> list[str]:
    """The form's errors as sentences naming their field, for the preview box."""
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]


@require_POST
@manager_required
def rule_preview(request: HttpRequest) -> HttpResponse:
    """What the rule as typed would find in a period's stored figures, before it is saved
    (services.preview_rule: created in a savepoint, checked alone, rolled back): the preview
    alone when asked with HTMX, else the form page with it."""
    code = request.POST.get("editing", "")
    rule = get_object_or_404(ValidationRule, code=code) if code else None
    data = request.POST.copy()
    if rule is None and not data.get("code", "").strip():
        data["code"] = PREVIEW_CODE  # a code is not needed to see what the rule finds
    form = RuleForm(data, rule=rule)
    period = Period.objects.filter(code=request.POST.get("preview_period", "")).first()
    preview = None
    if form.is_valid():
        fields = form.rule_fields()
        period = period or _preview_period(fields)
        if period is None:
            form.add_error(None, _("Chưa có kỳ báo cáo nào để xem trước."))
        else:
            found = _preview(request, form, rule, period, fields)
            if found is not None:
                first = found[:PREVIEW_ROWS]
                names = dict(
                    Unit.objects.filter(code__in={v.unit_code for v in first}).values_list(
                        "code", "name"
                    )
                )
                rows = [(names.get(v.unit_code, v.unit_code), v.message) for v in first]
                preview = RulePreview(period, len(found), rows)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"problems": _problems(form), "preview": preview}
        return render(request, "indicators/setup/_rule_preview.html", context)
    return _rule_page(request, form, rule, preview)


def _preview_period(fields: dict[str, Any]) -> Period | None:
    main = fields["total"] if fields["kind"] == RuleKind.PARTS_SUM else fields["element"]
    if main is None:
        return None
    return latest_period_with_figures(main.period_kind, [main.code])


def _preview(
    request: HttpRequest,
    form: RuleForm,
    rule: ValidationRule | None,
    period: Period,
    fields: dict[str, Any],
) -> list[Violation] | None:
    actor: User = access.request_user(request)
    try:
        if rule is None:
            return services.preview_rule(
                actor=actor, period=period, code=form.cleaned_data["code"], **fields
            )
        return services.preview_rule(actor=actor, period=period, rule=rule, **fields)
    except ValidationError as exc:
        service_errors(form, exc)
        return None
