"""In a real browser (Debian's chromium through Playwright) on a 360 px phone screen: the standing
office sets up two data elements, an indicator (the formula editor answering as it is typed) and
two rules (the preview before saving) by pages only; then a commune's reporter enters figures,
an error is refused, a warning is saved once confirmed with a reason, and the unit's figure
history shows who, before → after and why."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits
from org.models import User
from org.tests.conftest import People, Tree
from org.tests.test_browser import browser, phone  # noqa: F401  (the project's browser set-up)
from periods.models import PeriodKind
from reporting import services as reporting_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "nq57-test-pass"  # org.tests.factories.UserFactory


@pytest.fixture
def accounts(transactional_db: None, people: People, tree: Tree) -> dict[str, str]:
    """An open 2025-Q3 for the two communes, 16681's report started: set up before Playwright
    starts its event loop (Django refuses ORM calls inside one)."""
    period = reporting_services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 15, 17, tzinfo=TZ),
        units=[tree.commune, tree.other_commune],
    )  # fmt: skip
    reporting_services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    users: dict[str, User] = {"office": people.standing, "reporter": people.reporter}
    return {key: user.username for key, user in users.items()}


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()


def new_element(page: Page, base: str, code: str, name: str) -> None:
    page.goto(f"{base}/indicators/setup/elements/new/")
    page.get_by_label("Mã", exact=True).fill(code)
    page.get_by_label("Tên", exact=True).fill(name)
    page.get_by_label("Tần suất báo cáo").select_option("quarter")
    page.get_by_label("Xã", exact=True).check()
    page.get_by_label("Phường", exact=True).check()
    fits(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def new_rule(page: Page, base: str, code: str, severity: str, maximum: str) -> None:
    page.goto(f"{base}/indicators/setup/rules/new/")
    page.get_by_label("Mã", exact=True).fill(code)
    page.get_by_label("Tên quy tắc").fill(f"Hồ sơ trực tuyến không quá {maximum}")
    page.get_by_label("Loại quy tắc").select_option("range")
    expect(page.get_by_label("Giá trị lớn nhất")).to_be_visible()  # the kind's fields swapped in
    page.get_by_label("Mức độ").select_option(severity)
    page.get_by_label("Số liệu được kiểm tra").select_option(label="Hồ sơ nộp trực tuyến")
    page.get_by_label("Giá trị lớn nhất").fill(maximum)
    page.get_by_test_id("rule-preview-button").click()
    expect(page.get_by_test_id("rule-preview-count")).to_contain_text("tìm thấy 0 trường hợp")
    fits(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_test_id("rule-list")).to_contain_text(f"không quá {maximum}")


def test_set_up_by_pages_then_checked_on_entry(
    accounts: dict[str, str],
    live_server: object,
    phone: Page,  # noqa: F811
) -> None:
    base = str(live_server)
    log_in(phone, base, accounts["office"])
    new_element(phone, base, "HS_TONG", "Tổng số hồ sơ")
    new_element(phone, base, "HS_TT", "Hồ sơ nộp trực tuyến")

    phone.goto(f"{base}/indicators/setup/indicators/new/")
    phone.get_by_label("Mã", exact=True).fill("TL_TT")
    phone.get_by_label("Tên chỉ tiêu").fill("Tỷ lệ hồ sơ nộp trực tuyến")
    formula = phone.get_by_label("Công thức")
    formula.fill("ratio(HS_TT, HS_TRUCTUYEN)")
    expect(phone.get_by_test_id("formula-error")).to_contain_text("chưa có: HS_TRUCTUYEN")
    formula.fill("ratio(HS_TT, HS_TONG")
    expect(phone.get_by_test_id("formula-error")).to_contain_text("Thiếu dấu “)”")
    formula.fill("ratio(HS_TT, HS_TONG)")
    expect(phone.get_by_test_id("formula-ok")).to_contain_text("Tổng số hồ sơ")
    phone.get_by_label("Căn cứ pháp lý (phương pháp chính thức)").fill("Nghị định 118/2025/NĐ-CP")
    fits(phone)
    phone.get_by_role("button", name="Lưu").click()
    phone.get_by_label("Năm").fill("2025")
    phone.get_by_label("Giá trị mục tiêu").fill("80")
    phone.get_by_role("button", name="Lưu mục tiêu").click()
    expect(phone.get_by_test_id("target-row")).to_contain_text("≥ 80")
    fits(phone)

    new_rule(phone, base, "R_LOI", "error", "1000")
    new_rule(phone, base, "R_CANH_BAO", "warning", "100")

    phone.goto(f"{base}/documents/")  # before generating: the period's open violations
    expect(phone.get_by_test_id("period-check")).to_contain_text("Kiểm tra số liệu Quý III/2025")
    fits(phone)

    log_in(phone, base, accounts["reporter"])
    phone.goto(f"{base}/reports/2025-Q3/16681/")
    figures = phone.get_by_test_id("figures-form")
    figures.get_by_label("Tổng số hồ sơ").fill("2.000")
    figures.get_by_label("Hồ sơ nộp trực tuyến").fill("1.500")
    phone.get_by_test_id("figures-save").click()
    expect(phone.get_by_test_id("figure-error")).to_contain_text("ngoài khoảng cho phép")
    figures = phone.get_by_test_id("figures-form")
    figures.get_by_label("Hồ sơ nộp trực tuyến").fill("150")
    phone.get_by_test_id("figures-save").click()
    expect(phone.get_by_test_id("figures-warnings")).to_contain_text("chưa được lưu")
    phone.get_by_test_id("figures-confirm").get_by_role("checkbox").check()
    phone.get_by_test_id("figures-comment").get_by_role("textbox").fill("Đợt cao điểm cuối quý")
    fits(phone)
    phone.get_by_test_id("figures-save").click()
    expect(phone.get_by_text("Đã lưu số liệu chỉ tiêu.")).to_be_visible()

    phone.goto(f"{base}/indicators/units/16681/history/")
    newest = phone.get_by_test_id("figure-change").first  # the entry's last figure
    expect(newest).to_contain_text("Hồ sơ nộp trực tuyến")
    expect(newest).to_contain_text("Lý do: Đợt cao điểm cuối quý")
    expect(newest).to_contain_text("Cảnh báo đã xác nhận")
    fits(phone)
