"""The homes read the results side too: a unit head sees his unit's latest scorecard (with the
window to explain it while open) and his products, and the products sent to him for approval;
the standing office counts the products to accept and to evaluate, the contested scores and,
while registration is open, the units without a product. Nobody sees another unit's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from dashboard.tests.test_home import count, home
from org.models import User
from org.tests.conftest import People
from org.tests.test_views import client_for
from products import services as product_services
from products.models import Product
from products.services import Delivery
from products.tests.conftest import Cast, accepted, cast, register  # noqa: F401  (fixtures)
from scoring import services as scoring_services
from scoring.models import Line, Round
from scoring.tests.conftest import MONTH, SCORING_TIME, TZ, Month, month  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(month: Month, people: People) -> Iterator[Round]:  # noqa: F811  (fixtures)
    with time_machine.travel(SCORING_TIME, tick=False):
        yield scoring_services.run_round(actor=people.standing, month=MONTH)


def _on(day: str) -> Any:
    return time_machine.travel(datetime.fromisoformat(day).replace(tzinfo=TZ), tick=False)


def _who(people: People, month: Month, name: str) -> User:  # noqa: F811  (fixtures)
    extra = {"head_b": month.heads["b"], "reporter_c": month.reporters["c"]}
    return extra.get(name) or getattr(people, name)


# (person, whose scorecard and products the home shows: None = no head block)
HEAD_BLOCK = [
    ("head", "16681"),
    ("head_b", "16690"),
    ("reporter", None),
    ("reporter_c", None),
    ("standing", None),
    ("province_viewer", None),
    ("communes_admin", None),
    ("dept_reporter", None),
]


@pytest.mark.parametrize(("person", "unit"), HEAD_BLOCK)
def test_only_a_unit_head_sees_his_own_scorecard_and_products(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
    person: str,
    unit: str | None,
) -> None:
    with _on("2025-10-07T09:00"):
        content = home(_who(people, month, person))
    cards = re.findall(r'href="/scoring/2025-09/(\w+)/" data-testid="head-scorecard-link"', content)
    shown = set(re.findall(r'href="/products/(\d+)/"', content))
    if unit is None:
        assert 'data-testid="head-scorecard"' not in content
        assert 'data-testid="head-products"' not in content
        assert cards == []
        return
    assert cards == [unit]
    own = Product.objects.filter(unit__code=unit).values_list("pk", flat=True)
    assert shown == {str(pk) for pk in own} and shown  # the unit's own, nobody else's
    assert "Tiêu chí NV" in content and "Tiêu chí TH" in content  # every criterion, by name


def test_the_head_reads_the_score_grade_and_the_window_to_explain(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
) -> None:
    card = scored.scorecards.get(unit=month.a)
    assert scored.contest_until == date(2025, 10, 9)
    with _on("2025-10-07T09:00"):
        content = home(people.head)
    total = re.search(r'data-testid="head-total">([^<]+)<', content)
    assert total and total.group(1) == f"{card.total:f}".rstrip("0").rstrip(".").replace(".", ",")
    assert card.get_grade_display() in content
    assert "đến hết ngày 09/10/2025" in content and 'data-testid="head-contest-open"' in content
    assert "Dự thảo" in content
    assert "Một cửa số" in content and "Bản đồ số" in content and "Đã đánh giá" in content
    assert "Camera an ninh" not in content  # 16690's product
    with _on("2025-10-10T09:00"):  # the window has closed
        later = home(people.head)
    assert 'data-testid="head-contest-open"' not in later
    assert 'data-testid="head-scorecard-link"' in later


def test_a_head_without_a_scored_month_is_told_so(
    cast: Cast,  # noqa: F811  (fixtures)
) -> None:
    content = home(cast.people.head)
    assert "Đơn vị chưa được chấm điểm tháng nào." in content
    assert "Đơn vị chưa đăng ký sản phẩm." in content


def test_a_product_sent_for_approval_waits_for_its_head_only(
    cast: Cast,  # noqa: F811  (fixtures)
) -> None:
    who = cast.people
    product = register(who.reporter, title="Bản đồ số xã")
    product_services.submit(actor=who.reporter, product=product)
    content = home(who.head)
    approvals = content[content.index('data-testid="approvals"') :]
    assert "Chờ duyệt sản phẩm: Bản đồ số xã" in approvals
    assert reverse("products:detail", args=[product.pk]) in approvals
    for other in (cast.head_b, cast.dept_head, who.reporter, who.standing):
        assert "Chờ duyệt sản phẩm" not in home(other)
    product_services.approve(actor=who.head, product=product)
    assert "Chờ duyệt sản phẩm" not in home(who.head)


def test_office_counts_products_to_accept_and_evaluate_and_units_without_one(
    cast: Cast,  # noqa: F811  (fixtures)
) -> None:
    who = cast.people
    waiting = register(who.reporter, title="Chờ tiếp nhận")
    product_services.submit(actor=who.reporter, product=waiting)
    product_services.approve(actor=who.head, product=waiting)
    done = accepted(cast, title="Đã xong")
    product_services.deliver(
        actor=who.reporter,
        product=done,
        delivery=Delivery(delivered_on=date(2025, 10, 1), evidence_link="https://example.org/a"),
    )
    content = home(who.standing)
    products = reverse("products:list")
    assert count(content, "products_to_accept") == ("1", f"{products}?year=2026&state=approved")
    assert count(content, "products_to_evaluate") == ("1", f"{products}?year=2026&state=delivered")
    # the registration window for 2026 is open (01/10/2025–15/01/2026): 16681 has a product
    # accepted, SKHCN, SYT and 16690 none
    board = reverse("products:board")
    assert count(content, "without_product") == ("3", f"{board}?year=2026")
    listed = page_of(who.standing, f"{products}?year=2026&state=approved")
    assert "Chờ tiếp nhận" in listed and "Đã xong" not in listed
    product_services.evaluate(actor=who.standing, product=done, rating="dat", comment="Đạt")
    assert count(home(who.standing), "products_to_evaluate") == ("0", f"{products}?state=delivered")
    with _on("2026-02-01T09:00"):  # the window has closed: no count of units without a product
        assert 'data-testid="count-without_product"' not in home(who.standing)
    for other in (who.head, who.province_viewer, who.reporter):
        assert 'data-testid="count-products_to_accept"' not in home(other)


def page_of(user: User, url: str) -> str:
    return client_for(user).get(url).content.decode()


def test_office_counts_the_contests_and_opens_the_units_waiting(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
) -> None:
    content = home(people.standing)
    assert count(content, "contests") == ("0", reverse("scoring:index"))
    line = Line.objects.get(scorecard__round=scored, scorecard__unit=month.b, code="BC")
    with _on("2025-10-07T09:00"):
        scoring_services.contest(actor=month.heads["b"], line=line, text="Báo cáo gửi qua thư")
        content = home(people.standing)
    link = f"{reverse('scoring:round', args=['2025-09'])}?contested=on"
    assert count(content, "contests") == ("1", link)
    page = page_of(people.standing, link)
    rows = re.findall(r'href="/scoring/2025-09/(\w+)/"', page)
    assert rows == ["16690"] and 'data-testid="contested-filter"' in page
    assert 'data-testid="count-contests"' not in home(people.head)


def test_home_queries_are_bounded(
    scored: Round,
    month: Month,  # noqa: F811  (fixtures)
    people: People,
    django_assert_max_num_queries: Any,
) -> None:
    """The head's blocks add three queries (scorecard, its lines, products); the office's
    queues one each (two for the board of units without a product), whatever the numbers."""
    for name, most in (("head", 25), ("standing", 22)):
        client = client_for(_who(people, month, name))
        client.get(reverse("home"))  # the session and the caches
        with django_assert_max_num_queries(most):
            assert client.get(reverse("home")).status_code == 200
