"""What every browser test checks on a page, at any width: nothing scrolls sideways as a whole,
each list's state is on the screen without scrolling a table, and axe-core (from npm, read from
node_modules and run inside the page — never fetched from a network) finds no violation of impact
"serious" or "critical". Screenshots go to NQ57_SCREENSHOTS when that variable names a folder."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
# The cells that say a row's state (or its number) in each list: on a phone they come first.
STATE_CELLS = ", ".join(
    f'[data-testid="{testid}"]'
    for testid in (
        "board-state",  # the standing office's board
        "colour",  # the task list's verdict
        "achieved",  # indicators
        "unit-pct",  # the dashboard's unit tables
        "figure-value",  # a report's figures
        "report-state",
        "count-total",
    )
)


@cache
def _axe_source() -> str:
    return AXE.read_text()


def phone_or_desk(browser: Browser, width: int) -> BrowserContext:
    return browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("whoami")).to_be_attached()


def serious_violations(page: Page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it stands, each as
    "rule: target" (empty: none)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())  # evaluated by the browser itself: no CSP applies
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact,
                         targets: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return [f"{v['id']}: {', '.join(v['targets'][:3])}" for v in found if v["impact"] in SERIOUS]


def fits(page: Page) -> None:
    """No sideways scroll of the page as a whole. Measured once the page has loaded: before its
    style sheet applies, a table is as wide as its text (a busy machine showed 511 px). A
    failure names the widest elements."""
    page.wait_for_load_state("load")
    width = page.evaluate("window.innerWidth")
    wide = page.evaluate(
        """w => Array.from(document.body.querySelectorAll('*'))
             .filter(e => e.getBoundingClientRect().right > w + 0.5)
             .slice(-3).map(e => e.tagName + '.' + e.className)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, wide)


def states_in_sight(page: Page) -> int:
    """Every list's state cells lie within the screen's width (none hidden to the right of a
    table that scrolls); folded lists are opened first. Returns how many were checked."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    width = page.evaluate("window.innerWidth")
    boxes = page.evaluate(
        f"""Array.from(document.querySelectorAll({STATE_CELLS!r})).slice(0, 40)
             .filter(e => e.offsetParent !== null)
             .map(e => {{ const r = e.getBoundingClientRect(); return [r.left, r.right]; }})"""
    )
    outside = [box for box in boxes if box[0] < 0 or box[1] > width + 0.5]
    assert not outside, f"{page.url}: {len(outside)} state cells off the screen, e.g. {outside[0]}"
    return len(boxes)


def check(page: Page, name: str = "") -> None:
    """The checks every main page passes; a screenshot when asked for."""
    fits(page)
    states_in_sight(page)
    violations = serious_violations(page)
    assert not violations, f"{page.url}: {violations}"
    folder = os.environ.get("NQ57_SCREENSHOTS")
    if folder and name:
        width = page.evaluate("window.innerWidth")
        slug = re.sub(r"[^\w.-]+", "-", name).strip("-")
        page.screenshot(path=str(Path(folder) / f"{slug}-{width}.png"), full_page=True)
