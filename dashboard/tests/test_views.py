"""The home page: who I am and what I may do, then "what I owe, by when"."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from periods.models import PeriodKind
from reporting import services
from tasks import services as task_services
from tasks.models import Area, Source

TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the test clock stands at 02/10/2025 09:00
HOME = reverse("home")


@pytest.fixture
def owed(people: People, tree: Tree) -> None:
    """An open quarterly report due in three days, and two tasks: one overdue, one due soon."""
    services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, 17, tzinfo=TZ),
        units=[tree.commune],
    )  # fmt: skip
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    for code, title, deadline in (
        ("T-TRE", "Số hóa hồ sơ đất đai", date(2025, 9, 30)),
        ("T-SAP", "Lắp camera an ninh", date(2025, 10, 20)),
    ):
        task_services.create_task(
            actor=people.standing, lead_unit=tree.commune, code=code, title=title,
            source=source, area=area, year=2025, deadline=deadline,
        )  # fmt: skip


def items(content: str) -> list[tuple[str, str]]:
    pattern = r'data-testid="owed-item(-overdue)?">.*?<a href="[^"]+"[^>]*>([^<]+)</a>'
    return [(late, title) for late, title in re.findall(pattern, content, re.S)]


def test_reporter_sees_what_the_unit_owes_overdue_in_red(people: People, owed: None) -> None:
    content = client_for(people.reporter).get(HOME).content.decode()
    assert items(content) == [
        ("-overdue", "Số hóa hồ sơ đất đai"),
        ("", "Quý III/2025"),
        ("", "Lắp camera an ninh"),
    ]
    assert "text-danger" in content and "05/10/2025 17:00" in content
    assert reverse("reporting:report", args=["2025-Q3", "16681"]) in content
    assert 'data-testid="my-unit"' in content  # the existing content stays


def test_a_neighbour_owes_nothing_here(people: People, owed: None) -> None:
    content = client_for(people.other_reporter).get(HOME).content.decode()
    assert items(content) == []
    assert "Không có báo cáo hay nhiệm vụ nào đến hạn trong 30 ngày tới." in content


@pytest.mark.parametrize("person", ["standing", "province_viewer"])
def test_the_province_owes_no_report_and_is_not_told_so(
    people: People, owed: None, person: str
) -> None:
    """The province's own accounts report for no unit: their home shows their work instead
    (dashboard/tests/test_home.py), never an empty to-do list that reads "nothing due"."""
    content = client_for(getattr(people, person)).get(HOME).content.decode()
    assert 'data-testid="owed"' not in content and "đến hạn" not in content


def test_home_needs_login_and_is_get_only(people: People) -> None:
    response = Client().get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_for(people.reporter).post(HOME).status_code == 405
