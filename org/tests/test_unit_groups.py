"""Saved groups of units (the standing office's, with history) and the one rule that resolves a
choice of units — a list, unit types, a subtree or a group — as of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from org import services
from org.models import Unit, UnitGroup, UnitType
from org.selection import Selection, SelectionKind
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from org.tests.test_views import client_for


def _codes(selection: Selection, day: date) -> list[str]:
    return list(selection.resolve(day).values_list("code", flat=True))


def test_a_selection_names_the_units_in_operation_on_its_date(tree: Tree) -> None:
    old = make_unit(tree.communes, "X-CU", UnitType.COMMUNE, active_to=date(2025, 6, 30))
    new = make_unit(tree.communes, "X-MOI", UnitType.COMMUNE, active_from=date(2025, 7, 1))
    group = UnitGroup.objects.create(name="Nhóm thử")
    group.units.set([old, new, tree.dept])
    types = Selection(SelectionKind.TYPE, unit_types=[UnitType.COMMUNE, UnitType.WARD])
    assert _codes(types, date(2025, 6, 30)) == ["16681", "16690", "X-CU"]
    assert _codes(types, date(2025, 7, 1)) == ["16681", "16690", "X-MOI"]
    subtree = Selection(SelectionKind.SUBTREE, root=tree.province)
    assert _codes(subtree, date(2025, 7, 1)) == ["SKHCN", "SYT", "16681", "16690", "X-MOI"]
    assert _codes(Selection(SelectionKind.GROUP, group=group), date(2025, 6, 1)) == [
        "SKHCN", "X-CU",
    ]  # fmt: skip
    listed = Selection(SelectionKind.LIST, units=[tree.other_commune, old])
    assert _codes(listed, date(2025, 7, 1)) == ["16690"]
    sight = Unit.objects.filter(path__startswith=tree.agencies.path)
    within = Selection(SelectionKind.SUBTREE, root=tree.province).resolve(date(2025, 7, 1), sight)
    assert [u.code for u in within] == ["SKHCN", "SYT"]


def test_a_group_is_saved_with_its_history(people: People, tree: Tree) -> None:
    group = services.save_unit_group(
        actor=people.standing, name=" Xã nông thôn mới ", units=[tree.commune]
    )
    services.save_unit_group(
        actor=people.standing, group=group, name=group.name,
        units=[tree.commune, tree.other_commune], description="Theo Quyết định 12",
    )  # fmt: skip
    group.refresh_from_db()
    assert (group.name, group.description) == ("Xã nông thôn mới", "Theo Quyết định 12")
    assert set(group.units.values_list("code", flat=True)) == {"16681", "16690"}
    records = list(group.history.all())
    assert {r.history_user for r in records} == {people.standing}
    assert {r.units.count() for r in records} >= {1, 2}


@pytest.mark.parametrize("who", ["reporter", "communes_admin", "province_viewer", "head"])
def test_only_the_standing_office_saves_groups(people: People, tree: Tree, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.save_unit_group(actor=getattr(people, who), name="N", units=[tree.commune])
    assert not UnitGroup.objects.exists()


def test_a_group_needs_units_and_a_free_name(people: People, tree: Tree) -> None:
    with pytest.raises(ValidationError):
        services.save_unit_group(actor=people.standing, name="N", units=[])
    services.save_unit_group(actor=people.standing, name="N", units=[tree.commune])
    with pytest.raises(ValidationError):
        services.save_unit_group(actor=people.standing, name="N", units=[tree.dept])
    assert UnitGroup.objects.count() == 1


PAGES = [
    ("standing", 200),
    ("sysadmin", 200),
    ("communes_admin", 403),
    ("province_viewer", 403),
    ("reporter", 403),
]


@pytest.mark.parametrize(("person", "status"), PAGES)
def test_group_pages_by_role(
    people: People, tree: Tree, person: str, status: int, django_assert_max_num_queries: Any
) -> None:
    client = client_for(getattr(people, person))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("org:unit_group_list")).status_code == status
    assert client.get(reverse("org:unit_group_create")).status_code == status
    form = {"name": "Phường trung tâm", "units": [tree.commune.pk, tree.other_commune.pk]}
    response = client.post(reverse("org:unit_group_create"), form)
    if status == 200:
        assert response.status_code == 302
        group = UnitGroup.objects.get()
        url = reverse("org:unit_group_edit", args=[group.pk])
        response = client.post(url, {"name": "Phường trung tâm", "units": [tree.commune.pk]})
        assert response.status_code == 302
        assert list(group.units.values_list("code", flat=True)) == ["16681"]
        with django_assert_max_num_queries(15):
            page = client.get(url).content.decode()
        assert page.count("(2 đơn vị)") == 1 and "(1 đơn vị)" in page  # each save, its members
        listing = client.get(reverse("org:unit_group_list")).content.decode()
        assert "Phường trung tâm" in listing
    else:
        assert response.status_code == status
        assert not UnitGroup.objects.exists()
