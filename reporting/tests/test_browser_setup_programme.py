"""Issue 13's acceptance, in a real browser (Debian's chromium through Playwright): from an empty
database — `bootstrap_province`, then `import_units` of a small tree — the standing office sets up
a programme by pages only (a source, an area, a task given to every commune and ward, a data
element, an indicator with a target, a rule, a report form and a monthly schedule whose period
the schedule's job creates); then a commune's reporter enters a figure, the rule refuses a bad
one, a good one is saved, and the dashboard counts the task."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits, log_in
from org.account_rows import AccountRow
from org.models import Role
from org.services import bootstrap_province, create_accounts, import_units
from org.tests.test_browser import browser, phone  # noqa: F401  (Debian's chromium, 360 px)
from org.unit_rows import parse_unit_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The 2026-01 monthly period (data 15/12/2025–14/01/2026, due 20/01) opens on 15/01.
    pytest.mark.clock("2026-01-16T09:00"),
]

PASSWORD = "mat-khau-du-dai-2026"
UNITS = """code,name,type,parent_code
TT,Văn phòng Thường trực,Cơ quan thường trực,40
SKHCN,Sở Khoa học và Công nghệ,"Ban, sở, ngành",40
K-XA,"Khối xã, phường",Khối,40
17001,Xã Hưng Nguyên,Xã,K-XA
17002,Xã Nam Đàn,Xã,K-XA
16681,Phường Thành Vinh,Phường,K-XA
"""


@pytest.fixture
def province(transactional_db: None) -> None:
    """An empty database given a province, its unit tree from a file, and two accounts: set up
    before Playwright starts its event loop (Django refuses ORM calls inside one)."""
    admin = bootstrap_province(
        code="40", name="Tỉnh Nghệ An", admin_username="quantri",
        admin_email="quantri@nq57.local", admin_password=PASSWORD,
    )  # fmt: skip
    summary = import_units(actor=admin, rows=parse_unit_file(io.BytesIO(UNITS.encode())))
    assert summary.created == 6
    rows = [
        AccountRow(row=2, unit_code="TT", full_name="Trần Thị Thường Trực", email="",
                   phone="", role=Role.STANDING_OFFICE, username="thuongtruc"),
        AccountRow(row=3, unit_code="17001", full_name="Lê Văn Báo Cáo", email="",
                   phone="", role=Role.REPORTER, username="bc.17001"),
    ]  # fmt: skip
    create_accounts(actor=admin, rows=rows, password=PASSWORD, must_change_password=False)


def saved(page: Page, message: str) -> None:
    expect(page.get_by_text(message)).to_be_visible()
    fits(page)


def set_up_programme(page: Page, base: str) -> None:
    """The standing office's pages, each as an officer fills it."""
    page.goto(f"{base}/programme/sources/new/")
    form = page.get_by_test_id("source-form")
    form.get_by_label("Mã", exact=True).fill("KH-2026")
    form.get_by_label("Tên văn bản").fill("Kế hoạch thực hiện Nghị quyết 57 năm 2026")
    form.get_by_label("Số, ký hiệu").fill("12/KH-UBND")
    form.get_by_label("Ngày ban hành").fill("10/01/2026")
    form.get_by_label("Cơ quan ban hành").fill("Ủy ban nhân dân tỉnh")
    fits(page)
    form.get_by_role("button", name="Lưu").click()
    saved(page, "Đã lưu nguồn giao nhiệm vụ.")

    page.goto(f"{base}/programme/areas/new/")
    form = page.get_by_test_id("area-form")
    form.get_by_label("Mã", exact=True).fill("CDS")
    form.get_by_label("Tên lĩnh vực").fill("Chuyển đổi số")
    form.get_by_role("button", name="Lưu").click()
    saved(page, "Đã lưu lĩnh vực.")

    page.goto(f"{base}/tasks/new/")
    form = page.get_by_test_id("task-form")
    form.get_by_label("Mã", exact=True).fill("KH26-01")
    form.get_by_label("Tên nhiệm vụ", exact=True).fill("Số hóa hồ sơ thủ tục hành chính cấp xã")
    form.get_by_label("Nguồn", exact=True).select_option(
        label="Kế hoạch thực hiện Nghị quyết 57 năm 2026"
    )
    form.get_by_label("Lĩnh vực", exact=True).select_option(label="Chuyển đổi số")
    form.get_by_label("Thời hạn", exact=True).fill("30/06/2026")
    form.get_by_label("Đơn vị chủ trì", exact=True).select_option(
        label="— Sở Khoa học và Công nghệ"
    )
    form.get_by_label("Người chịu trách nhiệm", exact=True).fill("Nguyễn Văn A, Phó Giám đốc")
    fits(page)
    form.get_by_role("button", name="Tạo nhiệm vụ").click()

    assign = page.get_by_test_id("assign-form")
    assign.get_by_label("Theo loại đơn vị").check()
    assign.get_by_label("Xã", exact=True).check()
    assign.get_by_label("Phường", exact=True).check()
    assign.get_by_role("button", name="Xem danh sách đơn vị").click()
    preview = page.get_by_test_id("assign-preview")
    expect(preview).to_contain_text("Sẽ giao cho 3 đơn vị")
    expect(preview).to_contain_text("Xã Hưng Nguyên")
    fits(page)
    page.get_by_test_id("assign-confirm").click()
    # The three communes and wards, and the lead unit.
    expect(page.get_by_role("heading", name="Đang thực hiện: 4 đơn vị")).to_be_visible()
    expect(page.get_by_test_id("assignee-log")).to_contain_text("Xã Nam Đàn")
    fits(page)

    page.goto(f"{base}/indicators/setup/elements/new/")
    page.get_by_label("Mã", exact=True).fill("HS_SO")
    page.get_by_label("Tên", exact=True).fill("Hồ sơ được số hóa")
    page.get_by_label("Đơn vị tính").fill("hồ sơ")
    page.get_by_label("Tần suất báo cáo").select_option("month")
    page.get_by_label("Xã", exact=True).check()
    page.get_by_label("Phường", exact=True).check()
    fits(page)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Hồ sơ được số hóa")).to_be_visible()

    page.goto(f"{base}/indicators/setup/indicators/new/")
    page.get_by_label("Mã", exact=True).fill("CT_HS_SO")
    page.get_by_label("Tên chỉ tiêu").fill("Số hồ sơ được số hóa")
    page.get_by_label("Tính theo kỳ").select_option("month")
    formula = page.get_by_label("Công thức")
    formula.fill("sum(HS_SO")
    expect(page.get_by_test_id("formula-error")).to_contain_text("Thiếu dấu “)”")
    formula.fill("HS_SO")
    expect(page.get_by_test_id("formula-ok")).to_contain_text("Hồ sơ được số hóa")
    page.get_by_label("Căn cứ pháp lý (phương pháp chính thức)").fill("Kế hoạch 12/KH-UBND")
    fits(page)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_label("Năm").fill("2026")
    page.get_by_label("Giá trị mục tiêu").fill("1.000")
    page.get_by_role("button", name="Lưu mục tiêu").click()
    expect(page.get_by_test_id("target-row")).to_contain_text("≥ 1.000")
    fits(page)

    page.goto(f"{base}/reports/forms/new/")
    form = page.get_by_test_id("report-form-form")
    form.get_by_label("Mã mẫu").fill("BC-THANG")
    form.get_by_label("Tên mẫu").fill("Báo cáo tháng")
    form.get_by_label("Dùng cho loại kỳ").select_option("month")
    fits(page)
    form.get_by_role("button", name="Lưu").click()
    saved(page, "Đã lưu mẫu báo cáo “Báo cáo tháng”.")

    page.goto(f"{base}/reports/schedules/new/")
    page.get_by_label("Mã lịch").fill("THANG-2026")
    page.get_by_label("Tên lịch").fill("Báo cáo tháng năm 2026")
    page.get_by_label("Tần suất").select_option("monthly")
    page.get_by_label("Mẫu báo cáo").select_option(label="Báo cáo tháng")
    page.get_by_label("Bắt đầu từ ngày").fill("01/01/2026")
    page.get_by_label("Xã", exact=True).check()
    page.get_by_label("Phường", exact=True).check()
    fits(page)
    page.get_by_role("button", name="Lưu").click()
    saved(page, "Đã lưu lịch báo cáo “Báo cáo tháng năm 2026”.")

    # What the hourly job (create_periods) does, run now from the schedules' page.
    page.goto(f"{base}/reports/schedules/")
    page.get_by_test_id("schedule-run").click()
    expect(page.get_by_text("Đã tạo 2 kỳ báo cáo.")).to_be_visible()
    expect(page.get_by_test_id("schedule-THANG-2026")).to_contain_text("đã tạo 2 kỳ")
    fits(page)

    page.goto(f"{base}/indicators/setup/rules/new/")
    page.get_by_label("Mã", exact=True).fill("R_HS_SO")
    page.get_by_label("Tên quy tắc").fill("Hồ sơ số hóa trong tháng không quá 5.000")
    page.get_by_label("Loại quy tắc").select_option("range")
    expect(page.get_by_label("Giá trị lớn nhất")).to_be_visible()  # the kind's fields swapped in
    page.get_by_label("Mức độ").select_option("error")
    page.get_by_label("Số liệu được kiểm tra").select_option(label="Hồ sơ được số hóa")
    page.get_by_label("Giá trị nhỏ nhất").fill("0")
    page.get_by_label("Giá trị lớn nhất").fill("5.000")
    # The preview reads the figures of the newest period (none entered yet).
    page.get_by_test_id("rule-preview-button").click()
    expect(page.get_by_test_id("rule-preview-count")).to_contain_text("tìm thấy 0 trường hợp")
    fits(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_test_id("rule-list")).to_contain_text("không quá 5.000")


