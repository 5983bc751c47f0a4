"""Thin views: read through org.queries, write through org.services, decide access in org.access."""

from __future__ import annotations

from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57 import imports, throttle
from nq57.xlsx import XLSX_CONTENT_TYPE, ImportRejected, build_workbook
from org import access, queries, services
from org.access import Action
from org.account_rows import HEADER_HELP, HEADERS, SHEET, parse_account_file
from org.forms import AccountForm, AccountImportForm, UnitForm
from org.history import changes_for_account, changes_for_unit
from org.models import Unit, User

UNITS_PER_PAGE = 200


def _unit_or_404(user: User, code: str) -> Unit:
    try:
        return queries.unit_detail(user, code)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    units = queries.visible_units(access.request_user(request), query)
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    base_depth = min((u.depth for u in page.object_list), default=1)
    for unit in page.object_list:  # indentation shows the tree; search results are flat
        unit.indent = 0 if query else unit.depth - base_depth  # type: ignore[attr-defined]
    context = {"page": page, "query": query}
    template = "org/_unit_rows.html" if request.htmx else "org/unit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _unit_or_404(user, code)
    can_accounts = access.can(user, Action.MANAGE_ACCOUNTS, unit)
    context = {
        "unit": unit,
        "ancestors": queries.ancestors_of(unit).filter(pk__in=access.units_visible_to(user)),
        "children": queries.children_of(user, unit),
        "accounts": queries.accounts_of(user, unit) if can_accounts else None,
        "allowed": {a.value for a in access.allowed_actions(user, unit)},
        "merged_into_visible": unit.merged_into is not None
        and access.can(user, Action.VIEW, unit.merged_into),
    }
    return render(request, "org/unit_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _unit_or_404(user, code)
    access.authorize(user, Action.MANAGE_UNITS, unit)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        try:
            services.update_unit(actor=user, unit=unit, **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect("org:unit_detail", code=unit.code)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form})


@require_GET
@login_required
def unit_history(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _unit_or_404(user, code)
    access.authorize(user, Action.VIEW_HISTORY, unit)
    return render(
        request, "org/unit_history.html", {"unit": unit, "changes": changes_for_unit(unit)}
    )


@require_GET
@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    units = access.units_visible_to(access.request_user(request))
    content = build_workbook("Đơn vị", queries.EXPORT_HEADERS, queries.export_rows(units))
    return _xlsx_response(content, "don-vi.xlsx")


@require_GET
@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.MANAGE_ACCOUNTS)
    query = request.GET.get("q", "")
    accounts = queries.accounts_of(user, query=query)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(request, "org/account_list.html", {"page": page, "query": query})


def _render_created(request: HttpRequest, created: list[services.CreatedAccount]) -> HttpResponse:
    return render(request, "org/account_created.html", {"created": created, "shown": True})


@require_http_methods(["GET", "POST"])
@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.MANAGE_ACCOUNTS)
    form = AccountForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_accounts(actor=user, rows=[form.to_row()])
        except ImportRejected as exc:
            _add_row_errors(form, exc)
        except ValidationError as exc:  # a concurrent creation took the name
            form.add_error(None, exc)
        else:
            return _render_created(request, created)
    return render(request, "org/account_form.html", {"form": form})


def _add_row_errors(form: Form, exc: ImportRejected) -> None:
    for error in exc.errors:
        form.add_error(None, error.message)


@require_http_methods(["GET", "POST"])
@login_required
def account_import(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.MANAGE_ACCOUNTS)
    form = AccountImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = imports.start_import(actor=user, form=form, handler="org.views.run_account_import")
        return redirect(imports.job_url(request, job))
    outcome = imports.job_context(request, user)
    if outcome["summary"] is not None:
        return _render_imported(request, outcome["job"], outcome["summary"])
    context = {"form": form, "headers": HEADERS, "help": HEADER_HELP, **outcome}
    return render(request, "org/account_import.html", context)


