"""What the reports and the dashboard will read (issue 15 item 5, data side): products delivered
against registered by area with the money, as of a date; the board of units without one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from org.models import Unit
from products import queries, services
from products.models import FundSource, Rating
from products.queries import Standing
from products.services import Delivery
from products.tests.conftest import Cast, accepted, register
from tasks.models import Area

pytestmark = pytest.mark.django_db


def test_delivered_against_registered_by_area_as_of_a_date(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    people = cast.people
    other = Area.objects.create(code="ANM", name="An ninh mạng", order=1)
    with time_machine.travel("2025-10-01 09:00 +0700"):
        one = accepted(cast, area=cast.area, budget=Decimal(300_000_000))
        two = accepted(
            cast,
            area=cast.area,
            title="Hai",
            fund_source=FundSource.SOCIAL,
            budget=Decimal(100_000_000),
        )
        accepted(cast, area=other, title="Ba", budget=Decimal(50_000_000))
        register(people.reporter, area=other, title="Nháp")  # a draft is not registered
        services.add_disbursement(
            actor=people.reporter, product=one, on=date(2025, 9, 20), amount=Decimal(120_000_000)
        )
    with time_machine.travel("2025-10-02 09:00 +0700"):
        services.deliver(
            actor=people.reporter,
            product=two,
            delivery=Delivery(delivered_on=date(2025, 10, 2), evidence_link="https://x.vn"),
        )
        services.evaluate(actor=people.standing, product=two, rating=Rating.MET, comment="Đạt")
        services.add_disbursement(
            actor=people.reporter, product=two, on=date(2025, 10, 2), amount=Decimal(100_000_000)
        )
    with django_assert_max_num_queries(3):
        now = queries.delivery_by_area(2026, date(2025, 10, 2))
    nts, anm = now.areas
    assert (nts.name, nts.registered, nts.delivered, nts.met) == ("Nền tảng số", 2, 1, 1)
    assert (nts.budget, nts.disbursed) == (400_000_000, 220_000_000)
    assert nts.by_source == {"ngan_sach_tinh": 300_000_000, "xa_hoi_hoa": 100_000_000}
    assert (anm.registered, anm.delivered, now.total.registered, now.total.budget) == (
        1,
        0,
        3,
        450_000_000,
    )
    before = queries.delivery_by_area(2026, date(2025, 10, 1)).total
    assert (before.registered, before.delivered, before.met, before.disbursed) == (
        3,
        0,
        0,
        120_000_000,
    )
    assert now.url(nts) == "/products/?year=2026&area=NTS&group=registered"
    theirs = Unit.objects.filter(pk=people.other_reporter.unit_id)
    mine = queries.delivery_by_area(2026, date(2025, 10, 2), theirs)
    assert mine.total.registered == 0


def test_the_board_says_where_each_unit_stands(cast: Cast) -> None:
    people = cast.people
    accepted(cast)
    pending = register(people.other_reporter)
    services.submit(actor=people.other_reporter, product=pending)
    register(people.dept_reporter)
    rows = {r.unit.code: r.standing for r in queries.board(2026, Unit.objects.all())}
    assert rows == {
        "SKHCN": Standing.DRAFTING,
        "SYT": Standing.NONE,
        "16681": Standing.REGISTERED,
        "16690": Standing.PENDING,
    }
