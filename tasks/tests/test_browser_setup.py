"""The standing office creates a task and gives it to every ward on a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits
from org.models import Role, UnitType
from org.tests.factories import UserFactory, make_unit
from org.tests.test_browser import browser, phone  # noqa: F401  (Debian's chromium, 360 px)
from tasks.models import Area, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "nq57-test-pass"


@pytest.fixture
def province(transactional_db: None) -> None:
    # Created before Playwright starts its event loop: Django refuses ORM calls inside one.
    root = make_unit(None, "P", UnitType.PROVINCE, name="Tỉnh Nghệ An")
    make_unit(root, "SKHCN", UnitType.DEPARTMENT, name="Sở Khoa học và Công nghệ")
    bloc = make_unit(root, "K-XA", UnitType.BLOC, name="Khối xã, phường")
    for code, name in (("16681", "Phường Thành Vinh"), ("16690", "Phường Trường Vinh")):
        make_unit(bloc, code, UnitType.WARD, name=name)
    make_unit(bloc, "17001", UnitType.COMMUNE, name="Xã Hưng Nguyên")
    UserFactory(username="tt", unit=root, role=Role.STANDING_OFFICE, password=PASSWORD)
    Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    Area.objects.create(code="HT", name="Hạ tầng công nghệ")


def test_office_creates_a_task_and_gives_it_to_every_ward(
    province: None,
    live_server: object,
    phone: Page,  # noqa: F811  (the shared fixture)
) -> None:
    base = str(live_server)
    phone.goto(f"{base}/login/")
    phone.get_by_label("Tên đăng nhập").fill("tt")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()

    phone.goto(f"{base}/tasks/")
    phone.get_by_test_id("task-create").click()
    form = phone.get_by_test_id("task-form")
    form.get_by_label("Mã", exact=True).fill("T-PHUONG")
    form.get_by_label("Tên nhiệm vụ", exact=True).fill("Triển khai bản đồ số cấp phường")
    form.get_by_label("Nguồn", exact=True).select_option(label="Nhiệm vụ cụ thể hóa NQ57")
    form.get_by_label("Lĩnh vực", exact=True).select_option(label="Hạ tầng công nghệ")
    form.get_by_label("Thời hạn", exact=True).fill("31/12/2025")
    lead = form.get_by_label("Đơn vị chủ trì", exact=True)
    lead.select_option(label="— Sở Khoa học và Công nghệ")
    form.get_by_label("Người chịu trách nhiệm", exact=True).fill("Nguyễn Văn A, Phó Giám đốc")
    fits(phone)
    form.get_by_role("button", name="Tạo nhiệm vụ").click()

    assign = phone.get_by_test_id("assign-form")
    assign.get_by_label("Theo loại đơn vị").check()
    assign.get_by_label("Phường", exact=True).check()
    assign.get_by_role("button", name="Xem danh sách đơn vị").click()
    preview = phone.get_by_test_id("assign-preview")
    expect(preview).to_contain_text("Sẽ giao cho 2 đơn vị")
    expect(preview).to_contain_text("Phường Thành Vinh")
    expect(preview).not_to_contain_text("Xã Hưng Nguyên")
    fits(phone)
    phone.get_by_test_id("assign-confirm").click()
    expect(phone.get_by_role("heading", name="Đang thực hiện: 3 đơn vị")).to_be_visible()
    expect(phone.get_by_test_id("assignee-log")).to_contain_text("Phường Trường Vinh")
    fits(phone)

    phone.goto(f"{base}/tasks/T-PHUONG/")
    expect(phone.get_by_test_id("task-responsible")).to_have_text("Nguyễn Văn A, Phó Giám đốc")
    fits(phone)
