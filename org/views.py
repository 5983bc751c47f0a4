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
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57 import imports, throttle
from nq57.xlsx import XLSX_CONTENT_TYPE, ImportRejected, build_workbook
from org import access, queries, services
from org.access import Action
from org.account_rows import HEADER_HELP, HEADERS, SHEET, parse_account_file
from org.forms import (
    AccountForm,
    AccountImportForm,
    MergeForm,
    SplitForm,
    SuccessorFormSet,
    UnitCloseForm,
    UnitCreateForm,
    UnitForm,
    UnitGroupForm,
    UnitMoveForm,
)
from org.history import changes_for_account, changes_for_unit
from org.models import Unit, UnitGroup, User
from org.signals import ClosureEffect

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
    manage_units = access.can_everywhere(access.request_user(request), Action.MANAGE_UNITS)
    context = {"page": page, "query": query, "manage_units": manage_units}
    template = "org/_unit_rows.html" if request.htmx else "org/unit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    unit = _unit_or_404(user, code)
    can_accounts = access.can(user, Action.MANAGE_ACCOUNTS, unit)
    changes = queries.unit_changes(unit)
    visible = set(access.units_visible_to(user).values_list("pk", flat=True)) if changes else set()
    context = {
        "unit": unit,
        "ancestors": queries.ancestors_of(unit).filter(pk__in=access.units_visible_to(user)),
        "children": queries.children_of(user, unit),
        "accounts": queries.accounts_of(user, unit) if can_accounts else None,
        "allowed": {a.value for a in access.allowed_actions(user, unit)},
        "merged_into_visible": unit.merged_into is not None
        and access.can(user, Action.VIEW, unit.merged_into),
        # The lineage: the merges and splits the unit came from or went into, its renames…
        "changes": changes,
        "predecessors": queries.predecessors_of(changes, unit),
        "visible": visible,
    }
    return render(request, "org/unit_detail.html", context)


def _managed_unit(request: HttpRequest, code: str) -> tuple[User, Unit]:
    """The signed-in user and the unit whose structure they change (404 / 403 otherwise)."""
    user = access.request_user(request)
    unit = _unit_or_404(user, code)
    access.authorize(user, Action.MANAGE_UNITS, unit)
    return user, unit


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The form is compared with the unit as it was when opened (its history row `seen`), not as
    it is now: only what this editor changed is saved, and a field someone else changed
    meanwhile is refused with the typed values kept (409)."""
    user, unit = _managed_unit(request, code)
    if request.method != "POST":
        form = UnitForm(instance=unit, initial={"seen": services.unit_version(unit)})
        return render(request, "org/unit_edit.html", {"unit": unit, "form": form})
    seen = request.POST.get("seen", "")
    opened = services.seen_unit(unit, int(seen) if seen.isdigit() else None)
    form = UnitForm(request.POST, instance=opened)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_unit(
                actor=user, unit=unit, seen=data["seen"], reason=data["reason"],
                effective_on=data["effective_on"], **form.changes(),
            )  # fmt: skip
        except services.StaleUnit as exc:
            return _edit_refused(request, unit, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect("org:unit_detail", code=unit.code)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form})


def _edit_refused(request: HttpRequest, unit: Unit, exc: ValidationError) -> HttpResponse:
    """The form again with what was typed, against the unit as stored now: saving again is a
    deliberate choice to replace the other person's values."""
    data = request.POST.copy()
    data["seen"] = str(services.unit_version(unit) or "")
    form = UnitForm(data, instance=services.seen_unit(unit, None))
    form.is_valid()
    form.add_error(None, exc)
    return render(request, "org/unit_edit.html", {"unit": unit, "form": form}, status=409)


def _done(request: HttpRequest, message: str, unit: Unit) -> HttpResponse:
    messages.success(request, message)
    return redirect("org:unit_detail", code=unit.code)


