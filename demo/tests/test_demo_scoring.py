"""The demo's products and monthly scoring: every demo scorecard's criteria add up to its total,
within their maximum, graded by its total and the cap; the command prints what is stored; the
board lists the units without a product."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from demo.products import NO_PRODUCT, STOPS, YEAR
from org.models import Unit, User
from org.tests.test_views import client_for
from products.models import Product, ProductState
from products.queries import board, delivery_by_area
from scoring import queries, services
from scoring.engine import cap_of, grade_of
from scoring.models import Contest, ContestState, Grade, Round, RoundState, Scorecard

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-01-05T09:00")]
CENT = Decimal("0.01")


def test_every_demo_scorecard_adds_up(demo_data: None) -> None:
    rounds = list(Round.objects.order_by("month"))
    assert [r.month for r in rounds] == [date(2025, 8, 1), date(2025, 9, 1), date(2025, 10, 1)]
    assert [r.state for r in rounds] == [RoundState.PUBLISHED] * 2 + [RoundState.DRAFT]
    for round_ in rounds:
        cards = queries.stored_cards(round_)
        assert len(cards) == 155  # every reporting unit: 25 agencies, 130 communes and wards
        for card in cards:
            assert sum((line.points for line in card.lines), Decimal(0)) == card.total
            assert card.eligible == grade_of(card.scheme, card.total)
            base = [line for line in card.lines if line.applies and not line.bonus]
            if base:  # the points of those that apply fill the scheme's 100
                assert abs(sum(line.max_points for line in base) - 100) <= CENT * len(base)
            for line in card.lines:
                if line.applies:
                    assert 0 <= line.points <= line.max_points
                else:
                    assert line.points == line.max_points == 0
                assert all(e["url"].startswith("/") for e in line.evidence)
        for kind in ("agency", "commune"):
            group = [c for c in cards if c.kind == kind]
            excellent = sum(1 for c in group if c.grade == Grade.EXCELLENT)
            good = sum(1 for c in group if c.grade == Grade.GOOD)
            assert excellent * 100 <= 20 * good
            _cap, moved = cap_of(kind, group)
            assert {c.unit.pk for c in moved} == {
                c.unit.pk for c in group if c.capped
            }  # the stored grades are the cap's


def test_the_command_prints_the_stored_round(demo_data: None) -> None:
    out = io.StringIO()
    call_command("score_units", "--month", "2025-10", "--json", stdout=out)
    printed = {c["unit"]: c for c in json.loads(out.getvalue())}
    stored = Scorecard.objects.filter(round__month=date(2025, 10, 1)).select_related("unit")
    assert {s.unit.code: float(s.total) for s in stored} == {
        code: c["total"] for code, c in printed.items()
    }
    quy_chau = printed["16777"]
    (report,) = [c for c in quy_chau["criteria"] if c["code"] == "BC"]
    assert report["points"] == report["max_points"] > report["computed_points"]  # adjusted
    agencies = sorted(
        (c for c in printed.values() if c["kind"] == "agency"), key=lambda c: c["rank"]
    )
    assert agencies[0]["rank"] == 1 and agencies[-1]["total"] < 90


def test_the_demo_draft_has_its_contests(demo_data: None) -> None:
    contests = Contest.objects.select_related("line__scorecard__unit").order_by("at", "pk")
    assert [(c.line.scorecard.unit.code, c.line.code, c.state) for c in contests] == [
        ("16777", "BC", ContestState.ANSWERED),
        ("VP-UBND", "NV", ContestState.OPEN),
    ]
    assert contests[0].adjustments.get().reason.startswith("Đã đối chiếu")


def test_scoring_the_draft_again_gives_the_same(demo_data: None) -> None:
    office = User.objects.get(username="thuongtruc")
    october = date(2025, 10, 1)

    def totals() -> dict[str, Any]:
        rows = Scorecard.objects.filter(round__month=october)
        return dict(rows.values_list("unit__code", "total"))

    before = totals()
    services.run_round(actor=office, month=october)
    assert totals() == before
    with pytest.raises(services.WrongState):
        services.run_round(actor=office, month=date(2025, 9, 1))


def test_the_demo_products(demo_data: None) -> None:
    products = Product.objects.filter(year=YEAR)
    assert products.count() == 155 - len(NO_PRODUCT)
    states = {state: products.filter(state=state).count() for state in ProductState.values}
    assert states[ProductState.DRAFT] == 3 and states[ProductState.RETURNED] == 1
    assert states[ProductState.SUBMITTED] == 2 and states[ProductState.APPROVED] == 3
    assert states[ProductState.EVALUATED] == 1
    without = {r.unit.code for r in board(YEAR, Unit.objects.all()) if r.without_product}
    assert without == set(NO_PRODUCT) | set(STOPS)
    overview = delivery_by_area(YEAR, date(2026, 1, 5))
    assert overview.total.registered == states[ProductState.ACCEPTED] + 1
    assert overview.total.delivered == overview.total.met == 1
    assert overview.total.disbursed == 790_000_000


def test_scoring_pages_read_155_units_in_as_few_queries(
    demo_data: None, django_assert_max_num_queries: Any
) -> None:
    """The same bounds as for three units (scoring/tests/test_views.py)."""
    office = client_for(User.objects.get(username="thuongtruc"))
    with django_assert_max_num_queries(14):
        assert office.get("/scoring/2025-10/").content.count(b'data-testid="rank-row"') == 155
    with django_assert_max_num_queries(20):
        assert office.get("/scoring/2025-10/16777/").status_code == 200
    with django_assert_max_num_queries(12):
        assert office.get("/scoring/2025-10/results.xlsx").status_code == 200
