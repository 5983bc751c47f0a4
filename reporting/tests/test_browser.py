"""The quarterly report's whole path in Debian's chromium, on a 360 px phone and a 1280 px desk,
one browser context per person: the ward's reporter writes every section and its figures — and
loses nothing, whatever it saves first —, submits after a confirmation; its head approves; the
standing office reads it (no form of the unit's), returns it with a comment; the reporter sees
the comment first, corrects and resubmits; the head approves again and the office receives it.
Each step tells the next person, whose unread count shows without opening the menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from indicators import services as indicator_services
from indicators.models import ValueType
from nq57.tests.browser import check, fits, log_in, phone_or_desk
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
RESULTS = ("Hoàn thành số hóa 100% hồ sơ một cửa", "Lắp đặt 12 điểm phát wifi công cộng")
DIFFICULTY = "Thiếu cán bộ chuyên trách công nghệ"
PROPOSAL = "Đề nghị tỉnh hỗ trợ đào tạo"
RETURN_COMMENT = "Đề nghị bổ sung số, ngày văn bản minh chứng"


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
    indicator_services.create_element(
        actor=standing, code="XA_HS_TT", name="Hồ sơ TTHC cấp xã nộp trực tuyến",
        value_type=ValueType.COUNT, period_kind=PeriodKind.QUARTER, unit_types=(UnitType.WARD,),
        unit_label="hồ sơ",
    )  # fmt: skip
    services.create_period(
        actor=standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, 17, tzinfo=TZ),
        units=[ward, neighbour],
    )  # fmt: skip


Opener = Callable[[str], Page]


@pytest.fixture(params=[360, 1280], ids=["phone", "desk"])
def login(
    request: pytest.FixtureRequest,
    live_server: object,
    browser: Browser,  # noqa: F811
) -> Iterator[Opener]:
    """A fresh screen of the test's width (its own browser context) logged in as `username`;
    confirmations are accepted and their text kept in `page.confirmed`; asked whether to leave
    with unsaved work, the person stays (`page.kept` counts the times)."""
    contexts = []

    def open_as(username: str) -> Page:
        context = phone_or_desk(browser, request.param)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.confirmed = []  # type: ignore[attr-defined]
        page.kept = 0  # type: ignore[attr-defined]

        def answer(dialog: Dialog) -> None:
            if dialog.type == "beforeunload":
                page.kept += 1  # type: ignore[attr-defined]
                dialog.dismiss()
                return
            page.confirmed.append(dialog.message)  # type: ignore[attr-defined]
            dialog.accept()

        page.on("dialog", answer)
        log_in(page, str(live_server), username, PASSWORD)
        return page

    yield open_as
    for context in contexts:
        context.close()


def open_own_report(page: Page, base: str) -> None:
    page.goto(f"{base}/reports/")
    page.get_by_test_id("period-2025-Q3").get_by_test_id("own-report").click()
    expect(page.get_by_test_id("report-title")).to_contain_text(WARD)


def told(page: Page, base: str, words: str) -> None:
    """The unread count shows beside the menu (folded or not); the notification says `words`;
    opening it leads to the report (the standing office's, to the board's reports that wait,
    the ward among them)."""
    page.goto(f"{base}/")
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    page.get_by_test_id("nav-notifications").click()
    note = page.get_by_test_id("notification-unread").filter(has_text=words).first
    expect(note).to_be_visible()
    note.get_by_test_id("open-notification").click()
    if "/board/" in page.url:
        page.get_by_test_id("board-row-16681").get_by_role("link", name=WARD).click()
    expect(page.get_by_test_id("report-title")).to_contain_text(WARD)


def move(page: Page, name: str, state: str) -> None:
    page.get_by_test_id(f"move-{name}").get_by_role("button").click()
    expect(page.get_by_test_id("report-state")).to_have_text(state)


def test_a_report_from_the_ward_to_the_province_and_back(
    quarter: None, live_server: object, login: Opener
) -> None:
    base = str(live_server)

    reporter = login("bc.16681")
    expect(reporter.get_by_test_id("owed")).to_contain_text("Quý III/2025")
    open_own_report(reporter, base)
    reporter.get_by_test_id("report-start").click()
    expect(reporter.get_by_test_id("report-state")).to_have_text("Đang soạn")
    write_everything_then_save_the_figures_first(reporter)
    check(reporter)

    # leaving with unsaved work asks first; staying keeps it
    form = reporter.get_by_test_id("report-form")
    proposal = form.locator('[name="proposals-0-text"]')
    proposal.press("End")
    proposal.press_sequentially(" gấp")
    reporter.locator('nav[aria-label="Đường dẫn"] a').first.click(no_wait_after=True)
    expect(proposal).to_have_value(PROPOSAL + " gấp")
    assert reporter.kept == 1  # type: ignore[attr-defined]
    form.get_by_test_id("report-save").click()
    expect(reporter.get_by_test_id("text-saved")).to_be_visible()

    move(reporter, "submit", "Chờ lãnh đạo đơn vị duyệt")
    assert "Nộp báo cáo Quý III/2025" in reporter.confirmed[-1]  # type: ignore[attr-defined]
    expect(reporter.get_by_test_id("report-form")).to_have_count(0)

    head = login("ld.16681")
    told(head, base, "chờ đồng chí duyệt")
    expect(head.get_by_test_id("stored-text")).to_contain_text(DIFFICULTY)
    move(head, "approve", "Lãnh đạo đơn vị đã duyệt")

    office = login("thuongtruc")
    told(office, base, "chờ tiếp nhận")
    for form_id in ("report-form", "figures-form", "attachment-form", "move-submit"):
        expect(office.get_by_test_id(form_id)).to_have_count(0)  # the unit's own, not the office's
    office.locator("#comment-return_from_office").fill(RETURN_COMMENT)
    move(office, "return_from_office", "Bị trả lại")
    check(office)

    reporter.goto(f"{base}/")
    expect(reporter.get_by_test_id("unread-count")).to_be_visible()
    expect(reporter.get_by_test_id("returned-comment")).to_contain_text(RETURN_COMMENT)
    reporter.get_by_test_id("returned").get_by_role("link").click()
    form = reporter.get_by_test_id("report-form")
    form.locator('[name="results-0-text"]').fill(RESULTS[0] + " (văn bản số 12/KH-UBND)")
    form.get_by_test_id("report-save").click()
    expect(reporter.get_by_test_id("text-saved")).to_be_visible()
    move(reporter, "submit", "Chờ lãnh đạo đơn vị duyệt")

    told(head, base, "chờ đồng chí duyệt")
    move(head, "approve", "Lãnh đạo đơn vị đã duyệt")
    told(office, base, "chờ tiếp nhận")
    expect(office.get_by_test_id("stored-text")).to_contain_text("văn bản số 12/KH-UBND")
    move(office, "receive", "Cơ quan thường trực đã tiếp nhận")
    expect(office.get_by_test_id("transition")).to_have_count(6)
    fits(office)

    told(reporter, base, "đã tiếp nhận")
    office.goto(f"{base}/reports/2025-Q3/board/")
    row = office.get_by_test_id("board-row-16681")
    expect(row.get_by_test_id("board-state")).to_have_text("Đã tiếp nhận")
    check(office)


def write_everything_then_save_the_figures_first(page: Page) -> None:
    """The reproduction of issue 16: every text section typed, an item added in the page, a
    figure typed, then "Lưu số liệu" pressed first. Nothing typed is lost: the figures are
    saved, the text still there and saved by itself a few seconds later, all of it stored."""
    url = page.url
    form = page.get_by_test_id("report-form")
    form.locator('[name="results-0-area"]').select_option(label="Hạ tầng công nghệ")
    form.locator('[name="results-0-text"]').fill(RESULTS[0])
    form.get_by_test_id("add-results").click()  # a second item, without asking the server
    form.locator('[name="results-1-text"]').fill(RESULTS[1])
    form.locator('[name="difficulties-0-text"]').fill(DIFFICULTY)
    form.locator('[name="proposals-0-text"]').fill(PROPOSAL)
    fits(page)
    figures = page.get_by_test_id("figures-form")
    figures.locator('[name="e_XA_HS_TT"]').fill("1.428")
    figures.get_by_test_id("figures-save").click()
    expect(page.get_by_test_id("figures-notice")).to_have_text("Đã lưu số liệu chỉ tiêu.")
    assert page.url == url  # saved in place: the reader's place is kept
    expect(form.locator('[name="results-1-text"]')).to_have_value(RESULTS[1])
    expect(form.locator('[name="proposals-0-text"]')).to_have_value(PROPOSAL)
    expect(page.get_by_test_id("text-saved")).to_be_visible()  # the autosave
    page.reload()
    stored = page.get_by_test_id("report-form")
    for name, text in (
        ("results-0-text", RESULTS[0]),
        ("results-1-text", RESULTS[1]),
        ("difficulties-0-text", DIFFICULTY),
        ("proposals-0-text", PROPOSAL),
    ):
        expect(stored.locator(f'[name="{name}"]')).to_have_value(text)
    expect(page.get_by_test_id("figure-value")).to_contain_text("1.428")
