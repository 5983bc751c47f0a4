"""Every write to units and accounts: one function, one transaction, permission checked inside,
history attributed to the actor, e-mails queued on commit."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
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

from nq57.xlsx import ImportRejected, RowError, run_import
from org import access
from org.access import Action
from org.account_rows import AccountRow, validate_account_rows
from org.jobs import send_welcome_email
from org.models import ChangeKind, Role, Unit, UnitChange, UnitGroup, UnitLink, UnitType, User
from org.signals import ClosureEffect, effects_of, unit_closed, units_restructured
from org.unit_rows import COL_CODE, UnitRow, plan_units, unit_type_from_text

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


def _add_unit(
    actor: User, parent: Unit, code: str, name: str, unit_type: str, **fields: Any
) -> Unit:
    access.authorize(actor, Action.MANAGE_UNITS, parent)
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code}})
    if not parent.is_active:
        raise ValidationError({"parent": _("Đơn vị cấp trên đã ngừng hoạt động.")})
    unit = Unit(code=code, name=name, unit_type=unit_type, **fields)
    unit.full_clean(exclude=["path", "depth", "numchild"])
    unit._history_user = actor  # type: ignore[attr-defined]
    return Unit.objects.add_child(parent, instance=unit)  # type: ignore[no-any-return]


def _record(
    actor: User,
    kind: str,
    unit: Unit,
    effective_on: date,
    reason: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> UnitChange:
    return UnitChange.objects.create(
        kind=kind, unit=unit, effective_on=effective_on, reason=reason.strip(), actor=actor,
        before=before or {}, after=after or {},
    )  # fmt: skip


def _not_after_today(day: date, field: str = "effective_on") -> None:
    if day > timezone.localdate():
        message = _("Ngày hiệu lực không được sau hôm nay: ghi nhận thay đổi khi đã có hiệu lực.")
        raise ValidationError({field: message})


@transaction.atomic
def create_unit(
    *,
    actor: User,
    parent: Unit,
    code: str,
    name: str,
    unit_type: str,
    reason: str = "",
    **fields: Any,
) -> Unit:
    """A new unit under `parent`, recorded as created on its `active_from` (else today)."""
    unit = _add_unit(actor, parent, code, name, unit_type, **fields)
    on = fields.get("active_from") or timezone.localdate()
    _record(actor, ChangeKind.CREATE, unit, on, reason, after={"parent": parent.code})
    return unit


_EDITABLE_UNIT_FIELDS = frozenset(
    {"name", "unit_type", "cluster", "is_standing_office", "head_name", "head_title", "active_from"}
)


class StaleUnit(ValidationError):
    """Someone saved the unit after this form was opened, changing a field this form changes
    too; nothing was written. `fields` names them."""

    def __init__(self, fields: list[str]) -> None:
        labels = ", ".join(str(Unit._meta.get_field(f).verbose_name) for f in fields)
        super().__init__(
            _(
                "Trong lúc bạn sửa, người khác đã lưu thay đổi ở: %(fields)s. Nội dung bạn nhập "
                "vẫn còn bên dưới; hãy đối chiếu với bản đang lưu rồi bấm Lưu lần nữa nếu muốn "
                "thay bằng nội dung của bạn."
            )
            % {"fields": labels}
        )
        self.fields = fields


def unit_version(unit: Unit) -> int | None:
    """The unit's latest history row: what an edit form opened on (see `update_unit`)."""
    return unit.history.values_list("history_id", flat=True).first()  # type: ignore[attr-defined, no-any-return]


def seen_unit(unit: Unit, seen: int | None) -> Unit:
    """The unit as it was when a form was opened on history row `seen` (as now when unknown)."""
    if seen is not None:
        record = unit.history.filter(history_id=seen).first()  # type: ignore[attr-defined]
        if record is not None:
            return record.instance  # type: ignore[no-any-return]
    return Unit.objects.get(pk=unit.pk)


