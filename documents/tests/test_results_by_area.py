"""Issue 15 item 5 in the quarterly report: the year's products by task area (registered,
delivered, rated, budget and disbursed, in million đồng), under the products paragraph; the
products and grades section printed in a quarter only when there is something to state, so a
quarter without products or a published month of scores reads as the Q3/2025 report. The
outlines an installation already has get the section from documents' migration 0008."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.composer import build_content, results
from documents.composer.report import facts_for
from documents.content import Kind, Paragraph, ReportContent
from documents.models import DocumentProfile, Outline, OutlineSection
from documents.outline_defaults import OUTLINES
from documents.tests.conftest import TZ
from org.tests.conftest import Tree
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind
from products import services as product_services
from products.models import Rating
from products.services import Delivery
from products.tests import conftest as products_conftest
from products.tests.conftest import Cast, accepted
from reporting import services as reporting_services
from tasks.models import Area

cast = products_conftest.cast  # the products' fixture: the 2026 window, the area NTS

HEADING = "- Sản phẩm đăng ký, kết quả chấm điểm:"
MIGRATION = "documents.migrations.0008_quarterly_results_section"


def _quarter(cast: Cast, tree: Tree, code: str, start: date, end: date) -> Period:
    return reporting_services.create_period(
        actor=cast.people.standing, code=code, kind=PeriodKind.QUARTER, title=f"Kỳ {code}",
        starts_on=start, ends_on=end, opens_at=datetime(2026, 3, 20, tzinfo=TZ),
        due_at=datetime(2026, 4, 5, 17, tzinfo=TZ), units=[tree.commune, tree.dept],
    )  # fmt: skip


def _products(cast: Cast) -> None:
    """Two products of "Nền tảng số" (400 million, 220 disbursed; one delivered and rated
    "vượt"), one of "An ninh mạng" (50 million, delivered, "chưa đạt"), one with no area
    (1.250 million, accepted), all the commune 16681's."""
    people = cast.people
    security = Area.objects.create(code="ANM", name="An ninh mạng", order=1)
    with time_machine.travel("2025-12-01 09:00 +0700"):
        portal = accepted(cast, area=cast.area, title="Cổng", budget=Decimal(300_000_000))
        kiosk = accepted(cast, area=cast.area, title="Ki-ốt", budget=Decimal(100_000_000))
        watch = accepted(cast, area=security, title="Giám sát", budget=Decimal(50_000_000))
        accepted(cast, title="Chưa xếp", budget=Decimal(1_250_000_000))
    with time_machine.travel("2026-02-10 09:00 +0700"):
        for product, rating in ((kiosk, Rating.EXCEEDED), (watch, Rating.NOT_MET)):
            product_services.deliver(
                actor=people.reporter, product=product,
                delivery=Delivery(delivered_on=date(2026, 2, 10), evidence_link="https://x.vn"),
            )  # fmt: skip
            product_services.evaluate(
                actor=people.standing, product=product, rating=rating, comment="Đã xem"
            )
        for product, amount in ((portal, 120_000_000), (kiosk, 100_000_000)):
            product_services.add_disbursement(
                actor=people.reporter, product=product, on=date(2026, 2, 10),
                amount=Decimal(amount),
            )  # fmt: skip


def _by_key(content: ReportContent) -> dict[str, Paragraph]:
    return {p.key: p for p in content.statements()}


