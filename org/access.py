"""The one authorization module: "may this user do X on unit U", and what each user can see.

Every view, service, export and API asks here; nothing else decides access. A unit outside what a
user may see is answered like a missing one (404); a visible unit the user may not act on is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from org.models import Role, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase

    from org.models import User


class Action(StrEnum):
    VIEW = "view"  # read the unit and its data
    REPORT = "report"  # enter the unit's data: task updates, figures, reports
    APPROVE = "approve"  # approve the unit's submissions
    MANAGE_ACCOUNTS = "manage_accounts"  # create, disable, reset accounts of the unit
    MANAGE_UNITS = "manage_units"  # change the tree: create, rename, move, merge units
    VIEW_HISTORY = "view_history"  # read who changed the unit and its accounts
    MANAGE_PROGRAMME = "manage_programme"  # set up tasks and periods; approve task removals


ACTION_LABELS = {
    Action.VIEW: _("Xem thông tin và số liệu của đơn vị"),
    Action.REPORT: _("Cập nhật nhiệm vụ, số liệu và báo cáo của đơn vị"),
    Action.APPROVE: _("Phê duyệt báo cáo của đơn vị"),
    Action.MANAGE_ACCOUNTS: _("Tạo, khóa và cấp lại mật khẩu tài khoản"),
    Action.MANAGE_UNITS: _("Sửa cây đơn vị: thêm, đổi tên, sáp nhập"),
    Action.VIEW_HISTORY: _("Xem lịch sử thay đổi đơn vị và tài khoản"),
    Action.MANAGE_PROGRAMME: _("Giao nhiệm vụ, duyệt đưa nhiệm vụ ra khỏi danh mục"),
}


class Reach(StrEnum):
    ALL = "all"  # the whole tree
    SUBTREE = "subtree"  # the account's unit and everything below it
    SCOPE = "scope"  # the subtree of the account's scope unit (viewers)
    OWN = "own"  # the account's unit only


_RULES: dict[str, tuple[Reach, frozenset[Action]]] = {
    Role.SYSADMIN: (Reach.ALL, frozenset(Action)),
    Role.STANDING_OFFICE: (Reach.ALL, frozenset(Action)),
    Role.UNIT_ADMIN: (
        Reach.SUBTREE,
        frozenset({Action.VIEW, Action.MANAGE_ACCOUNTS, Action.VIEW_HISTORY}),
    ),
    Role.REPORTER: (Reach.OWN, frozenset({Action.VIEW, Action.REPORT})),
    Role.UNIT_HEAD: (Reach.OWN, frozenset({Action.VIEW, Action.APPROVE})),
    Role.VIEWER: (Reach.SCOPE, frozenset({Action.VIEW})),
}

# Which roles an account holder may hand out; nobody but a system administrator creates one.
_ASSIGNABLE: dict[str, tuple[str, ...]] = {
    Role.SYSADMIN: tuple(Role.values),
    Role.STANDING_OFFICE: tuple(r for r in Role.values if r != Role.SYSADMIN),
    Role.UNIT_ADMIN: (Role.UNIT_ADMIN, Role.REPORTER, Role.UNIT_HEAD, Role.VIEWER),
}


def _active(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def root_of(user: User) -> Unit | None:
    """The top of the subtree the user reaches; None means the whole tree."""
    reach = _RULES[user.role][0]
    if reach is Reach.ALL:
        return None
    if reach is Reach.SCOPE and user.scope_id:
        return user.scope
    return user.unit


def units_visible_to(user: User | AnonymousUser) -> QuerySet[Unit]:
    if not _active(user):
        return Unit.objects.none()
    assert not user.is_anonymous
    reach = _RULES[user.role][0]
    root = root_of(user)
    if root is None:
        return Unit.objects.all()
    if reach is Reach.OWN:
        return Unit.objects.filter(pk=root.pk)
    return Unit.objects.filter(path__startswith=root.path)


def _within(user: User, unit: Unit) -> bool:
    reach = _RULES[user.role][0]
    root = root_of(user)
    if root is None:
        return True
    if reach is Reach.OWN:
        return unit.pk == root.pk
    return unit.path.startswith(root.path)


def can(user: User | AnonymousUser, action: Action, unit: Unit) -> bool:
    if not _active(user):
        return False
    assert not user.is_anonymous
    return action in _RULES[user.role][1] and _within(user, unit)


def allowed_actions(user: User | AnonymousUser, unit: Unit) -> set[Action]:
    return {action for action in Action if can(user, action, unit)}


def authorize(user: User | AnonymousUser, action: Action, unit: Unit) -> None:
    """Raise 404 when the unit is out of the user's sight, 403 when seen but not allowed."""
    if not can(user, Action.VIEW, unit):
        raise Http404
    if not can(user, action, unit):
        raise PermissionDenied


