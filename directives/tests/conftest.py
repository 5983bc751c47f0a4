from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from directives import services
from directives.models import Directive, Kind
from org.models import Unit, UnitType
from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from org.tests.factories import make_unit
from tasks import services as task_services
from tasks.models import Area, Source, Task


@dataclass
class Committee:
    steering: Unit  # the Steering Committee (BCD)
    office: Unit  # its standing office (CQTT), below it
    dept_task: Task  # led by the department
    commune_task: Task  # given to the neighbouring commune only


@pytest.fixture
def committee(tree: Tree, people: People) -> Committee:  # noqa: F811  (shared fixtures)
    steering = make_unit(tree.province, "BCD", UnitType.STEERING, name="Ban Chỉ đạo tỉnh")
    office = make_unit(steering, "CQTT", UnitType.STANDING_OFFICE, name="Tổ Giúp việc")
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")

    def task(code: str, lead: Unit) -> Task:
        return task_services.create_task(
            actor=people.standing, lead_unit=lead, code=code, title=f"Nhiệm vụ {code}",
            source=source, area=area, year=2025,
        )  # fmt: skip

    return Committee(
        steering=Unit.objects.get(pk=steering.pk),  # fresh: children changed its numchild
        office=office,
        dept_task=task("T-SO", tree.dept),
        commune_task=task("T-XA2", tree.other_commune),
    )


def register(cast: People, issuer: Unit, number: str, on: date, **kw: Any) -> Directive:
    fields = {"kind": Kind.OFFICIAL_LETTER, "subject": f"Công văn {number}"} | kw
    return services.create_directive(
        actor=cast.standing, issuer=issuer, number=number, issued_on=on, **fields
    )