@transaction.atomic
def update_unit(
    *,
    actor: User,
    unit: Unit,
    seen: int | None = None,
    reason: str = "",
    effective_on: date | None = None,
    **changes: Any,
) -> Unit:
    """Rename or re-describe a unit; the previous values stay in its history, a new name is also
    recorded as a dated change. `changes` are only the fields the editor changed; with `seen`
    (the history row the form was opened on), a field someone else changed since is refused
    (StaleUnit) rather than overwritten, and the other fields they changed are kept."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    unknown = set(changes) - _EDITABLE_UNIT_FIELDS
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    stored = Unit.objects.select_for_update().get(pk=unit.pk)
    if seen is not None and seen != unit_version(stored):
        opened = seen_unit(stored, seen)
        clashes = [
            field
            for field, value in changes.items()
            if getattr(stored, field) != getattr(opened, field) and getattr(stored, field) != value
        ]
        if clashes:
            raise StaleUnit(clashes)
    old_name = stored.name
    for field, value in changes.items():
        setattr(stored, field, value)
    stored.full_clean(exclude=["path", "depth", "numchild"])
    stored._history_user = actor  # type: ignore[attr-defined]
    stored.save()
    if stored.name != old_name:
        on = effective_on or timezone.localdate()
        _record(
            actor, ChangeKind.RENAME, stored, on, reason, {"name": old_name}, {"name": stored.name}
        )
    return stored


@transaction.atomic
def move_unit(
    *,
    actor: User,
    unit: Unit,
    new_parent: Unit,
    effective_on: date | None = None,
    reason: str = "",
) -> Unit:
    """Put the unit (and its subtree) under another parent. The tree has no dates: from now on,
    roll-ups count the unit under its new parent, for past periods too; the move is recorded."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    access.authorize(actor, Action.MANAGE_UNITS, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("Không thể chuyển một đơn vị vào chính nhánh của nó."))
    if not unit.is_active or not new_parent.is_active:
        raise ValidationError(_("Không thể chuyển đơn vị đã ngừng hoạt động."))
    old_parent = Unit.objects.get_parent(unit)
    on = effective_on or timezone.localdate()
    _not_after_today(on)
    Unit.objects.move(unit, new_parent, pos="last-child")  # rewrites paths in SQL, no history
    moved = Unit.objects.get(pk=unit.pk)
    moved._history_user = actor  # type: ignore[attr-defined]
    moved.save()  # so the history shows who moved it and where
    before = {"parent": old_parent.code if old_parent else ""}
    _record(actor, ChangeKind.MOVE, moved, on, reason, before, {"parent": new_parent.code})
    return moved


