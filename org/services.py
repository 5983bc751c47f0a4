"""Every write to units and accounts: one function, one transaction, permission checked inside,
history attributed to the actor, e-mails queued on commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from nq57.xlsx import ImportRejected
from org import access
from org.access import Action
from org.account_rows import AccountRow, validate_account_rows
from org.jobs import send_welcome_email
from org.models import Role, Unit, UnitType, User

# No look-alike characters (0/O, 1/l/I): passwords are read out over the phone.
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))


def _hash_all(passwords: Sequence[str]) -> list[str]:
    """PBKDF2 releases the GIL, so hashing a bulk import uses every core."""
    with ThreadPoolExecutor() as pool:
        return list(pool.map(make_password, passwords))


# --- units -----------------------------------------------------------------------------------


@transaction.atomic
def bootstrap_province(
    *, code: str, name: str, admin_username: str, admin_email: str, admin_password: str
) -> User:
    """Create the root unit and the first system administrator on an empty database."""
    if Unit.objects.exists():
        raise ValidationError(_("Cây đơn vị đã có; không thể khởi tạo lại."))
    validate_password(admin_password)
    root = Unit.objects.add_root({"code": code, "name": name, "unit_type": UnitType.PROVINCE})
    admin = User(
        username=admin_username,
        email=admin_email,
        full_name=_("Quản trị hệ thống"),
        unit=root,
        role=Role.SYSADMIN,
        is_staff=True,
        is_superuser=True,
    )
    admin.set_password(admin_password)
    admin.save()
    return admin


@transaction.atomic
def create_unit(
    *, actor: User, parent: Unit, code: str, name: str, unit_type: str, **fields: Any
) -> Unit:
    access.authorize(actor, Action.MANAGE_UNITS, parent)
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code}})
    unit = Unit(code=code, name=name, unit_type=unit_type, **fields)
    unit._history_user = actor  # type: ignore[attr-defined]
    return Unit.objects.add_child(parent, instance=unit)  # type: ignore[no-any-return]


_EDITABLE_UNIT_FIELDS = frozenset(
    {"name", "unit_type", "cluster", "is_standing_office", "head_name", "head_title", "active_from"}
)


@transaction.atomic
def update_unit(*, actor: User, unit: Unit, **changes: Any) -> Unit:
    """Rename or re-describe a unit; the previous values stay in its history."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    unknown = set(changes) - _EDITABLE_UNIT_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    return unit


@transaction.atomic
def move_unit(*, actor: User, unit: Unit, new_parent: Unit) -> Unit:
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    access.authorize(actor, Action.MANAGE_UNITS, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("Không thể chuyển một đơn vị vào chính nhánh của nó."))
    if not unit.is_active or not new_parent.is_active:
        raise ValidationError(_("Không thể chuyển đơn vị đã ngừng hoạt động."))
    Unit.objects.move(unit, new_parent, pos="last-child")  # rewrites paths in SQL, no history
    moved = Unit.objects.get(pk=unit.pk)
    moved._history_user = actor  # type: ignore[attr-defined]
    moved.save()  # so the history shows who moved it and where
    return moved


@transaction.atomic
def close_unit(
    *, actor: User, unit: Unit, active_to: date, merged_into: Unit | None = None
) -> Unit:
    """End a unit (dissolved, or merged into another). Its data and history stay; its accounts are
    disabled so nobody reports for a unit that no longer exists."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    if merged_into is not None:
        access.authorize(actor, Action.MANAGE_UNITS, merged_into)
        if merged_into.pk == unit.pk or not merged_into.is_active:
            raise ValidationError(_("Đơn vị nhận sáp nhập phải là một đơn vị khác đang hoạt động."))
    if Unit.objects.filter(
        path__startswith=unit.path, depth__gt=unit.depth, active_to=None
    ).exists():
        raise ValidationError(_("Đơn vị còn đơn vị trực thuộc đang hoạt động."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.active_to, unit.merged_into = active_to, merged_into
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()
    for account in unit.accounts.filter(is_active=True):
        _save_account(actor, account, is_active=False)
    return unit


@transaction.atomic
def delete_unit(*, actor: User, unit: Unit) -> None:
    """Only a unit created by mistake, with no children, accounts or data, can be deleted."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    if Unit.objects.get_children_count(unit):
        raise ValidationError(_("Không thể xóa đơn vị còn đơn vị trực thuộc."))
    try:
        unit.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("Đơn vị đã có dữ liệu nên không thể xóa; hãy cho ngừng hoạt động.")
        ) from exc


