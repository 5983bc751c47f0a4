"""The dashboard's results block: the year's products registered, delivered and evaluated by
kind of unit, and the latest month's grades, each figure opening its list; within what the
user sees (an outsider's scope counts none of them), a draft month only for the standing
office."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dashboard.filters import DashboardFilters
from dashboard.queries import dashboard
from dashboard.results import results
from org.models import User
from org.tests.conftest import People
from org.tests.test_views import client_for
from scoring import services as scoring_services
from scoring.models import Round, RoundState
from scoring.tests.conftest import MONTH, SCORING_TIME, Month, month  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard:dashboard")


@pytest.fixture
def scored(month: Month, people: People) -> Iterator[Round]:  # noqa: F811  (fixtures)
    with time_machine.travel(SCORING_TIME, tick=False):
        yield scoring_services.run_round(actor=people.standing, month=MONTH)


def page(user: User, url: str = DASHBOARD) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def products(content: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each row of the products table: its label and (figure, link) of each column."""
    block = content[content.index('data-testid="results-products"') :]
    block = block[: block.index("</table>")]
    rows = re.findall(r'<td class="stack-title">([^<]+)</td>(.*?)</tr>', block, re.S)
    return [
        (
            label,
            [
                (n, href.replace("&amp;", "&"))
                for href, n in re.findall(r'href="([^"]+)"[^>]*>(\d+)<', cells)
            ],
        )
        for label, cells in rows
    ]


def test_products_by_kind_open_their_lists(scored: Round, people: People) -> None:
    content = page(people.standing)
    rows = dict(products(content))
    # 2025: 16681's two products delivered and evaluated, 16690's accepted; no agency's
    assert [n for n, _ in rows["Xã, phường"]] == ["3", "2", "2"]
    assert [n for n, _ in rows["Sở, ban, ngành, cơ quan cấp tỉnh"]] == ["0", "0", "0"]
    assert [n for n, _ in rows["Cộng"]] == ["3", "2", "2"]
    registered = rows["Xã, phường"][0][1]
    assert "kind=commune" in registered and "group=registered" in registered
    listed = page(people.standing, registered)
    assert re.search(r'data-testid="product-count">3<', listed)
    evaluated = page(people.standing, rows["Xã, phường"][2][1])
    assert re.search(r'data-testid="product-count">2<', evaluated)
    assert "Camera an ninh" not in evaluated


def test_grades_of_a_draft_month_are_the_offices_until_published(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
) -> None:
    office = page(people.standing)
    assert "Xếp loại chấm điểm tháng 09/2025" in office
    counts = re.findall(r'data-testid="grade-(\w+)">[^:]+: (\d+)<', office)
    assert sum(int(n) for _, n in counts) == 3  # the three communes
    link = re.search(r'href="([^"]+)" data-testid="grade-(\w+)"', office)
    assert link and link.group(1).startswith(
        reverse("scoring:round", args=["2025-09"]) + "?kind=commune&amp;grade="
    )
    assert "Chưa có tháng nào được công bố" in page(people.province_viewer)
    Round.objects.filter(pk=scored.pk).update(state=RoundState.PUBLISHED)
    leader = page(people.province_viewer)
    assert sorted(re.findall(r'data-testid="grade-(\w+)">[^:]+: (\d+)<', leader)) == sorted(counts)


def test_an_outsider_counts_none_of_them(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
) -> None:
    Round.objects.filter(pk=scored.pk).update(state=RoundState.PUBLISHED)
    content = page(people.dept_reporter)  # SKHCN: no product, not scored
    assert all(n == "0" for _, figures in products(content) for n, _ in figures)
    assert "Không có đơn vị nào được chấm trong phạm vi này." in content
    assert 'data-testid="grade-' not in content


def test_dashboard_queries_are_bounded(
    scored: Round, people: People, django_assert_max_num_queries: Any
) -> None:
    """The results block takes six queries (the year's products as of the date, their money,
    their units' kinds; the latest month, its round, its grades), whatever the numbers."""
    board = dashboard(people.standing, DashboardFilters(as_of=timezone.localdate()))
    with django_assert_max_num_queries(6):
        block = results(people.standing, board)
    assert block.round == scored and block.grades
    client = client_for(people.standing)
    client.get(DASHBOARD)  # the session
    with django_assert_max_num_queries(35):
        assert client.get(DASHBOARD).status_code == 200