def run_account_import(*, actor: User, source: IO[bytes], dry_run: bool) -> imports.Outcome:
    """The account import, run by the background job (nq57.imports): the accounts created are
    its summary, their one-time passwords its secret, shown once."""
    created = services.create_accounts(actor=actor, rows=parse_account_file(source))
    accounts = [
        {"username": c.user.username, "full_name": c.user.full_name, "unit": c.user.unit.name}
        for c in created
    ]
    return imports.Outcome(summary={"accounts": accounts}, secret=[c.password for c in created])


def _render_imported(request: HttpRequest, job: Any, summary: dict[str, Any]) -> HttpResponse:
    """The accounts an import created, with their one-time passwords the first time only."""
    passwords = imports.take_secret(job) or [None] * len(summary["accounts"])
    created = [
        {"user": {**row, "unit": {"name": row["unit"]}}, "password": password}
        for row, password in zip(summary["accounts"], passwords, strict=True)
    ]
    shown = passwords[0] is not None if passwords else True
    return render(request, "org/account_created.html", {"created": created, "shown": shown})


@require_GET
@login_required
def account_template(request: HttpRequest) -> HttpResponse:
    access.authorize_somewhere(access.request_user(request), Action.MANAGE_ACCOUNTS)
    return _xlsx_response(build_workbook(SHEET, HEADERS, []), "mau-tai-khoan.xlsx")


def _account_or_404(user: User, pk: int) -> User:
    try:
        return queries.accounts_of(user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    account = _account_or_404(user, pk)
    manageable = account.role in access.assignable_roles(user) and account.pk != user.pk
    context = {
        "account": account,
        "manageable": manageable,
        "changes": changes_for_account(account),
    }
    return render(request, "org/account_detail.html", context)


@require_POST
@login_required
def account_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    account = _account_or_404(user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=user, account=account, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã mở khóa tài khoản.") if active else _("Đã khóa tài khoản."))
    return redirect("org:account_detail", pk=account.pk)


@require_POST
@login_required
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.request_user(request)
    account = _account_or_404(user, pk)
    password = services.reset_password(actor=user, account=account)
    return _render_created(request, [services.CreatedAccount(account, password)])


PASSWORD_WINDOW = timedelta(hours=1)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password through the service also lifts the forced change. Wrong old
    passwords are throttled per account (PASSWORD_CHANGE_LIMIT an hour): a stolen session cannot
    guess the password behind it."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = str(request.user.pk)
        limit = settings.PASSWORD_CHANGE_LIMIT
        if not throttle.allowed("password-change", key, limit=limit, window=PASSWORD_WINDOW):
            form = self.get_form()
            form.add_error(
                None, _("Đã nhập sai mật khẩu hiện tại quá nhiều lần; hãy thử lại sau một giờ.")
            )
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        if "old_password" in form.errors:
            throttle.record("password-change", str(self.request.user.pk), window=PASSWORD_WINDOW)
        return super().form_invalid(form)

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        user = services.change_own_password(
            user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return redirect("home")


class PasswordResetView(auth_views.PasswordResetView):
    """Reset e-mails are throttled per address asked for and per client address
    (PASSWORD_RESET_LIMIT an hour): the page cannot be used to flood a mailbox or to probe. Over
    the limit the page answers as usual and sends nothing (it never says whether an address
    has an account)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:  # type: ignore[override]
        keys = [
            f"email:{form.cleaned_data['email']}",
            f"ip:{self.request.META.get('REMOTE_ADDR', '')}",
        ]
        limit = settings.PASSWORD_RESET_LIMIT
        if all(
            throttle.allowed("password-reset", k, limit=limit, window=PASSWORD_WINDOW) for k in keys
        ):
            for key in keys:
                throttle.record("password-reset", key, window=PASSWORD_WINDOW)
            return super().form_valid(form)
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        services.change_own_password(
            user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect("password_reset_complete")