# --- accounts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedAccount:
    user: User
    password: str  # shown once to the administrator; never stored in clear


@transaction.atomic
def create_accounts(
    *,
    actor: User,
    rows: Sequence[AccountRow],
    password: str | None = None,
    must_change_password: bool = True,
) -> list[CreatedAccount]:
    """Create all accounts or none. Without `password` each gets a one-time password."""
    units, errors = validate_account_rows(actor, rows)
    if errors:
        raise ImportRejected(errors)
    if password:  # one shared password (the demo's): one hash serves every account
        passwords, hashes = [password] * len(rows), [make_password(password)] * len(rows)
    else:
        passwords = [one_time_password() for _ in rows]
        hashes = _hash_all(passwords)
    users = [
        _new_user(row, units, password_hash, must_change_password)
        for row, password_hash in zip(rows, hashes, strict=True)
    ]
    try:
        created = bulk_create_with_history(users, User, default_user=actor)
    except IntegrityError as exc:  # a concurrent import took a name between check and insert
        raise ValidationError(
            _("Tên đăng nhập hoặc thư điện tử vừa được dùng; hãy thử lại.")
        ) from exc
    for user in created:
        if user.email:
            transaction.on_commit(partial(send_welcome_email.enqueue, user.pk))
    return [CreatedAccount(u, p) for u, p in zip(created, passwords, strict=True)]


def _new_user(
    row: AccountRow, units: dict[str, Unit], password_hash: str, must_change: bool
) -> User:
    return User(
        username=row.username,
        full_name=row.full_name,
        email=row.email,
        phone=row.phone,
        unit=units[row.unit_code],
        role=row.role,
        scope=units.get(row.scope_code),
        password=password_hash,
        must_change_password=must_change,
    )


def _manageable(actor: User, account: User) -> User:
    """The actor may manage the account only inside its reach, for a role it may hand out, never
    a peer of its own role at or above its unit, and never one whose scope reaches further."""
    access.authorize(actor, Action.MANAGE_ACCOUNTS, account.unit)
    peer = account.role == actor.role and not _strictly_below(account.unit, actor.unit)
    scope_ok = account.scope is None or access.can(actor, Action.MANAGE_ACCOUNTS, account.scope)
    if account.role not in access.assignable_roles(actor) or peer or not scope_ok:
        raise PermissionDenied
    return User.objects.select_for_update().get(pk=account.pk)


def _strictly_below(unit: Unit, top: Unit) -> bool:
    return unit.path.startswith(top.path) and unit.depth > top.depth


def _save_account(actor: User, account: User, **changes: Any) -> User:
    for field, value in changes.items():
        setattr(account, field, value)
    account._history_user = actor  # type: ignore[attr-defined]
    account.save()
    if changes.get("is_active") is False:
        end_sessions(account)
    return account


def end_sessions(account: User) -> int:
    """Sign the account out everywhere: its stored sessions are deleted, so unlocking it later
    does not bring them back. Returns how many were ended."""
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    owned = [
        session.pk
        for session in sessions.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(account.pk)
    ]
    Session.objects.filter(pk__in=owned).delete()
    return len(owned)


@transaction.atomic
def set_account_active(*, actor: User, account: User, active: bool) -> User:
    account = _manageable(actor, account)
    if active and not account.unit.is_active:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động; không thể mở khóa tài khoản."))
    return _save_account(actor, account, is_active=active)


@transaction.atomic
def reset_password(*, actor: User, account: User) -> str:
    """Give the account a new one-time password that must be changed at the next login."""
    account = _manageable(actor, account)
    password = one_time_password()
    account.set_password(password)
    _save_account(actor, account, must_change_password=True)
    return password


@transaction.atomic
def change_own_password(*, user: User, new_password: str) -> User:
    user.set_password(new_password)
    return _save_account(user, user, must_change_password=False)