def test_office_sets_up_a_programme_by_pages_then_a_commune_reports(
    province: None,
    live_server: object,
    phone: Page,  # noqa: F811  (the shared fixture)
) -> None:
    base = str(live_server)
    log_in(phone, base, "thuongtruc", PASSWORD)
    set_up_programme(phone, base)

    phone.context.clear_cookies()
    log_in(phone, base, "bc.17001", PASSWORD)
    phone.goto(f"{base}/reports/2026-01/17001/")
    expect(phone.get_by_test_id("report-title")).to_contain_text("Xã Hưng Nguyên")
    phone.get_by_test_id("report-start").click()
    figures = phone.get_by_test_id("figures-form")
    figures.get_by_label("Hồ sơ được số hóa").fill("12.000")
    phone.get_by_test_id("figures-save").click()
    refused = phone.get_by_test_id("figure-error")  # next to the field, in Vietnamese
    expect(refused).to_contain_text("Hồ sơ được số hóa")
    expect(refused).to_contain_text("ngoài khoảng cho phép")
    expect(phone.get_by_test_id("figure-value")).to_contain_text("chưa nhập")  # nothing saved
    fits(phone)
    figures = phone.get_by_test_id("figures-form")
    figures.get_by_label("Hồ sơ được số hóa").fill("1.250")
    phone.get_by_test_id("figures-save").click()
    expect(phone.get_by_text("Đã lưu số liệu chỉ tiêu.")).to_be_visible()
    expect(phone.get_by_test_id("figure-value")).to_contain_text("1.250")
    fits(phone)

    phone.context.clear_cookies()
    log_in(phone, base, "thuongtruc", PASSWORD)
    phone.goto(f"{base}/dashboard/")
    expect(phone.get_by_test_id("count-total").get_by_test_id("figure")).to_have_text("1")
    fits(phone)
