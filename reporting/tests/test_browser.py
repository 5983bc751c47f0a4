"""The quarterly report's whole path on 360 px phones, one browser context per person: the ward's
reporter fills and submits it, its head approves it, the standing office receives it and sees it
received on the board."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from org.models import Role, UnitType
from org.tests.factories import UserFactory, make_unit
from org.tests.test_browser import browser  # noqa: F401  (Debian's chromium)
from periods.models import PeriodKind
from reporting import services
from tasks.models import Area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "nq57-test-pass"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WARD = "Phường Thành Vinh"


@pytest.fixture
def quarter(transactional_db: None) -> None:
    # Created before Playwright starts its event loop: Django refuses ORM calls inside one.
    province = make_unit(None, "40", UnitType.PROVINCE, name="Tỉnh Nghệ An")
    office = make_unit(
        province,
        "CQTT",
        UnitType.STANDING_OFFICE,
        name="Cơ quan thường trực",
        is_standing_office=True,
    )
    wards = make_unit(province, "K-XA", UnitType.BLOC, name="Khối xã, phường")
    ward = make_unit(wards, "16681", UnitType.WARD, name=WARD)
    neighbour = make_unit(wards, "16690", UnitType.WARD, name="Phường Trường Vinh")
    standing = UserFactory(
        username="thuongtruc", unit=office, role=Role.STANDING_OFFICE, password=PASSWORD
    )
    UserFactory(username="bc.16681", unit=ward, role=Role.REPORTER, password=PASSWORD)
    UserFactory(username="ld.16681", unit=ward, role=Role.UNIT_HEAD, password=PASSWORD)
    Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    services.create_period(
        actor=standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, 17, tzinfo=TZ),
        units=[ward, neighbour],
    )  # fmt: skip


@pytest.fixture
def login(live_server: object, browser: Browser) -> Iterator[Callable[[str], Page]]:  # noqa: F811
    """A fresh 360 px phone (its own browser context) logged in as `username`."""
    contexts = []

    def open_as(username: str) -> Page:
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_test_id("whoami")).to_be_attached()  # in the folded menu
        return page

    yield open_as
    for context in contexts:
        context.close()


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll


def open_own_report(page: Page, base: str) -> None:
    page.goto(f"{base}/reports/")
    page.get_by_test_id("period-2025-Q3").get_by_test_id("own-report").click()
    expect(page.get_by_test_id("report-title")).to_contain_text(WARD)


def test_quarterly_report_from_ward_to_standing_office(
    quarter: None, live_server: object, login: Callable[[str], Page]
) -> None:
    base = str(live_server)

    reporter = login("bc.16681")
    expect(reporter.get_by_test_id("owed")).to_contain_text("Quý III/2025")
    open_own_report(reporter, base)
    reporter.get_by_test_id("report-start").click()
    expect(reporter.get_by_test_id("report-state")).to_have_text("Đang soạn")
    form = reporter.get_by_test_id("report-form")
    form.locator('[name="results-0-area"]').select_option(label="Hạ tầng công nghệ")
    form.locator('[name="results-0-text"]').fill("Hoàn thành số hóa 100% hồ sơ một cửa")
    form.locator('[name="difficulties-0-text"]').fill("Thiếu cán bộ chuyên trách công nghệ")
    form.locator('[name="proposals-0-text"]').fill("Đề nghị tỉnh hỗ trợ đào tạo")
    fits(reporter)
    form.get_by_test_id("report-save").click()
    expect(reporter.get_by_role("alert")).to_have_text("Đã lưu báo cáo.")
    expect(reporter.locator('[name="results-0-text"]')).to_have_value(
        "Hoàn thành số hóa 100% hồ sơ một cửa"
    )
    reporter.get_by_role("button", name="Nộp báo cáo").click()
    expect(reporter.get_by_test_id("report-state")).to_have_text("Chờ lãnh đạo đơn vị duyệt")
    expect(reporter.get_by_test_id("report-timeliness")).to_contain_text("Nộp đúng hạn")
    expect(reporter.get_by_test_id("report-form")).to_have_count(0)
    fits(reporter)

    head = login("ld.16681")
    open_own_report(head, base)
    expect(head.get_by_test_id("stored-text")).to_contain_text("Thiếu cán bộ chuyên trách")
    head.get_by_role("button", name="Duyệt", exact=True).click()
    expect(head.get_by_test_id("report-state")).to_have_text("Lãnh đạo đơn vị đã duyệt")
    fits(head)

    office = login("thuongtruc")
    office.goto(f"{base}/reports/")
    office.get_by_test_id("period-2025-Q3").get_by_test_id("board-link").click()
    row = office.get_by_test_id("board-row-16681")
    expect(row.get_by_test_id("board-state")).to_have_text("Lãnh đạo đơn vị đã duyệt")
    row.get_by_role("link", name=WARD).click()
    expect(office.get_by_test_id("stored-text")).to_contain_text("Đề nghị tỉnh hỗ trợ đào tạo")
    office.get_by_role("button", name="Tiếp nhận").click()
    expect(office.get_by_test_id("report-state")).to_have_text("Cơ quan thường trực đã tiếp nhận")
    expect(office.get_by_test_id("transition")).to_have_count(3)
    fits(office)

    office.goto(f"{base}/reports/2025-Q3/board/")
    expect(office.get_by_test_id("board-row-16681").get_by_test_id("board-state")).to_have_text(
        "Đã tiếp nhận"
    )
    expect(office.get_by_test_id("count-received")).to_have_text("1")
    expect(office.get_by_test_id("board-row-16690").get_by_test_id("board-state")).to_have_text(
        "Chưa bắt đầu"
    )
    fits(office)
