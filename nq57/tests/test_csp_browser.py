"""The Content-Security-Policy in a real browser (issue 18, build item 5): the pages that run the
most script — the dashboard's charts, the report page, the unit search, an import with its
progress bar — work under it, and the browser reports no violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from org.tests.test_browser import browser  # noqa: F401  (Debian's chromium)

pytestmark = [pytest.mark.browser, pytest.mark.clock("2026-01-05T09:00")]


@pytest.fixture
def desk(live_server: object, browser: Browser) -> Iterator[tuple[Page, list[str]]]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    yield page, violations
    context.close()


def test_pages_run_under_the_policy(
    transactional_db: None, demo_data: None, live_server: object, desk: tuple[Page, list[str]]
) -> None:
    page, violations = desk
    base = str(live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill("thuongtruc")
    page.get_by_label("Mật khẩu").fill("nq57-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()
    page.goto(f"{base}/dashboard/")
    expect(page.locator("#chart-areas canvas")).to_be_attached()  # ECharts drew
    page.goto(f"{base}/reports/2025-Q3/16681/")
    page.goto(f"{base}/units/")
    page.get_by_role("searchbox").first.fill("Vinh")  # htmx swaps the rows in
    expect(page.get_by_test_id("unit-list")).to_contain_text("Vinh")
    assert violations == []
