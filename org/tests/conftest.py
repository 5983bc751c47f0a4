"""A small province: two agencies in a bloc and two communes in another, one account per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from org.models import Role, Unit, UnitType, User
from org.tests.factories import UserFactory, make_unit


@dataclass
class Tree:
    province: Unit
    agencies: Unit
    dept: Unit
    other_dept: Unit
    communes: Unit
    commune: Unit
    other_commune: Unit


@pytest.fixture
def tree(db: None) -> Tree:
    province = make_unit(None, "P", UnitType.PROVINCE)
    agencies = make_unit(province, "K-CQ", UnitType.BLOC)
    communes = make_unit(province, "K-XA", UnitType.BLOC)
    return Tree(
        province=province,
        agencies=agencies,
        dept=make_unit(agencies, "SKHCN", UnitType.DEPARTMENT),
        other_dept=make_unit(agencies, "SYT", UnitType.DEPARTMENT),
        communes=communes,
        commune=make_unit(communes, "16681", UnitType.WARD),
        other_commune=make_unit(communes, "16690", UnitType.WARD),
    )


@dataclass
class People:
    sysadmin: User
    standing: User
    province_viewer: User
    communes_admin: User  # unit administrator of the communes bloc
    reporter: User  # commune 16681
    head: User  # commune 16681
    other_reporter: User  # commune 16690
    dept_reporter: User


@pytest.fixture
def people(tree: Tree) -> People:
    return People(
        sysadmin=UserFactory(username="sys", unit=tree.province, role=Role.SYSADMIN),
        standing=UserFactory(username="tt", unit=tree.province, role=Role.STANDING_OFFICE),
        province_viewer=UserFactory(username="ld", unit=tree.province, role=Role.VIEWER),
        communes_admin=UserFactory(username="qtxa", unit=tree.communes, role=Role.UNIT_ADMIN),
        reporter=UserFactory(username="bc", unit=tree.commune, role=Role.REPORTER),
        head=UserFactory(username="ldx", unit=tree.commune, role=Role.UNIT_HEAD),
        other_reporter=UserFactory(username="bc2", unit=tree.other_commune, role=Role.REPORTER),
        dept_reporter=UserFactory(username="bcs", unit=tree.dept, role=Role.REPORTER),
    )