@pytest.mark.clock("2026-04-15T09:00")
def test_the_quarter_states_the_products_by_area(
    cast: Cast, tree: Tree, profiles: dict[Kind, DocumentProfile]
) -> None:
    _products(cast)
    quarter = _quarter(cast, tree, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
    content = build_content(
        kind=Kind.QUARTERLY, period=quarter, unit=tree.province, as_of=date(2026, 4, 10),
        prose={},
    )  # fmt: skip
    texts = [p.text for p in content.body]
    statements = _by_key(content)
    at = texts.index(HEADING)
    assert texts[at + 1] == statements["products.delivery"].text
    assert statements["products.delivery"].text.startswith(
        "Năm 2026, các cơ quan, đơn vị có 04 sản phẩm đăng ký được chấp nhận, đã hoàn thành, "
        "bàn giao 02 sản phẩm; kết quả đánh giá: 01 vượt, 0 đạt, 01 chưa đạt. Tổng kinh phí "
        "của các sản phẩm 1.700 triệu đồng, đã giải ngân 220 triệu đồng:"
    )
    lines = [p for p in content.body if p.key.startswith("products.by_area")]
    assert [p.text for p in lines] == [
        "- Theo lĩnh vực:",
        "+ Nền tảng số: 02 sản phẩm đăng ký được chấp nhận, đã hoàn thành, bàn giao 01 sản "
        "phẩm; kết quả đánh giá: 01 vượt, 0 đạt, 0 chưa đạt; kinh phí 400 triệu đồng, đã giải "
        "ngân 220 triệu đồng.",
        "+ An ninh mạng: 01 sản phẩm đăng ký được chấp nhận, đã hoàn thành, bàn giao 01 sản "
        "phẩm; kết quả đánh giá: 0 vượt, 0 đạt, 01 chưa đạt; kinh phí 50 triệu đồng, đã giải "
        "ngân 0 triệu đồng.",
        "+ Sản phẩm chưa xếp lĩnh vực: 01 sản phẩm đăng ký được chấp nhận, đã hoàn thành, bàn "
        "giao 0 sản phẩm; kết quả đánh giá: 0 vượt, 0 đạt, 0 chưa đạt; kinh phí 1.250 triệu "
        "đồng, đã giải ngân 0 triệu đồng.",
    ]
    assert [p.style for p in lines] == ["item", "subitem", "subitem", "subitem"]
    platforms = statements["products.by_area.NTS"]
    assert dict(platforms.figures) == {
        "registered": "02", "delivered": "01", "exceeded": "01", "met": "0", "not_met": "0",
        "budget": "400", "disbursed": "220",
    }  # fmt: skip
    assert statements["products.by_area.ANM"].figure("not_met") == "01"
    assert statements["products.by_area.none"].figure("budget") == "1.250"
    assert [link.url for link in platforms.links] == [
        "/products/?year=2026&area=NTS&group=registered"
    ]
    assert statements["products.by_area.none"].links == ()  # the list has no "no area" filter
    # No month of 2026 scored: the section prints, so it says so, as the longer reports do.
    assert statements["scores.grades"].text == (
        "Chưa có kết quả chấm điểm hằng tháng người đứng đầu được công bố trong Quý I/2026."
    )
    # the products, the agencies', the communes', the areas' four lines, the grades, then the
    # next section
    assert texts[at + 8] == statements["scores.grades"].text
    assert texts[at + 9] == "- Hạn chế, khó khăn"


@pytest.mark.clock("2026-04-15T09:00")
def test_a_quarter_without_products_or_grades_has_no_such_section(
    cast: Cast, tree: Tree, profiles: dict[Kind, DocumentProfile]
) -> None:
    quarter = _quarter(cast, tree, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
    content = build_content(kind=Kind.QUARTERLY, period=quarter, unit=tree.province, prose={})
    texts = [p.text for p in content.body]
    assert HEADING not in texts
    assert not any(p.key.startswith(("products.", "scores.")) for p in content.body)
    assert not any("chưa có sản phẩm" in text or "chấm điểm" in text for text in texts)


@pytest.mark.clock("2026-04-15T09:00")
def test_the_office_may_have_the_section_say_there_is_nothing(
    cast: Cast, tree: Tree, profiles: dict[Kind, DocumentProfile]
) -> None:
    """The option on the outline page: unticked, the quarter says "chưa có" as the longer
    reports do; a reset puts the default back."""
    quarter = _quarter(cast, tree, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31))
    client = client_for(cast.people.standing)
    url = reverse("documents:outline_edit", args=["quarterly"])
    section = _quarterly_outline().sections.get(code="san-pham")
    form = client.get(url).content.decode()
    assert 'name="omit_empty" id="esan-pham" checked' in form  # ticked by default
    change = {"action": "save", "code": "san-pham", "title": section.title, "level": 4,
              "blocks": section.blocks}  # fmt: skip
    assert client.post(url, change).status_code == 302  # the box unticked
    assert not _quarterly_outline().sections.get(code="san-pham").omit_empty
    content = build_content(kind=Kind.QUARTERLY, period=quarter, unit=tree.province, prose={})
    texts = [p.text for p in content.body]
    at = texts.index(HEADING)
    assert texts[at + 1 : at + 3] == [
        "Năm 2026, chưa có sản phẩm đăng ký nào được cơ quan thường trực chấp nhận.",
        "Chưa có kết quả chấm điểm hằng tháng người đứng đầu được công bố trong Quý I/2026.",
    ]
    assert client.post(url, {**change, "omit_empty": "on"}).status_code == 302
    assert _quarterly_outline().sections.get(code="san-pham").omit_empty


@pytest.mark.clock("2026-04-15T09:00")
def test_the_by_area_lines_cost_the_same_queries_for_more_products(
    cast: Cast, tree: Tree, django_assert_max_num_queries: Any
) -> None:
    """The year's products as they stood (their history), what each had disbursed, the areas:
    three queries, shared by every statement of the products."""
    _products(cast)
    quarter = _quarter(cast, tree, "2026-Q1", date(2026, 1, 1), date(2026, 3, 31))

    def measured() -> tuple[int, list[Paragraph]]:
        facts = facts_for(Kind.QUARTERLY, quarter, tree.province, date(2026, 4, 10))
        with CaptureQueriesContext(connection) as queries:
            lines = results.products_by_area(facts)
            results.products(facts)  # its total read from the same facts: no more
        return len(queries), lines

    few, lines = measured()
    with time_machine.travel("2025-12-02 09:00 +0700"):
        for n in range(6):
            accepted(cast, area=cast.area, title=f"Thêm {n}", budget=Decimal(10_000_000))
    more, more_lines = measured()
    assert more_lines[1].figure("registered") == "08" and len(more_lines) == len(lines)
    assert few == more
    facts = facts_for(Kind.QUARTERLY, quarter, tree.province, date(2026, 4, 10))
    with django_assert_max_num_queries(3):
        results.products_by_area(facts)


def _quarterly_outline() -> Outline:
    return Outline.objects.get(kind=Kind.QUARTERLY)


def _codes(outline: Outline) -> list[str]:
    return list(outline.sections.order_by("order").values_list("code", flat=True))


def test_the_migration_adds_the_section_to_an_existing_quarterly_outline(
    profiles: dict[Kind, DocumentProfile],
) -> None:
    outline = _quarterly_outline()
    outline.sections.filter(code="san-pham").delete()  # as the outline stood before
    migration = importlib.import_module(MIGRATION)
    migration.add_quarterly_section(apps, None)
    migration.add_quarterly_section(apps, None)  # twice: nothing more
    assert _codes(outline) == [d.code for d in OUTLINES[Kind.QUARTERLY]]
    orders = list(outline.sections.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))
    added = outline.sections.get(code="san-pham")
    assert (added.level, added.title, added.blocks, added.omit_empty) == (
        4, HEADING, ["products.delivery", "products.by_area", "scores.grades"], True
    )  # fmt: skip


