from __future__ import annotations

from typing import Any

import factory

from org.models import Role, Unit, UnitType, User


def make_unit(
    parent: Unit | None, code: str, unit_type: str = UnitType.COMMUNE, **fields: Any
) -> Unit:
    """Tree nodes are created through treebeard, so factories cannot build them field by field."""
    values = {"code": code, "name": fields.pop("name", f"Đơn vị {code}"), "unit_type": unit_type}
    if parent is None:
        return Unit.objects.add_root({**values, **fields})  # type: ignore[no-any-return]
    return Unit.objects.add_child(parent, {**values, **fields})  # type: ignore[no-any-return]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    role = Role.REPORTER
    password = factory.django.Password("nq57-test-pass")
