"""In a real browser (Debian's chromium through Playwright) on a 360 px phone screen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from nq57.tests.browser import fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-01-05T09:00"),  # after the demo's Q4/2025 events
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    assert executable, (
        "Debian's chromium is required: `make test` installs it (apt-get install chromium)"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(live_server: object, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_commune_reporter_sees_its_own_unit_and_no_other(
    transactional_db: None, demo_data: None, live_server: object, phone: Page
) -> None:
    base = str(live_server)
    phone.goto(f"{base}/login/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    phone.get_by_label("Tên đăng nhập").fill("bc.16681")
    phone.get_by_label("Mật khẩu").fill("nq57-demo")
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_test_id("my-unit")).to_have_text("Phường Thành Vinh")
    fits(phone)

    phone.goto(f"{base}/units/")
    rows = phone.get_by_test_id("unit-list").locator("li")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phường Thành Vinh")

    response = phone.goto(f"{base}/units/16690/")  # Phường Trường Vinh, a neighbour
    assert response is not None and response.status == 404
    response = phone.goto(f"{base}/units/SKHCN/")
    assert response is not None and response.status == 404


def test_office_merges_three_communes_and_sets_up_a_schedule_on_a_phone(
    transactional_db: None, demo_data: None, live_server: object, phone: Page
) -> None:
    """The standing office on a 360 px phone: merges three communes into a new one from
    01/01/2026 by the page, reads the successor's lineage, then opens the schedules, report
    forms and holidays pages — none scrolls sideways."""
    base = str(live_server)
    phone.goto(f"{base}/login/")
    phone.get_by_label("Tên đăng nhập").fill("thuongtruc")
    phone.get_by_label("Mật khẩu").fill("nq57-demo")
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(f"{base}/units/merge/")
    phone.get_by_label("Mã các đơn vị được sáp nhập").fill("16738 16744 16750")
    phone.get_by_label("Mã đơn vị sau sáp nhập").fill("99001")
    phone.get_by_label("Tên đơn vị mới").fill("Xã Hợp Nhất")
    phone.get_by_label("Loại đơn vị mới").select_option("xa")
    phone.get_by_label("Đơn vị cấp trên của đơn vị mới").select_option(label="— Khối xã, phường")
    phone.get_by_label("Ngày hiệu lực").fill("01/01/2026")
    phone.get_by_label("Lý do, căn cứ").fill("Nghị quyết thử nghiệm")
    fits(phone)
    phone.get_by_role("button", name="Ghi nhận").click()
    expect(phone.get_by_test_id("unit-name")).to_have_text("Xã Hợp Nhất")
    expect(phone.get_by_test_id("unit-predecessors")).to_contain_text("Xã Quế Phong")
    expect(phone.get_by_test_id("unit-changes")).to_contain_text("Nghị quyết thử nghiệm")
    fits(phone)
    for path in ("/reports/schedules/", "/reports/schedules/THANG-2026/", "/reports/forms/",
                 "/reports/holidays/?year=2026"):  # fmt: skip
        phone.goto(f"{base}{path}")
        fits(phone)
    expect(phone.get_by_test_id("holiday-2026-02-16")).to_contain_text("Tết Nguyên đán")
