"""In a real browser (Debian's chromium through Playwright) on a 360 px phone screen: from a
red count on the dashboard to exactly the tasks behind it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from nq57.tests.browser import fits
from org.models import Unit, User
from org.tests.test_browser import browser, phone  # noqa: F401  (the project's browser set-up)
from tasks.models import Task
from tasks.queries import TaskFilter, task_stats, tasks_visible_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-01-05T09:00"),
]


@pytest.fixture
def red_codes(transactional_db: None, demo_data: None) -> Iterator[list[str]]:
    # The expected figures are read before Playwright starts its event loop: Django refuses
    # ORM calls inside one.
    leader = User.objects.get(username="lanhdao")
    flt = TaskFilter(unit=Unit.objects.get(code="40"), subtree=True, source="NQ57-TINH")
    stats = task_stats(as_of=date(2025, 9, 30), flt=flt, tasks=tasks_visible_to(leader))
    tasks = Task.objects.filter(pk__in=stats.items["not_on_time"])
    yield sorted(tasks.values_list("code", flat=True))


def test_leader_clicks_a_red_count_and_sees_those_tasks(
    red_codes: list[str],
    live_server: object,
    phone: Page,  # noqa: F811
) -> None:
    base = str(live_server)
    phone.goto(f"{base}/login/")
    phone.get_by_label("Tên đăng nhập").fill("lanhdao")
    phone.get_by_label("Mật khẩu").fill("nq57-demo")
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.get_by_test_id("my-unit")).to_be_visible()  # logged in: the home page is there
    phone.goto(f"{base}/dashboard/?as_of=30/09/2025")
    expect(phone.locator("#chart-areas canvas")).to_have_count(1)  # ECharts drew the chart
    # On a phone-wide screen the dashboard itself needs no sideways scroll.
    fits(phone)
    red = phone.get_by_test_id("group-1").get_by_test_id("group-not_on_time")
    expect(red.get_by_test_id("figure")).to_have_text(str(len(red_codes)))
    red.click()
    expect(phone.get_by_test_id("task-list-heading")).to_contain_text("Không đúng hạn")
    rows = phone.get_by_test_id("task-row").locator("td:first-child a")
    expect(rows).to_have_count(len(red_codes))
    assert sorted(rows.all_inner_texts()) == red_codes
