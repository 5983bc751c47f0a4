"""The pages that change the unit tree: works for the standing office / outsider 404 / read-only
403, refused writes change nothing, bounded queries; and two editors of one unit (issue 18,
finding 4) — the later save keeps the earlier one's change."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from org.models import ChangeKind, Role, Unit, UnitChange, UnitType, User
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from org.tests.test_views import client_for

REASON = "Nghị quyết 1678/NQ-UBTVQH15"
OTHERS = ["reporter", "head", "communes_admin", "province_viewer", "dept_reporter"]


def _tree_state() -> list[tuple]:
    return list(
        Unit.objects.order_by("code").values_list(
            "code", "name", "path", "active_to", "merged_into"
        )
    ) + list(User.objects.order_by("username").values_list("username", "unit__code", "is_active"))


def _writes(tree: Tree) -> list[tuple[str, dict]]:
    code = tree.other_commune.code
    return [
        (reverse("org:unit_create"), {"parent": tree.communes.pk, "code": "N1", "name": "Mới",
                                      "unit_type": UnitType.COMMUNE}),
        (reverse("org:unit_edit", args=[code]), {"name": "Đổi", "unit_type": UnitType.WARD}),
        (reverse("org:unit_move", args=[code]), {"new_parent": tree.agencies.pk}),
        (reverse("org:unit_close", args=[code]), {"active_to": "30/06/2025", "reason": REASON}),
        (reverse("org:unit_merge"), {"predecessors": code, "successor_code": tree.commune.code,
                                     "effective_on": "01/07/2025", "reason": REASON}),
        (reverse("org:unit_split", args=[code]), _split_post()),
    ]  # fmt: skip


def _split_post(**more: str) -> dict[str, str]:
    return {
        "effective_on": "01/07/2025", "reason": REASON,
        "s-TOTAL_FORMS": "3", "s-INITIAL_FORMS": "0", "s-MIN_NUM_FORMS": "2",
        "s-MAX_NUM_FORMS": "20", "s-0-code": "S1", "s-0-name": "Phường Bắc",
        "s-1-code": "S2", "s-1-name": "Phường Nam",
    } | more  # fmt: skip


@pytest.mark.parametrize("person", OTHERS)
def test_others_cannot_change_the_tree(people: People, tree: Tree, person: str) -> None:
    """Read-only on a unit they see: 403; on one they do not see: 404; nothing changes."""
    client = client_for(getattr(people, person))
    before = _tree_state()
    sees_it = person in ("communes_admin", "province_viewer") or person == "other_reporter"
    for path, data in _writes(tree):
        status = client.post(path, data).status_code
        unit_page = "/units/16690/" in path
        assert status == (403 if sees_it or not unit_page else 404), (path, status)
    for name in ("unit_create", "unit_merge"):
        assert client.get(reverse(f"org:{name}")).status_code == 403
    assert _tree_state() == before
    assert not UnitChange.objects.exists()


def test_outsider_gets_404_on_unit_pages(people: People, tree: Tree) -> None:
    client = client_for(people.reporter)  # sees its own commune only
    for name in ("unit_move", "unit_close", "unit_split", "unit_edit"):
        assert client.get(reverse(f"org:{name}", args=["16690"])).status_code == 404
        assert client.get(reverse(f"org:{name}", args=["16681"])).status_code == 403
    assert (
        client_for(people.standing).get(reverse("org:unit_move", args=["NONE"])).status_code == 404
    )


@pytest.mark.parametrize("person", ["standing", "sysadmin"])
def test_the_office_changes_the_tree_by_pages(
    people: People, tree: Tree, person: str, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(people, person))
    for name, args in [("unit_create", []), ("unit_merge", []), ("unit_move", ["16690"]),
                       ("unit_close", ["16690"]), ("unit_split", ["16690"]),
                       ("unit_edit", ["16690"])]:  # fmt: skip
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"org:{name}", args=args)).status_code == 200, name
    create = {"parent": tree.communes.pk, "code": "X9", "name": "Xã Chín",
              "unit_type": UnitType.COMMUNE, "active_from": "01/07/2025"}  # fmt: skip
    assert client.post(reverse("org:unit_create"), create).status_code == 302
    merge = {"predecessors": "16690 X9", "successor_code": "XH", "successor_name": "Xã Hợp",
             "successor_type": UnitType.COMMUNE, "successor_parent": tree.communes.pk,
             "effective_on": "02/07/2025", "reason": REASON}  # fmt: skip
    response = client.post(reverse("org:unit_merge"), merge)
    assert response.status_code == 302 and response.url == reverse("org:unit_detail", args=["XH"])
    assert User.objects.get(username="bc2").unit.code == "XH"
    with django_assert_max_num_queries(16):
        page = client.get(reverse("org:unit_detail", args=["XH"])).content.decode()
    assert 'data-testid="unit-predecessors"' in page and "Đơn vị 16690" in page
    assert REASON in page and "Sáp nhập" in page
    old = client.get(reverse("org:unit_detail", args=["16690"])).content.decode()
    assert "Hoạt động đến hết ngày 01/07/2025" in old and "Xã Hợp" in old
    split = _split_post(effective_on="03/07/2025")
    assert client.post(reverse("org:unit_split", args=["XH"]), split).status_code == 302
    assert Unit.objects.get(code="S1").active_from == date(2025, 7, 3)
    assert (
        client.post(
            reverse("org:unit_move", args=["S1"]), {"new_parent": tree.agencies.pk}
        ).status_code
        == 302
    )
    close = {"active_to": "30/09/2025", "reason": "Giải thể"}
    assert client.post(reverse("org:unit_close", args=["S1"]), close).status_code == 302
    kinds = list(UnitChange.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        ChangeKind.CREATE,
        ChangeKind.MERGE,
        ChangeKind.SPLIT,
        ChangeKind.MOVE,
        ChangeKind.CLOSE,
    ]


def test_a_wrong_merge_shows_its_messages_and_changes_nothing(people: People, tree: Tree) -> None:
    client = client_for(people.standing)
    before = _tree_state()
    bad = {"predecessors": "16690 KHONG", "successor_code": "XH", "effective_on": "01/07/2025",
           "reason": ""}  # fmt: skip
    page = client.post(reverse("org:unit_merge"), bad).content.decode()
    assert "Không có đơn vị mã: KHONG." in page and "Cần cho đơn vị mới." in page
    future = {"predecessors": "16690", "successor_code": "16681", "effective_on": "01/01/2026",
              "reason": REASON}  # fmt: skip
    page = client.post(reverse("org:unit_merge"), future).content.decode()
    assert "Ngày hiệu lực không được sau hôm nay" in page
    assert _tree_state() == before


# --- two editors of one unit (issue 18, finding 4) ---------------------------------------------


def _edit_form(client, code: str) -> dict[str, str]:
    """What the edit page sends back unchanged: every field as the page filled it."""
    response = client.get(reverse("org:unit_edit", args=[code]))
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        if field.widget_type == "checkbox":
            if value:
                data[field.name] = "on"
            continue
        data[field.name] = "" if value is None else str(value)
    return data


def test_a_later_save_keeps_an_earlier_change_to_another_field(people: People, tree: Tree) -> None:
    other = UserFactory(username="tt2", unit=tree.province, role=Role.STANDING_OFFICE)
    a, b = client_for(people.standing), client_for(other)
    form_b = _edit_form(b, "16681")  # B opens first
    form_a = _edit_form(a, "16681")
    url = reverse("org:unit_edit", args=["16681"])
    assert a.post(url, form_a | {"head_name": "Nguyễn Văn A"}).status_code == 302
    assert b.post(url, form_b | {"cluster": "Huyện cũ"}).status_code == 302
    unit = Unit.objects.get(code="16681")
    assert (unit.head_name, unit.cluster) == ("Nguyễn Văn A", "Huyện cũ")


def test_a_stale_form_changing_the_same_field_is_refused_and_kept(
    people: People, tree: Tree
) -> None:
    other = UserFactory(username="tt2", unit=tree.province, role=Role.STANDING_OFFICE)
    a, b = client_for(people.standing), client_for(other)
    form_b = _edit_form(b, "16681")
    form_a = _edit_form(a, "16681")
    url = reverse("org:unit_edit", args=["16681"])
    assert a.post(url, form_a | {"head_name": "Nguyễn Văn A"}).status_code == 302
    refused = b.post(url, form_b | {"head_name": "Trần Thị B"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "người khác đã lưu thay đổi ở: người đứng đầu" in page
    assert 'value="Trần Thị B"' in page  # what B typed is still there
    assert Unit.objects.get(code="16681").head_name == "Nguyễn Văn A"
    again = refused.context["form"].data.dict()  # saving again is B's deliberate choice
    assert b.post(url, again).status_code == 302
    assert Unit.objects.get(code="16681").head_name == "Trần Thị B"


def test_a_rename_on_the_edit_page_is_a_dated_change(people: People, tree: Tree) -> None:
    client = client_for(people.standing)
    data = _edit_form(client, "16681") | {"name": "Phường Vinh Mới", "effective_on": "01/09/2025",
                                          "reason": REASON}  # fmt: skip
    assert client.post(reverse("org:unit_edit", args=["16681"]), data).status_code == 302
    change = UnitChange.objects.get(kind=ChangeKind.RENAME)
    assert (change.effective_on, change.before, change.after, change.reason) == (
        date(2025, 9, 1), {"name": "Đơn vị 16681"}, {"name": "Phường Vinh Mới"}, REASON
    )  # fmt: skip


def test_a_closed_unit_offers_no_changes(people: People, tree: Tree) -> None:
    closed = make_unit(tree.communes, "OLD", active_to=date(2025, 1, 1))
    page = client_for(people.standing).get(reverse("org:unit_detail", args=[closed.code]))
    assert reverse("org:unit_move", args=["OLD"]) not in page.content.decode()