def test_the_migration_leaves_a_section_the_office_made_alone(
    profiles: dict[Kind, DocumentProfile],
) -> None:
    outline = _quarterly_outline()
    OutlineSection.objects.filter(outline=outline, code="san-pham").update(
        title="- Kết quả sản phẩm:", blocks=["products.delivery"], omit_empty=False, order=99
    )
    before = _codes(outline)
    importlib.import_module(MIGRATION).add_quarterly_section(apps, None)
    section = outline.sections.get(code="san-pham")
    assert (section.title, section.blocks, section.omit_empty, section.order) == (
        "- Kết quả sản phẩm:", ["products.delivery"], False, 99
    )  # fmt: skip
    assert _codes(outline) == before


def test_the_migration_completes_the_section_a_new_installation_wrote(
    profiles: dict[Kind, DocumentProfile],
) -> None:
    """Migration 0004 writes today's defaults before omit_empty exists: the section it wrote
    gets the default's omit_empty; the longer reports' product sections get the by-area lines."""
    OutlineSection.objects.filter(outline__kind=Kind.QUARTERLY, code="san-pham").update(
        omit_empty=False
    )
    OutlineSection.objects.filter(outline__kind=Kind.YEAR, code="san-pham").update(
        blocks=["products.delivery", "scores.grades"]
    )
    migration = importlib.import_module(MIGRATION)
    migration.add_quarterly_section(apps, None)
    migration.add_area_block(apps, None)
    migration.add_area_block(apps, None)
    assert _quarterly_outline().sections.get(code="san-pham").omit_empty
    year = OutlineSection.objects.get(outline__kind=Kind.YEAR, code="san-pham")
    assert year.blocks == ["products.delivery", "products.by_area", "scores.grades"]
