from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from org.models import Role, User
from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from org.tests.factories import UserFactory
from products import services
from products.models import FundSource, Product
from products.services import MilestoneInput
from tasks.models import Area


@dataclass
class Cast:
    people: People
    head_b: User  # head of 16690
    dept_head: User  # head of SKHCN
    area: Area


@pytest.fixture
def cast(people: People, tree: Tree) -> Cast:  # noqa: F811  (shared fixtures)
    services.open_window(
        actor=people.standing, year=2026, opens_on=date(2025, 10, 1), closes_on=date(2026, 1, 15)
    )
    return Cast(
        people=people,
        head_b=UserFactory(username="ldx2", unit=tree.other_commune, role=Role.UNIT_HEAD),
        dept_head=UserFactory(username="lds", unit=tree.dept, role=Role.UNIT_HEAD),
        area=Area.objects.create(code="NTS", name="Nền tảng số"),
    )


def register(actor: User, **fields: Any) -> Product:
    values = {
        "unit": actor.unit,
        "year": 2026,
        "title": "Một cửa số",
        "expected_result": "Giảm thời gian",
        "beneficiaries": "Người dân",
        "measure": "Số hồ sơ trực tuyến",
        "measure_unit": "hồ sơ",
        "baseline": Decimal(100),
        "target": Decimal(500),
        "budget": Decimal(200_000_000),
        "fund_source": FundSource.PROVINCE,
        "owner_name": "Nguyễn Văn A",
        "due_on": date(2026, 11, 30),
        "milestones": [
            MilestoneInput("Khảo sát", date(2026, 3, 31)),
            MilestoneInput("Vận hành", date(2026, 9, 30)),
        ],
    } | fields
    return services.create_product(actor=actor, **values)


def accepted(cast: Cast, **fields: Any) -> Product:
    who = cast.people
    product = register(who.reporter, **fields)
    services.submit(actor=who.reporter, product=product)
    services.approve(actor=who.head, product=product)
    return services.accept(actor=who.standing, product=product)
