"""Thin views: read through products.queries, write through products.services, decide access in
org.access. A product out of sight is answered like a missing one (404); a visible one the user
may not act on is 403."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57.forms import service_errors
from nq57.xlsx import XLSX_CONTENT_TYPE, ImportRejected
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from products import interchange, queries, services
from products.forms import (
    CommentForm,
    DeliveryForm,
    DisbursementForm,
    EvaluationForm,
    MilestoneDoneForm,
    ProductFilterForm,
    ProductForm,
    ProductImportForm,
    WindowForm,
    default_year,
)
from products.models import (
    EDITABLE_STATES,
    REGISTERED_STATES,
    Milestone,
    Product,
    ProductState,
)
from tasks.models import Task
from tasks.queries import tasks_visible_to

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_PAGE = 50


def _filtered(request: HttpRequest) -> tuple[ProductFilterForm, QuerySet[Product]]:
    user = access.request_user(request)
    form = ProductFilterForm(request.GET, units=access.units_visible_to(user))
    form.is_valid()
    if form.has_error("unit", "invalid_choice"):
        raise Http404  # a unit out of sight is answered like a missing one
    data = form.cleaned_data
    products = queries.products_visible_to(user).select_related("unit", "area")
    if data.get("year"):
        products = products.filter(year=data["year"])
    if data.get("unit"):
        products = products.filter(unit__path__startswith=data["unit"].path)
    if data.get("area"):
        products = products.filter(area=data["area"])
    if data.get("state"):
        products = products.filter(state=data["state"])
    if data.get("group"):
        products = products.filter(queries.GROUPS[data["group"]][1])
    if data.get("kind"):
        products = products.filter(unit__unit_type__in=queries.KIND_TYPES[data["kind"]])
    return form, products.order_by("unit__path", "code")


def _registering_units(user: User) -> QuerySet[Unit]:
    """The units the user may register products for: its own reporting unit, or every one for
    the standing office (a draft on a unit's behalf)."""
    return access.units_where(user, Action.REPORT).filter(
        unit_type__in=REPORTING_TYPES, active_to__isnull=True
    )


@require_GET
@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    form, products = _filtered(request)
    user = access.request_user(request)
    year = form.cleaned_data.get("year") or default_year()
    context = {
        "form": form,
        "page": Paginator(products, PER_PAGE).get_page(request.GET.get("page")),
        "window": queries.window_of(year),
        "year": year,
        "can_register": _registering_units(user).exists(),
        "office": access.can_everywhere(user, Action.MANAGE_PROGRAMME),
        "overview": queries.delivery_by_area(
            year, timezone.localdate(), access.units_visible_to(user)
        ),
    }
    return render(request, "products/product_list.html", context)


@require_GET
@login_required
def product_export(request: HttpRequest) -> HttpResponseBase:
    products = _filtered(request)[1].prefetch_related("milestones", "indicators", "tasks")
    return FileResponse(
        io.BytesIO(interchange.workbook(products)),
        as_attachment=True,
        filename="san-pham.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_GET
@login_required
def product_template(request: HttpRequest) -> HttpResponseBase:
    return FileResponse(
        io.BytesIO(interchange.template()),
        as_attachment=True,
        filename="mau-dang-ky-san-pham.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@require_http_methods(["GET", "POST"])
@login_required
def product_import(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.REPORT)
    form = ProductImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    summary = None
    if request.method == "POST" and form.is_valid():
        try:
            summary = interchange.import_products(
                actor=user, source=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"]
            )
        except ImportRejected as rejected:
            errors = rejected.errors
    context = {
        "form": form,
        "errors": errors,
        "summary": summary,
        "headers": list(interchange.COLUMNS),
        "template_url": reverse("products:template"),
    }
    return render(request, "products/product_import.html", context)


def _product(user: User, pk: int) -> Product:
    return get_object_or_404(
        queries.products_visible_to(user).select_related("unit", "area", "created_by"), pk=pk
    )


def _actions(user: User, product: Product) -> dict[str, bool]:
    """What the page offers the user on the product (the services decide again)."""
    unit, state = product.unit, product.state
    office = access.can(user, Action.MANAGE_PROGRAMME, unit)
    return {
        "edit": state in EDITABLE_STATES and access.can(user, Action.REPORT, unit),
        "submit": state in EDITABLE_STATES and access.can_own(user, Action.REPORT, unit),
        "head": state == ProductState.SUBMITTED and access.can_own(user, Action.APPROVE, unit),
        "office": state == ProductState.APPROVED and office,
        "deliver": state == ProductState.ACCEPTED and access.can_own(user, Action.REPORT, unit),
        "evaluate": state == ProductState.DELIVERED and office,
        "progress": state in REGISTERED_STATES and access.can_own(user, Action.REPORT, unit),
    }


@require_GET
@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    disbursements = list(product.disbursements.all())
    tasks: QuerySet[Task] = tasks_visible_to(user).filter(products=product).order_by("code")
    context = {
        "product": product,
        "milestones": product.milestones.all(),
        "disbursements": disbursements,
        "disbursed": sum((d.amount for d in disbursements), 0),
        "transitions": product.transitions.select_related("actor"),
        "tasks": tasks,
        "indicators": product.indicators.all(),
        "can": _actions(user, product),
        "window": queries.window_of(product.year),
        "comment_form": CommentForm(),
        "evaluation_form": EvaluationForm(),
        "milestone_form": MilestoneDoneForm(initial={"done_on": timezone.localdate()}),
        "disbursement_form": DisbursementForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "products/product_detail.html", context)


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those who may read the product, never publicly."""
    product = _product(access.request_user(request), pk)
    if not product.evidence_file:
        raise Http404
    try:
        handle = product.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=product.evidence_name)


def _form_page(request: HttpRequest, product: Product | None) -> HttpResponse:
    user = access.request_user(request)
    units = _registering_units(user)
    if product is None and not units.exists():
        raise PermissionDenied
    form = ProductForm(request.POST or None, actor=user, units=units, product=product)
    if request.method == "POST" and (saved := form.save()) is not None:
        messages.success(request, _("Đã lưu sản phẩm %(code)s.") % {"code": saved.code})
        return redirect("products:detail", pk=saved.pk)
    return render(request, "products/product_form.html", {"form": form, "product": product})


@require_http_methods(["GET", "POST"])
@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    if not access.can(user, Action.REPORT, product.unit):
        raise PermissionDenied
    if product.state not in EDITABLE_STATES:
        messages.error(
            request, _("Sản phẩm đã gửi lên; chỉ sửa được khi đang soạn hoặc bị trả lại.")
        )
        return redirect("products:detail", pk=product.pk)
    return _form_page(request, product)


def _messages(form: Any) -> list[str]:
    """A refused form's errors, one message each, for the page's messages."""
    return [str(m) for errors in form.errors.values() for m in errors]


def _done(request: HttpRequest, product: Product, run: Any, success: str) -> HttpResponse:
    """Run a service call; its refusal becomes the page's error message."""
    try:
        run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("products:detail", pk=product.pk)


_MOVES: dict[str, tuple[Callable[..., Product], StrOrPromise]] = {
    "submit": (services.submit, _("Đã trình lãnh đạo đơn vị duyệt.")),
    "approve": (services.approve, _("Đã duyệt, gửi cơ quan thường trực.")),
    "return": (services.return_product, _("Đã trả lại đơn vị.")),
    "accept": (services.accept, _("Đã chấp nhận sản phẩm.")),
    "return_delivery": (services.return_delivery, _("Đã trả lại kết quả hoàn thành.")),
}
_WITH_COMMENT = {"return", "accept", "return_delivery"}


@require_POST
@login_required
def product_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    if move not in _MOVES:
        raise Http404
    service, success = _MOVES[move]
    form = CommentForm(request.POST)
    form.is_valid()
    extra = {"comment": form.cleaned_data.get("comment", "")} if move in _WITH_COMMENT else {}
    return _done(
        request, product, lambda: service(actor=user, product=product, **extra), str(success)
    )


@require_http_methods(["GET", "POST"])
@login_required
def product_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    if not access.can_own(user, Action.REPORT, product.unit):
        raise PermissionDenied
    form = DeliveryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deliver(
                actor=user,
                product=product,
                delivery=form.delivery(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(request, _("Đã báo cáo hoàn thành sản phẩm."))
            return redirect("products:detail", pk=product.pk)
    return render(request, "products/product_deliver.html", {"form": form, "product": product})


@require_POST
@login_required
def product_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    form = EvaluationForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _done(
        request,
        product,
        lambda: services.evaluate(
            actor=user,
            product=product,
            rating=data.get("rating", ""),
            comment=data.get("comment", ""),
        ),
        _("Đã đánh giá sản phẩm."),
    )


@require_POST
@login_required
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    found = get_object_or_404(Milestone, pk=milestone, product=product)
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ngày hoàn thành phải viết dạng dd/mm/yyyy."))
        return redirect("products:detail", pk=product.pk)
    day = form.cleaned_data["done_on"]
    return _done(
        request,
        product,
        lambda: services.complete_milestone(actor=user, milestone=found, done_on=day),
        _("Đã ghi nhận mốc hoàn thành."),
    )


@require_POST
@login_required
def disbursement_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    product = _product(user, pk)
    form = DisbursementForm(request.POST)
    if not form.is_valid():
        for message in _messages(form):
            messages.error(request, message)
        return redirect("products:detail", pk=product.pk)
    data = form.cleaned_data
    return _done(
        request,
        product,
        lambda: services.add_disbursement(
            actor=user, product=product, on=data["on"], amount=data["amount"], note=data["note"]
        ),
        _("Đã ghi giải ngân."),
    )


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def window_edit(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    year = int(request.GET.get("year") or default_year())
    window = queries.window_of(year)
    initial: dict[str, Any] = {"year": year}
    if window is not None:
        initial |= {"opens_on": window.opens_on, "closes_on": window.closes_on, "note": window.note}
    form = WindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.open_window(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã mở đợt đăng ký sản phẩm năm %(year)s.") % {"year": saved.year}
            )
            return redirect(queries.list_url(year=saved.year))
    return render(request, "products/window_form.html", {"form": form})


def _board(request: HttpRequest) -> tuple[int, list[queries.BoardRow]]:
    user = access.request_user(request)
    try:
        year = int(request.GET.get("year") or default_year())
    except ValueError:
        year = default_year()
    return year, queries.board(year, access.units_visible_to(user))


@require_GET
@login_required
def board(request: HttpRequest) -> HttpResponse:
    year, rows = _board(request)
    shown = request.GET.get("show", "without")
    without = [r for r in rows if r.without_product]
    context = {
        "year": year,
        "rows": without if shown == "without" else rows,
        "shown": shown,
        "without": len(without),
        "total": len(rows),
        "office": access.can_everywhere(access.request_user(request), Action.MANAGE_PROGRAMME),
        "labels": queries.STANDING_LABELS,
    }
    return render(request, "products/board.html", context)


@require_POST
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def board_remind(request: HttpRequest) -> HttpResponse:
    year, rows = _board(request)
    units = [r.unit for r in rows if r.without_product]
    sent = services.remind_without_product(
        actor=access.request_user(request), year=year, units=units
    )
    messages.success(
        request,
        _("Đã nhắc %(n)s đơn vị chưa có sản phẩm (mỗi đơn vị một lần trong ngày).") % {"n": sent},
    )
    return redirect(f"{reverse('products:board')}?year={year}")
