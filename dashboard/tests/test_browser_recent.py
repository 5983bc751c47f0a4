"""The pages added lately, on the demo in Debian's chromium at 360 px: the unit pages (but the
unit's own page, checked with its merge scenario in org), the indicator set-up pages, products,
scoring, the documents composer, the grouped board and the homes' new blocks. None scrolls
sideways as a whole; every offending page is named at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from indicators.models import DataElement, Indicator
from nq57.tests.browser import log_in, phone_or_desk
from org.tests.test_browser import browser  # noqa: F401  (Debian's chromium)
from products.models import Product
from scoring.models import Scheme

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-01-05T09:00"),  # the demo's "today"
]

PASSWORD = "nq57-demo"


@dataclass(frozen=True)
class Codes:
    element: str
    indicator: str
    product: int
    scheme: int


@pytest.fixture
def codes(transactional_db: None, demo_data: None) -> Iterator[Codes]:
    # Read before Playwright starts its event loop: Django refuses ORM calls inside one.
    yield Codes(
        element=DataElement.objects.order_by("code").values_list("code", flat=True)[0],
        indicator=Indicator.objects.filter(formula__startswith="ratio(")
        .order_by("code")
        .values_list("code", flat=True)[0],
        product=Product.objects.filter(unit__code="16681").values_list("pk", flat=True)[0],
        scheme=Scheme.objects.order_by("pk").values_list("pk", flat=True)[0],
    )


def office_pages(c: Codes) -> list[str]:
    setup = "/indicators/setup"
    return [
        "/",
        "/reports/2026-01/board/",
        "/units/",
        "/units/new/",
        "/units/merge/",
        "/units/16681/edit/",
        "/units/16681/history/",
        "/units/16681/move/",
        "/units/16681/split/",
        f"{setup}/",
        f"{setup}/elements/",
        f"{setup}/elements/new/",
        f"{setup}/elements/{c.element}/",
        f"{setup}/elements/{c.element}/edit/",
        f"{setup}/indicators/",
        f"{setup}/indicators/new/",
        f"{setup}/indicators/{c.indicator}/edit/",
        f"{setup}/indicators/{c.indicator}/targets/",
        f"{setup}/sets/",
        f"{setup}/sets/new/",
        f"{setup}/rules/",
        f"{setup}/rules/new/",
        f"/indicators/{c.indicator}/?period=2025-Q3",
        "/products/?year=2026",
        "/products/board/?year=2026",
        "/products/new/",
        "/products/window/",
        "/products/import/",
        f"/products/{c.product}/",
        "/scoring/",
        "/scoring/2025-10/",
        "/scoring/2025-10/16777/",
        "/scoring/schemes/",
        "/scoring/schemes/new/",
        f"/scoring/schemes/{c.scheme}/",
        "/documents/",
        "/documents/compose/quarterly/2025-Q3/",
        "/documents/outlines/",
        "/documents/profiles/",
        "/dashboard/",
    ]


def too_wide(page: Page, base: str, paths: list[str]) -> list[str]:
    """The paths that answer 200 and scroll sideways: "path: scroll width"."""
    found = []
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > page.evaluate("window.innerWidth"):
            found.append(f"{path}: {wide}")
    return found


def test_recent_pages_fit_a_phone(
    codes: Codes,
    live_server: object,
    browser: Browser,  # noqa: F811
) -> None:
    base = str(live_server)
    context = phone_or_desk(browser, 360)
    page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, base, "thuongtruc", PASSWORD)
    wide = too_wide(page, base, office_pages(codes))
    # the board: the office's work open, the rest folded behind its count
    page.goto(f"{base}/reports/2026-01/board/")
    expect(page.locator('details[data-testid^="board-group-"]').first).to_have_attribute("open", "")
    context.close()

    for account, paths in (
        ("ld.16777", ["/", "/scoring/2025-10/16777/"]),
        ("lanhdao", ["/", "/dashboard/"]),
    ):
        context = phone_or_desk(browser, 360)
        page = context.new_page()
        page.set_default_timeout(20_000)
        log_in(page, base, account, PASSWORD)
        wide += too_wide(page, base, paths)
        if account == "ld.16777":
            page.goto(f"{base}/")
            expect(page.get_by_test_id("head-scorecard")).to_be_visible()
            expect(page.get_by_test_id("head-products")).to_be_visible()
        context.close()
    assert not wide, wide
