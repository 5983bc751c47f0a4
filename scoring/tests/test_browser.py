"""In a real browser (Debian's chromium through Playwright) on a 360 px phone screen: a commune's
head reads its scorecard, opens the records behind a criterion and contests it; a reporter reads
its product. Neither page scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits
from org.tests.test_browser import browser, phone  # noqa: F401  (the project's browser set-up)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-01-05T09:00"),
]


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("nq57-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()


def test_a_head_reads_and_contests_its_scorecard_on_a_phone(
    transactional_db: None,
    demo_data: None,
    live_server: object,
    phone: Page,  # noqa: F811
) -> None:
    base = str(live_server)
    login(phone, base, "ld.16777")
    phone.goto(f"{base}/scoring/2025-10/16777/")
    expect(phone.get_by_test_id("total")).to_have_text("100")
    expect(phone.get_by_test_id("line-BC").get_by_test_id("adjusted")).to_be_visible()
    fits(phone)
    overdue = phone.get_by_test_id("line-QH")
    overdue.get_by_text("Giải trình tiêu chí này").click()
    overdue.get_by_label("Nội dung giải trình").fill("Nhiệm vụ đã hoàn thành, chờ cập nhật.")
    overdue.get_by_role("button", name="Gửi giải trình").click()
    expect(phone.get_by_role("alert")).to_have_text("Đã gửi giải trình.")
    expect(phone.get_by_test_id("line-QH").get_by_test_id("contest")).to_contain_text(
        "Nhiệm vụ đã hoàn thành, chờ cập nhật."
    )
    phone.goto(f"{base}/scoring/2025-10/16681/")  # a neighbour's draft: out of reach
    expect(phone.locator("h1")).not_to_have_text("Phường Thành Vinh")
    phone.goto(f"{base}/scoring/2025-10/")
    expect(phone.get_by_test_id("rank-row")).to_have_count(1)
    fits(phone)


def test_a_reporter_reads_its_product_on_a_phone(
    transactional_db: None,
    demo_data: None,
    live_server: object,
    phone: Page,  # noqa: F811
) -> None:
    base = str(live_server)
    login(phone, base, "bc.16681")
    phone.goto(f"{base}/products/?year=2026")
    expect(phone.get_by_test_id("product-row")).to_have_count(1)
    fits(phone)
    phone.get_by_test_id("product-row").get_by_role("link").click()
    expect(phone.get_by_test_id("product-state")).to_have_text("Đã được chấp nhận")
    expect(phone.get_by_test_id("disbursements")).to_contain_text("40.000.000")
    fits(phone)
    phone.goto(f"{base}/products/board/?year=2026")
    expect(phone.get_by_test_id("board-summary")).to_contain_text("0/1")
