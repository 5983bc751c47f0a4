"""Every main page, as each role meets it on the demo (its month's reports under way), in Debian's
chromium at 360 px and 1280 px: it answers as it should (a page the role may not use is a
Vietnamese 403 with the layout and a way back), nothing scrolls sideways, each list's state is on
the screen without scrolling a table, axe-core finds nothing serious or critical, the unread
count shows without opening the menu, and the menu marks the page and fits on one line on a
desk. NQ57_SCREENSHOTS=<folder> keeps a screenshot of each page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from nq57.tests.browser import check, log_in, phone_or_desk
from org.tests.test_browser import browser  # noqa: F401  (Debian's chromium)
from reporting.models import UnitReport

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-01-05T09:00"),  # the demo's "today": its month is 2026-01
]

PASSWORD = "nq57-demo"
MONTH = "2026-01"


@dataclass(frozen=True)
class Demo:
    returned: str  # a commune whose month report came back from its head today
    by_office: str  # an agency whose month report the standing office sent back
    to_approve: str  # an agency whose report waits for its head


@pytest.fixture
def demo(transactional_db: None, demo_data: None) -> Iterator[Demo]:
    # Read before Playwright starts its event loop: Django refuses ORM calls inside one.
    month = UnitReport.objects.filter(period__code=MONTH).select_related("unit")
    returned = month.filter(state="returned").order_by("unit__path")
    yield Demo(
        returned=next(r.unit.code for r in returned if r.unit.unit_type in ("xa", "phuong")),
        by_office=next(r.unit.code for r in returned if r.unit.unit_type not in ("xa", "phuong")),
        to_approve=month.filter(state="submitted", unit__code="SKHCN").get().unit.code,
    )


def pages(role: str, demo: Demo) -> list[tuple[str, int]]:
    """(path, status) of the main pages of each role."""
    report = f"/reports/{MONTH}/"
    return {
        "reporter": [
            ("/", 200), (f"{report}{demo.returned}/", 200), ("/reports/", 200), ("/tasks/", 200),
            ("/indicators/", 200), ("/dashboard/", 200), ("/notifications/", 200),
            ("/directives/", 200), ("/documents/", 200), ("/units/", 200),
            ("/tasks/BDHVS-001/", 200),
        ],
        "head": [("/", 200), (f"{report}{demo.to_approve}/", 200)],
        "office": [
            ("/", 200), (f"{report}board/", 200), (f"{report}{demo.by_office}/", 200),
            ("/reports/corrections/", 200), ("/dashboard/", 200), ("/tasks/", 200),
            ("/accounts/", 200), ("/notifications/", 200), ("/programme/sources/", 200),
            ("/programme/sources/new/", 200), ("/programme/areas/", 200),
            ("/programme/groups/", 200), ("/tasks/new/", 200), ("/tasks/BDHVS-001/edit/", 200),
            ("/tasks/BDHVS-001/assign/", 200), ("/tasks/BDHVS-001/history/", 200),
            ("/tasks/extensions/", 200), ("/units/groups/", 200), ("/reports/programme/", 200),
            ("/documents/proposals/", 200),
        ],
        "leader": [
            ("/", 200), ("/dashboard/", 200), ("/indicators/", 200), ("/tasks/", 200),
            (f"{report}board/", 403), ("/khong-co-trang-nay/", 404),
            ("/programme/sources/", 200), ("/programme/sources/new/", 403),
        ],
    }[role]  # fmt: skip


def account(role: str, demo: Demo) -> str:
    return {
        "reporter": f"bc.{demo.returned.lower()}",
        "head": f"ld.{demo.to_approve.lower()}",
        "office": "thuongtruc",
        "leader": "lanhdao",
    }[role]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("role", ["reporter", "head", "office", "leader"])
def test_main_pages(
    demo: Demo,
    live_server: object,
    browser: Browser,  # noqa: F811
    role: str,
    width: int,
) -> None:
    base = str(live_server)
    context = phone_or_desk(browser, width)
    page: Page = context.new_page()
    page.set_default_timeout(20_000)
    log_in(page, base, account(role, demo), PASSWORD)
    for path, status in pages(role, demo):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == status, path
        if status != 200:
            expect(page.get_by_test_id("error-page")).to_be_visible()  # Vietnamese, the layout
            expect(page.get_by_test_id("error-home")).to_be_visible()  # and a way back
        check(page, f"{role}-{path}")
    _the_menu(page, base, width)
    context.close()


def _the_menu(page: Page, base: str, width: int) -> None:
    """The unread count is in sight without opening the menu; the current page is marked; on a
    desk the menu is one line."""
    page.goto(f"{base}/tasks/")
    bell = page.get_by_test_id("nav-notifications")
    expect(bell).to_be_visible()
    if width >= 992:
        menu = page.get_by_test_id("menu")
        expect(menu.locator('[aria-current="page"]')).to_have_text("Nhiệm vụ")
        heights = menu.evaluate(
            "m => [m.getBoundingClientRect().height, m.children[0].offsetHeight]"
        )
        assert heights[0] <= heights[1] * 1.5  # one line of items
    else:
        expect(page.get_by_test_id("menu")).to_be_hidden()  # folded, the bell beside it
