"""A department's reporter marks a task completed on a 360 px phone, through HTMX."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits
from org.models import Role, UnitType
from org.tests.factories import UserFactory, make_unit
from org.tests.test_browser import browser, phone  # noqa: F401  (Debian's chromium, 360 px)
from tasks import services
from tasks.models import Area, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "nq57-test-pass"


@pytest.fixture
def department_tasks(transactional_db: None) -> None:
    # Created before Playwright starts its event loop: Django refuses ORM calls inside one.
    province = make_unit(None, "P", UnitType.PROVINCE)
    dept = make_unit(province, "SKHCN", UnitType.DEPARTMENT, name="Sở Khoa học và Công nghệ")
    standing = UserFactory(username="tt", unit=province, role=Role.STANDING_OFFICE)
    UserFactory(username="bc.skhcn", unit=dept, role=Role.REPORTER, password=PASSWORD)
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    for code, title in (("T1", "Xây dựng kế hoạch"), ("T2", "Số hóa hồ sơ")):
        services.create_task(
            actor=standing,
            lead_unit=dept,
            code=code,
            title=title,
            source=source,
            area=area,
            year=2025,
            deadline=date(2025, 12, 31),
        )


def test_reporter_marks_a_task_completed(
    department_tasks: None,
    live_server: object,
    phone: Page,  # noqa: F811  (the shared fixture)
) -> None:
    base = str(live_server)
    phone.goto(f"{base}/login/")
    phone.get_by_label("Tên đăng nhập").fill("bc.skhcn")
    phone.get_by_label("Mật khẩu").fill(PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_test_id("whoami")).to_contain_text("Sở Khoa học và Công nghệ")

    phone.goto(f"{base}/tasks/")
    expect(phone.get_by_test_id("count-total")).to_have_text("2")
    expect(phone.get_by_test_id("count-completed")).to_have_text("0")
    expect(phone.get_by_test_id("task-row")).to_have_count(2)
    fits(phone)

    phone.get_by_role("link", name="T1").click()
    expect(phone.get_by_test_id("task-title")).to_contain_text("Xây dựng kế hoạch")
    form = phone.get_by_test_id("status-form")
    form.get_by_label("Trạng thái", exact=True).select_option(label="Đã hoàn thành")
    form.get_by_label("Số văn bản minh chứng", exact=True).fill("15/KH-SKHCN")
    form.get_by_label("Ngày văn bản minh chứng", exact=True).fill("01/10/2025")
    form.get_by_test_id("status-submit").click()
    expect(phone.get_by_test_id("notice")).to_have_text("Đã cập nhật trạng thái.")
    expect(phone.get_by_test_id("timeline")).to_contain_text("văn bản số 15/KH-SKHCN")
    expect(phone.get_by_test_id("task-verdict")).to_contain_text("Hoàn thành đúng hạn")
    fits(phone)

    phone.goto(f"{base}/tasks/")
    expect(phone.get_by_test_id("count-completed")).to_have_text("1")
    expect(phone.get_by_test_id("count-completed_on_time")).to_have_text("1")
    phone.get_by_test_id("count-completed-link").click()
    expect(phone.get_by_test_id("task-row")).to_have_count(1)
    expect(phone.get_by_test_id("task-row")).to_contain_text("T1")
