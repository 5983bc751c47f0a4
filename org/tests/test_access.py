"""The authorization module: role × unit × action, grants and denials."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from org import access
from org.access import Action
from org.models import Role
from org.tests.conftest import People, Tree

V, R, A, MA, MU, H = (
    Action.VIEW,
    Action.REPORT,
    Action.APPROVE,
    Action.MANAGE_ACCOUNTS,
    Action.MANAGE_UNITS,
    Action.VIEW_HISTORY,
)
ALL = set(Action)

# person -> unit -> the exact set of actions allowed there
EXPECTED: dict[str, dict[str, set[Action]]] = {
    "sysadmin": dict.fromkeys(("province", "dept", "commune", "other_commune"), ALL),
    "standing": dict.fromkeys(("province", "dept", "commune", "other_commune"), ALL),
    "province_viewer": {u: {V} for u in ("province", "dept", "commune", "other_commune")},
    "communes_admin": {
        "province": set(),
        "dept": set(),
        "communes": {V, MA, H},
        "commune": {V, MA, H},
        "other_commune": {V, MA, H},
    },
    "reporter": {"province": set(), "dept": set(), "commune": {V, R}, "other_commune": set()},
    "head": {"province": set(), "dept": set(), "commune": {V, A}, "other_commune": set()},
    "dept_reporter": {"dept": {V, R}, "other_dept": set(), "commune": set()},
}
CASES = [(p, u, acts) for p, units in EXPECTED.items() for u, acts in units.items()]


@pytest.mark.parametrize(("person", "unit", "allowed"), CASES)
def test_matrix(people: People, tree: Tree, person: str, unit: str, allowed: set[Action]) -> None:
    user, target = getattr(people, person), getattr(tree, unit)
    assert access.allowed_actions(user, target) == allowed


def test_visible_units_follow_reach(people: People, tree: Tree) -> None:
    assert set(access.units_visible_to(people.reporter)) == {tree.commune}
    assert set(access.units_visible_to(people.communes_admin)) == {
        tree.communes,
        tree.commune,
        tree.other_commune,
    }
    assert access.units_visible_to(people.standing).count() == 7


def test_viewer_scope_narrows_to_given_subtree(people: People, tree: Tree) -> None:
    viewer = people.province_viewer
    viewer.scope = tree.agencies
    assert set(access.units_visible_to(viewer)) == {tree.agencies, tree.dept, tree.other_dept}
    assert not access.can(viewer, Action.VIEW, tree.commune)


def test_disabled_account_can_do_nothing(people: People, tree: Tree) -> None:
    people.standing.is_active = False
    assert access.allowed_actions(people.standing, tree.commune) == set()
    assert not access.units_visible_to(people.standing).exists()


def test_authorize_hides_outsiders_and_forbids_readers(people: People, tree: Tree) -> None:
    with pytest.raises(Http404):
        access.authorize(people.reporter, Action.VIEW, tree.other_commune)
    with pytest.raises(PermissionDenied):
        access.authorize(people.province_viewer, Action.REPORT, tree.commune)
    access.authorize(people.reporter, Action.REPORT, tree.commune)


def test_only_sysadmin_hands_out_sysadmin() -> None:
    assert Role.SYSADMIN not in access.assignable_roles_for(Role.STANDING_OFFICE)
    assert Role.STANDING_OFFICE not in access.assignable_roles_for(Role.UNIT_ADMIN)
    assert access.assignable_roles_for(Role.REPORTER) == ()


@pytest.mark.parametrize(("person", "unit", "allowed"), CASES)
def test_own_unit_steps_are_the_matrix_on_ones_own_unit(
    people: People, tree: Tree, person: str, unit: str, allowed: set[Action]
) -> None:
    """`can_own` is `can` narrowed to the user's own unit: the standing office, which may do
    everything everywhere, takes no unit's own steps but its own."""
    user, target = getattr(people, person), getattr(tree, unit)
    own = allowed if user.unit_id == target.pk else set()
    assert {a for a in Action if access.can_own(user, a, target)} == own


def test_authorize_own_hides_outsiders_and_forbids_those_above(people: People, tree: Tree) -> None:
    access.authorize_own(people.reporter, Action.REPORT, tree.commune)
    with pytest.raises(PermissionDenied):  # may report on the commune, but it is not its own
        access.authorize_own(people.standing, Action.REPORT, tree.commune)
    with pytest.raises(PermissionDenied):
        access.authorize_own(people.head, Action.REPORT, tree.commune)
    with pytest.raises(Http404):
        access.authorize_own(people.reporter, Action.REPORT, tree.other_commune)


def test_authorize_somewhere_is_the_door_of_many_units_pages(people: People) -> None:
    access.authorize_somewhere(people.communes_admin, Action.MANAGE_ACCOUNTS)
    access.authorize_somewhere(people.reporter, Action.REPORT)
    access.authorize_somewhere(people.standing, Action.REPORT)
    with pytest.raises(PermissionDenied):
        access.authorize_somewhere(people.province_viewer, Action.REPORT)
    with pytest.raises(PermissionDenied):
        access.authorize_somewhere(people.reporter, Action.MANAGE_ACCOUNTS)


EVERYONE = ("sysadmin", "standing", "province_viewer", "communes_admin", "reporter", "head",
            "other_reporter", "dept_reporter")  # fmt: skip


@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("action", list(Action))
def test_everywhere_is_a_whole_tree_right(people: People, person: str, action: Action) -> None:
    """Province-wide work is for the roles that reach the whole tree and hold the action; every
    other account is refused (403), whatever it may do on its own units."""
    user = getattr(people, person)
    allowed = person in ("sysadmin", "standing")
    assert access.can_everywhere(user, action) is allowed
    if allowed:
        access.authorize_everywhere(user, action)
    else:
        with pytest.raises(PermissionDenied):
            access.authorize_everywhere(user, action)


@pytest.mark.parametrize("person", EVERYONE)
def test_everywhere_required_guards_a_view(people: People, person: str) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    @access.everywhere_required(Action.MANAGE_PROGRAMME)
    def view(request: object) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.user = getattr(people, person)
    if person in ("sysadmin", "standing"):
        assert view(request).status_code == 200
    else:
        with pytest.raises(PermissionDenied):
            view(request)


def test_everywhere_required_sends_a_visitor_to_sign_in() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    @access.everywhere_required(Action.MANAGE_PROGRAMME)
    def view(request: object) -> HttpResponse:
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
