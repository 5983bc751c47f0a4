"""Unit and account services: permission inside, history kept, nothing changed on denial."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from nq57.xlsx import ImportRejected
from org import services
from org.account_rows import AccountRow
from org.models import Role, Unit, UnitType, User
from org.tests.conftest import People, Tree


def row(unit: str, username: str, role: str = Role.REPORTER, email: str = "") -> AccountRow:
    return AccountRow(1, unit, "Nguyễn Văn A", email, "", role, username)


def test_unit_admin_creates_accounts_in_subtree_with_one_time_password(
    people: People, tree: Tree, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = services.create_accounts(
            actor=people.communes_admin, rows=[row("16690", "moi", email="moi@example.vn")]
        )
    user = User.objects.get(username="moi")
    assert user.unit == tree.other_commune and user.must_change_password
    assert user.check_password(created[0].password)
    assert user.history.first().history_user == people.communes_admin
    assert [m.to for m in mail.outbox] == [["moi@example.vn"]]
    assert "/password/reset/" in mail.outbox[0].body
    assert created[0].password not in mail.outbox[0].body


@pytest.mark.parametrize("unit", ["SKHCN", "P"])
def test_unit_admin_cannot_create_outside_subtree(people: People, unit: str) -> None:
    with pytest.raises(ImportRejected) as error:
        services.create_accounts(actor=people.communes_admin, rows=[row(unit, "ngoai")])
    assert error.value.errors[0].column == "Mã đơn vị"
    assert not User.objects.filter(username="ngoai").exists()
    assert mail.outbox == []


def test_unit_admin_cannot_hand_out_standing_office(people: People) -> None:
    with pytest.raises(ImportRejected):
        services.create_accounts(
            actor=people.communes_admin, rows=[row("16681", "x", Role.STANDING_OFFICE)]
        )
    assert not User.objects.filter(username="x").exists()


@pytest.mark.parametrize("actor", ["reporter", "head", "province_viewer"])
def test_non_administrators_cannot_create_accounts(people: People, actor: str) -> None:
    with pytest.raises(ImportRejected):
        services.create_accounts(actor=getattr(people, actor), rows=[row("16681", "x")])
    assert not User.objects.filter(username="x").exists()


def test_disable_and_reset_inside_subtree(people: People) -> None:
    target = people.other_reporter
    services.set_account_active(actor=people.communes_admin, account=target, active=False)
    target.refresh_from_db()
    assert not target.is_active
    password = services.reset_password(actor=people.communes_admin, account=target)
    target.refresh_from_db()
    assert target.check_password(password) and target.must_change_password


@pytest.mark.parametrize(
    ("actor", "error"),
    [("communes_admin", Http404), ("reporter", Http404), ("province_viewer", PermissionDenied)],
)
def test_denied_account_changes_leave_account_untouched(
    people: People, actor: str, error: type[Exception]
) -> None:
    target = people.dept_reporter
    before = target.password
    with pytest.raises(error):
        services.set_account_active(actor=getattr(people, actor), account=target, active=False)
    with pytest.raises(error):
        services.reset_password(actor=getattr(people, actor), account=target)
    target.refresh_from_db()
    assert target.is_active and target.password == before
    assert target.history.count() == 1


def test_admin_cannot_disable_itself(people: People) -> None:
    with pytest.raises(PermissionDenied):
        services.set_account_active(
            actor=people.communes_admin, account=people.communes_admin, active=False
        )


def test_rename_keeps_history_with_actor(people: People, tree: Tree) -> None:
    services.update_unit(actor=people.standing, unit=tree.commune, name="Phường Mới")
    records = list(Unit.objects.get(pk=tree.commune.pk).history.all())
    assert [r.name for r in records][:2] == ["Phường Mới", "Đơn vị 16681"]
    assert records[0].history_user == people.standing


@pytest.mark.parametrize("actor", ["reporter", "communes_admin", "province_viewer"])
def test_only_structure_managers_change_units(people: People, tree: Tree, actor: str) -> None:
    with pytest.raises((PermissionDenied, Http404)):
        services.update_unit(actor=getattr(people, actor), unit=tree.commune, name="X")
    assert Unit.objects.get(pk=tree.commune.pk).name == "Đơn vị 16681"


def test_create_and_move_unit(people: People, tree: Tree) -> None:
    unit = services.create_unit(
        actor=people.standing, parent=tree.communes, code="99999", name="Xã Thử", unit_type="xa"
    )
    assert Unit.objects.get_parent(unit) == tree.communes
    moved = services.move_unit(actor=people.standing, unit=unit, new_parent=tree.agencies)
    assert Unit.objects.get_parent(moved) == tree.agencies
    with pytest.raises(ValidationError):
        services.move_unit(actor=people.standing, unit=tree.communes, new_parent=tree.commune)


def test_close_keeps_data_and_disables_accounts(people: People, tree: Tree) -> None:
    services.close_unit(
        actor=people.standing,
        unit=tree.other_commune,
        active_to=date(2025, 7, 1),
        reason="Giải thể",
    )
    closed = Unit.objects.get(pk=tree.other_commune.pk)
    assert closed.active_to == date(2025, 7, 1) and not closed.is_active and not closed.merged_into
    people.other_reporter.refresh_from_db()
    assert not people.other_reporter.is_active


def test_unit_with_data_is_never_deleted(people: People, tree: Tree) -> None:
    with pytest.raises(ValidationError):
        services.delete_unit(actor=people.sysadmin, unit=tree.commune)  # it has accounts
    with pytest.raises(ValidationError):
        services.delete_unit(actor=people.sysadmin, unit=tree.communes)  # it has children
    assert Unit.objects.filter(pk=tree.commune.pk).exists()
    empty = services.create_unit(
        actor=people.sysadmin,
        parent=tree.communes,
        code="TMP",
        name="Nhầm",
        unit_type=UnitType.COMMUNE,
    )
    services.delete_unit(actor=people.sysadmin, unit=empty)
    assert not Unit.objects.filter(code="TMP").exists()


def test_password_change_lifts_forced_change(people: People) -> None:
    user = people.reporter
    user.must_change_password = True
    user.save()
    services.change_own_password(user=user, new_password="mat-khau-moi-2025")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("mat-khau-moi-2025")


def test_viewer_gets_a_scope_inside_the_creators_reach(people: People, tree: Tree) -> None:
    viewer = AccountRow(1, "16681", "Thanh Tra", "", "", Role.VIEWER, "tt.xa", "K-XA")
    services.create_accounts(actor=people.communes_admin, rows=[viewer])
    assert User.objects.get(username="tt.xa").scope == tree.communes
    outside = AccountRow(1, "16681", "Thanh Tra", "", "", Role.VIEWER, "tt.p", "P")
    wrong_role = AccountRow(2, "16681", "Cán Bộ", "", "", Role.REPORTER, "bc.p", "K-XA")
    with pytest.raises(ImportRejected) as rejected:
        services.create_accounts(actor=people.communes_admin, rows=[outside, wrong_role])
    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (1, "Phạm vi theo dõi"),
        (2, "Phạm vi theo dõi"),
    ]


def test_no_takeover_of_peers_or_wider_viewers(people: People, tree: Tree) -> None:
    peer = User.objects.create(
        username="qtxa2", full_name="Quản trị 2", unit=tree.communes, role=Role.UNIT_ADMIN
    )
    wide_viewer = User.objects.create(
        username="ldx2",
        full_name="Xem toàn tỉnh",
        unit=tree.commune,
        role=Role.VIEWER,
        scope=tree.province,
    )
    other_standing = User.objects.create(
        username="tt2", full_name="Thường trực 2", unit=tree.province, role=Role.STANDING_OFFICE
    )
    for actor, target in [
        (people.communes_admin, peer),
        (people.communes_admin, wide_viewer),
        (people.standing, other_standing),
    ]:
        with pytest.raises(PermissionDenied):
            services.reset_password(actor=actor, account=target)
    assert not User.objects.filter(must_change_password=True).exists()


def test_closed_unit_gets_no_accounts_back(people: People, tree: Tree) -> None:
    services.close_unit(actor=people.standing, unit=tree.other_commune, active_to=date(2025, 7, 1))
    with pytest.raises(ValidationError):
        services.set_account_active(
            actor=people.communes_admin, account=people.other_reporter, active=True
        )
    with pytest.raises(ImportRejected):
        services.create_accounts(actor=people.communes_admin, rows=[row("16690", "moi2")])
    assert not User.objects.get(pk=people.other_reporter.pk).is_active


def test_field_rules_are_row_errors(people: People) -> None:
    long_name = AccountRow(1, "16681", "A" * 200, "", "0" * 30, Role.REPORTER, "a b/c?")
    with pytest.raises(ImportRejected) as rejected:
        services.create_accounts(actor=people.communes_admin, rows=[long_name])
    columns = {e.column for e in rejected.value.errors}
    assert columns == {"Họ và tên", "Điện thoại", "Tên đăng nhập"}