def _closable(actor: User, unit: Unit, on: date) -> Unit:
    """The unit, locked, if it may end the day before `on`: active, none of its sub-units
    active, begun before `on`."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_active:
        raise ValidationError(_("Đơn vị “%(name)s” đã ngừng hoạt động.") % {"name": unit.name})
    if Unit.objects.filter(
        path__startswith=unit.path, depth__gt=unit.depth, active_to=None
    ).exists():
        raise ValidationError(
            _("Đơn vị “%(name)s” còn đơn vị trực thuộc đang hoạt động.") % {"name": unit.name}
        )
    if unit.active_from is not None and unit.active_from >= on:
        raise ValidationError(
            {"effective_on": _("Ngày hiệu lực phải sau ngày đơn vị “%(name)s” bắt đầu hoạt động.")
             % {"name": unit.name}}
        )  # fmt: skip
    return unit


def _end(actor: User, unit: Unit, on: date, merged_into: Unit | None = None) -> None:
    unit.active_to, unit.merged_into = on - timedelta(days=1), merged_into
    unit._history_user = actor  # type: ignore[attr-defined]
    unit.save()


@dataclass(frozen=True)
class Closure:
    """A closed unit and what closing it ended in the apps above org (org.signals.unit_closed)."""

    unit: Unit
    effects: tuple[ClosureEffect, ...]


@transaction.atomic
def close_unit(*, actor: User, unit: Unit, active_to: date, reason: str = "") -> Closure:
    """End a dissolved unit: its last day is `active_to`. Its data and history stay; its
    accounts are disabled so nobody reports for a unit that no longer exists, and the apps
    above end what it still carried (`unit_closed`, same transaction: e.g. its open task
    assignments end on `active_to`). (A unit merged into another or split goes through
    merge_units / split_unit, which carry its accounts and tasks to the successors.)"""
    on = active_to + timedelta(days=1)
    _not_after_today(active_to, "active_to")
    unit = _closable(actor, unit, on)
    _end(actor, unit, on)
    for account in unit.accounts.filter(is_active=True):
        _save_account(actor, account, is_active=False)
    change = _record(actor, ChangeKind.CLOSE, unit, on, reason)
    responses = unit_closed.send(
        sender=Unit, unit=unit, active_to=active_to, actor=actor, reason=change.reason
    )
    return Closure(unit, effects_of(responses))


@dataclass(frozen=True)
class NewUnit:
    """A successor that does not exist yet: created by the merge or split, active from its date."""

    code: str
    name: str
    unit_type: str
    parent: Unit


def _successor(actor: User, given: Unit | NewUnit, on: date) -> Unit:
    if isinstance(given, NewUnit):
        return _add_unit(
            actor, given.parent, given.code, given.name, given.unit_type, active_from=on
        )
    access.authorize(actor, Action.MANAGE_UNITS, given)
    if not given.is_active or (given.active_from is not None and given.active_from > on):
        raise ValidationError(
            _("Đơn vị nhận “%(name)s” không hoạt động vào ngày hiệu lực.") % {"name": given.name}
        )
    return given


def _carry_accounts(actor: User, predecessor: Unit, successor: Unit) -> None:
    """The predecessor's active accounts now belong to the successor (their history says so);
    a viewer following the predecessor follows the successor."""
    for account in predecessor.accounts.filter(is_active=True):
        _save_account(actor, account, unit=successor)
    for viewer in User.objects.filter(scope=predecessor):
        _save_account(actor, viewer, scope=successor)


def _restructure(
    actor: User,
    kind: str,
    anchor: Unit,
    moves: list[tuple[Unit, Unit]],
    on: date,
    reason: str,
) -> UnitChange:
    change = _record(actor, kind, anchor, on, reason)
    UnitLink.objects.bulk_create(
        UnitLink(change=change, predecessor=p, successor=s) for p, s in moves
    )
    units_restructured.send(
        sender=UnitChange, change=change, moves=tuple(moves), on=on, actor=actor,
        reason=change.reason,
    )  # fmt: skip
    return change


def _check_dated(on: date, reason: str) -> None:
    _not_after_today(on)
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do hoặc căn cứ (ví dụ số nghị quyết).")})


@transaction.atomic
def merge_units(
    *,
    actor: User,
    predecessors: Sequence[Unit],
    successor: Unit | NewUnit,
    on: date,
    reason: str,
) -> UnitChange:
    """Merge N units into one from `on`: each predecessor ends the day before (merged into the
    successor), its accounts carried to the successor; a new successor is created active from
    `on`, an existing one (not among the predecessors) absorbs them. Figures and statuses dated
    before `on` stay with the predecessors and roll up as they did; from `on`, the successor
    reports. Sends `units_restructured` in the same transaction."""
    _check_dated(on, reason)
    if not predecessors:
        raise ValidationError({"predecessors": _("Chọn các đơn vị được sáp nhập.")})
    if isinstance(successor, Unit) and successor.pk in {p.pk for p in predecessors}:
        raise ValidationError({"successor": _("Đơn vị nhận phải khác các đơn vị được sáp nhập.")})
    closing = [_closable(actor, unit, on) for unit in {p.pk: p for p in predecessors}.values()]
    target = _successor(actor, successor, on)
    for unit in closing:
        _end(actor, unit, on, merged_into=target)
        _carry_accounts(actor, unit, target)
    return _restructure(
        actor, ChangeKind.MERGE, target, [(unit, target) for unit in closing], on, reason
    )


@transaction.atomic
def split_unit(
    *,
    actor: User,
    predecessor: Unit,
    successors: Sequence[Unit | NewUnit],
    on: date,
    reason: str,
    accounts_to: int = 0,
) -> UnitChange:
    """Split one unit into several from `on`: it ends the day before, the successors (new ones
    created active from `on`) take over; its accounts go to `successors[accounts_to]`. Sends
    `units_restructured` in the same transaction."""
    _check_dated(on, reason)
    if len(successors) < 2:
        raise ValidationError({"successors": _("Chia tách cần ít nhất hai đơn vị kế thừa.")})
    if not 0 <= accounts_to < len(successors):
        raise ValueError("accounts_to names no successor")
    ending = _closable(actor, predecessor, on)
    targets = [_successor(actor, given, on) for given in successors]
    if ending.pk in {t.pk for t in targets} or len({t.pk for t in targets}) < len(targets):
        raise ValidationError(
            {"successors": _("Các đơn vị kế thừa phải khác nhau và khác đơn vị bị chia tách.")}
        )
    _end(actor, ending, on)
    _carry_accounts(actor, ending, targets[accounts_to])
    return _restructure(actor, ChangeKind.SPLIT, ending, [(ending, t) for t in targets], on, reason)


@transaction.atomic
def delete_unit(*, actor: User, unit: Unit) -> None:
    """Only a unit created by mistake, with no children, accounts or data, can be deleted."""
    access.authorize(actor, Action.MANAGE_UNITS, unit)
    if Unit.objects.get_children_count(unit):
        raise ValidationError(_("Không thể xóa đơn vị còn đơn vị trực thuộc."))
    try:
        unit.changes.filter(kind=ChangeKind.CREATE).delete()  # back if the unit stays
        unit.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("Đơn vị đã có dữ liệu nên không thể xóa; hãy cho ngừng hoạt động.")
        ) from exc


@dataclass(frozen=True)
class UnitImportSummary:
    created: int
    unchanged: int


def import_units(
    *, actor: User, rows: Sequence[UnitRow], dry_run: bool = False
) -> UnitImportSummary:
    """Add the units of a `code,name,type,parent_code` file (org.unit_rows), all or none: every
    row is checked first and every problem named (row, column); then each new unit is created
    through `create_unit`, parents first. A unit already in the tree must be as the file says."""
    access.authorize_somewhere(actor, Action.MANAGE_UNITS)
    plan = plan_units(actor, rows)
    if plan.errors:
        raise ImportRejected(plan.errors)

    def apply(row: UnitRow) -> None:
        create_unit(
            actor=actor,
            parent=Unit.objects.get(code=row.parent_code),
            code=row.code,
            name=row.name,
            unit_type=unit_type_from_text(row.unit_type) or row.unit_type,
            reason=_("Nhập từ tệp danh sách đơn vị"),
        )

    def problems(row: UnitRow, exc: Exception) -> list[RowError]:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return [RowError(row.row, COL_CODE, " ".join(messages))]

    run_import(plan.create, checked=lambda row: [], apply=apply, problems=problems, dry_run=dry_run)
    return UnitImportSummary(created=len(plan.create), unchanged=len(plan.unchanged))


# --- saved groups of units ------------------------------------------------------------------


@transaction.atomic
def save_unit_group(
    *,
    actor: User,
    name: str,
    units: Sequence[Unit],
    description: str = "",
    group: UnitGroup | None = None,
) -> UnitGroup:
    """Create a saved group of units, or change `group`: the standing office's, province-wide
    (tasks are given to a group on the assign page). Its history, members included, records
    every save and who made it."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    if not units:
        raise ValidationError({"units": _("Chọn ít nhất một đơn vị.")})
    if group is not None:
        group = UnitGroup.objects.select_for_update().get(pk=group.pk)
    group = group or UnitGroup()
    group.name, group.description = name.strip(), description.strip()
    group.full_clean()
    group._history_user = actor  # type: ignore[attr-defined]
    members = {u.pk for u in units}
    same = group.pk is not None and members == set(group.units.values_list("pk", flat=True))
    if same:
        group.save()
        return group
    # One history row per save: the change of members writes it, with the new name too.
    group.skip_history_when_saving = True  # type: ignore[attr-defined]
    group.save()
    del group.skip_history_when_saving  # type: ignore[attr-defined]
    group.units.set(units)
    return group


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