def _page(
    request: HttpRequest, title: str, form: Form, unit: Unit | None = None, **more: object
) -> HttpResponse:
    context = {"title": title, "form": form, "unit": unit, **more}
    return render(request, "org/unit_change.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.MANAGE_UNITS)
    initial = {"parent": Unit.objects.filter(code=request.GET.get("parent", "")).first()}
    form = UnitCreateForm(request.POST or None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, _("Đã thêm đơn vị."), unit)
    return _page(request, _("Thêm đơn vị"), form)


@require_http_methods(["GET", "POST"])
@login_required
def unit_move(request: HttpRequest, code: str) -> HttpResponse:
    user, unit = _managed_unit(request, code)
    form = UnitMoveForm(request.POST or None, actor=user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_unit(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, _("Đã chuyển đơn vị."), moved)
    return _page(request, _("Chuyển đơn vị cấp trên"), form, unit)


@require_http_methods(["GET", "POST"])
@login_required
def unit_close(request: HttpRequest, code: str) -> HttpResponse:
    user, unit = _managed_unit(request, code)
    form = UnitCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.close_unit(actor=user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            for effect in closure.effects:
                _report_effect(request, effect)
            return _done(
                request, _("Đơn vị đã ngừng hoạt động; tài khoản của đơn vị bị khóa."), closure.unit
            )
    effects = queries.closure_effects(unit)
    return _page(request, _("Ngừng hoạt động"), form, unit, dated=True, effects=effects)


def _report_effect(request: HttpRequest, effect: ClosureEffect) -> None:
    messages.info(request, effect.summary)
    if effect.left_behind:
        messages.warning(request, f"{effect.left_behind_note} {'; '.join(effect.left_behind)}.")


@require_http_methods(["GET", "POST"])
@login_required
def unit_merge(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    access.authorize_somewhere(user, Action.MANAGE_UNITS)
    initial = {"predecessors": request.GET.get("from", "")}
    form = MergeForm(request.POST or None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.merge_units(
                actor=user, predecessors=data["predecessors"], successor=form.successor(),
                on=data["effective_on"], reason=data["reason"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _done(request, _("Đã sáp nhập đơn vị."), change.unit)
    return _page(request, _("Sáp nhập đơn vị"), form, dated=True)


@require_http_methods(["GET", "POST"])
@login_required
def unit_split(request: HttpRequest, code: str) -> HttpResponse:
    user, unit = _managed_unit(request, code)
    form = SplitForm(request.POST or None)
    successors = SuccessorFormSet(request.POST or None, prefix="s")
    if request.method == "POST" and form.is_valid() and successors.is_valid():
        data = form.cleaned_data
        parent = Unit.objects.get_parent(unit)
        new = [
            services.NewUnit(
                f.cleaned_data["code"], f.cleaned_data["name"].strip(), unit.unit_type, parent
            )
            for f in successors
            if f.cleaned_data
        ]
        codes = [n.code for n in new]
        target = data["accounts_to"] or codes[0]
        if target not in codes:
            form.add_error("accounts_to", _("Không phải mã của một đơn vị kế thừa."))
        else:
            try:
                services.split_unit(
                    actor=user, predecessor=unit, successors=new, on=data["effective_on"],
                    reason=data["reason"], accounts_to=codes.index(target),
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _done(request, _("Đã chia tách đơn vị."), unit)
    return _page(request, _("Chia tách đơn vị"), form, unit, formset=successors, dated=True)


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


# --- saved groups of units --------------------------------------------------------------------


@require_GET
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def unit_group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/unit_group_list.html", {"groups": queries.unit_groups()})


def _save_group(request: HttpRequest, group: UnitGroup | None) -> HttpResponse:
    user = access.request_user(request)
    form = UnitGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_unit_group(actor=user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, ValidationError(exc.messages))
        else:
            messages.success(request, _("Đã lưu nhóm đơn vị “%(name)s”.") % {"name": saved.name})
            return redirect("org:unit_group_list")
    history = queries.unit_group_history(group) if group else []
    context = {"form": form, "group": group, "history": history}
    return render(request, "org/unit_group_form.html", context)


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def unit_group_create(request: HttpRequest) -> HttpResponse:
    return _save_group(request, None)


@require_http_methods(["GET", "POST"])
@access.everywhere_required(Action.MANAGE_PROGRAMME)
def unit_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_group(request, get_object_or_404(UnitGroup, pk=pk))