def can_speak_for(user: User | AnonymousUser, unit: Unit) -> bool:
    """Whether the user may act in the unit's name on work it shares with others (a task it
    leads or coordinates: remind, comment, record its part): the unit's reporters and heads,
    and those who may report for it from above (the standing office). Viewers and account
    administrators only read."""
    return can(user, Action.REPORT, unit) or can(user, Action.APPROVE, unit)


def authorize_speak_for(user: User | AnonymousUser, unit: Unit) -> None:
    """404 when the unit is out of sight, 403 unless the user may speak for it (see above)."""
    if not can(user, Action.VIEW, unit):
        raise Http404
    if not can_speak_for(user, unit):
        raise PermissionDenied


def can_own(user: User | AnonymousUser, action: Action, unit: Unit) -> bool:
    """`can`, on the user's own unit only: a unit's own steps (writing its report, the figures in
    it, submitting, approving) are taken by its own people, never by someone who may act on the
    unit from above (the standing office reads, receives and returns)."""
    return can(user, action, unit) and user.unit_id == unit.pk  # type: ignore[union-attr]


def authorize_own(user: User | AnonymousUser, action: Action, unit: Unit) -> None:
    """`authorize`, then 403 unless the unit is the user's own (see `can_own`)."""
    authorize(user, action, unit)
    if not can_own(user, action, unit):
        raise PermissionDenied


def authorize_somewhere(user: User | AnonymousUser, action: Action) -> None:
    """403 unless the role grants `action` on some unit: the door of a page that lists or takes
    work for many units (accounts, a figures import), each of which is then decided by unit."""
    if not has_anywhere(user, action):
        raise PermissionDenied


def has_anywhere(user: User | AnonymousUser, action: Action) -> bool:
    """Whether the role grants the action on some unit (for navigation, not for decisions)."""
    return _active(user) and action in _RULES[user.role][1]  # type: ignore[union-attr]


def can_everywhere(user: User | AnonymousUser, action: Action) -> bool:
    """Whether the user may do `action` on every unit of the province: the decision for
    province-wide work that belongs to no one unit (setting up the programme, periods, sources)."""
    if not _active(user):
        return False
    reach, actions = _RULES[user.role]  # type: ignore[union-attr]
    return reach is Reach.ALL and action in actions


def authorize_everywhere(user: User | AnonymousUser, action: Action) -> None:
    """Raise 403 unless the user may do `action` province-wide (see `can_everywhere`)."""
    if not can_everywhere(user, action):
        raise PermissionDenied


def request_user(request: HttpRequest) -> User:
    """The signed-in account behind a request that `login_required` has let through."""
    user = request.user
    if not _active(user):
        raise PermissionDenied
    return user  # type: ignore[return-value]


P = ParamSpec("P")
R = TypeVar("R", bound="HttpResponseBase")  # a page, a file, a redirect


def everywhere_required(
    action: Action,
) -> Callable[[Callable[Concatenate[HttpRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]]:
    """View decorator: sign-in required, then `authorize_everywhere(user, action)`."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            authorize_everywhere(request_user(request), action)
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate


def assignable_roles_for(role: str) -> tuple[str, ...]:
    return _ASSIGNABLE.get(role, ())


def assignable_roles(user: User | AnonymousUser) -> tuple[str, ...]:
    if not _active(user):
        return ()
    return assignable_roles_for(user.role)  # type: ignore[union-attr]


def units_where(user: User | AnonymousUser, action: Action) -> QuerySet[Unit]:
    """Units on which the user may perform `action` (a role's actions share its reach)."""
    if not has_anywhere(user, action):
        return Unit.objects.none()
    return units_visible_to(user)


def accounts_visible_to(user: User | AnonymousUser) -> QuerySet[User]:
    """Accounts the user may manage: those of units where it holds MANAGE_ACCOUNTS."""
    from org.models import User as UserModel

    return UserModel.objects.filter(unit__in=units_where(user, Action.MANAGE_ACCOUNTS))
