"""The dashboard checked by hand, on the Nghệ An demo: each unit row's % on time worked out from
its own columns, ranks in order with ties shown (1, 2, 2, 4), the same indicator count as the
indicator page, the red list's reasons and days overdue."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from org.models import User
from org.tests.test_views import client_for
from periods.models import Period

pytestmark = pytest.mark.clock("2026-01-05T09:00")

DASHBOARD = reverse("dashboard:dashboard")
COLUMNS = ("total", "completed_on_time", "completed_late", "on_time", "not_on_time")


def page(as_of: str = "30/09/2025") -> str:
    leader = User.objects.get(username="lanhdao")
    response = client_for(leader).get(DASHBOARD, {"as_of": as_of})
    assert response.status_code == 200
    return response.content.decode()


def number(found: re.Match[str] | None) -> int:
    assert found is not None
    return int(found.group(1).replace(".", ""))


def rows(content: str, table: str) -> list[dict[str, object]]:
    body = content.split(f'data-testid="units-{table}"')[1].split("</table>")[0]
    found = []
    for row in re.findall(r'<tr data-testid="unit-row".*?</tr>', body, re.S):
        figures = {
            key: int(
                re.search(rf'data-testid="unit-{key}">([\d.]+)<', row).group(1).replace(".", "")
            )  # type: ignore[union-attr]
            for key in COLUMNS
        }
        rank = re.search(r'data-testid="rank">([^<]+)<', row).group(1)  # type: ignore[union-attr]
        pct = re.search(r'data-testid="unit-pct">([^<]+)<', row).group(1)  # type: ignore[union-attr]
        found.append(figures | {"rank": rank, "pct": pct})
    return found


@pytest.mark.parametrize("table", ["agencies", "communes"])
def test_each_rows_percentage_is_worked_out_from_its_columns(
    db: None, demo_data: None, table: str
) -> None:
    listed = rows(page(), table)
    assert len(listed) > 20
    for row in listed:
        total = row["total"]
        parts = sum(row[key] for key in COLUMNS[1:])  # type: ignore[misc]
        assert parts == total, row
        if total:
            pct = 100 * (row["completed_on_time"] + row["on_time"]) / total  # type: ignore[operator]
            shown = f"{pct:.1f}".replace(".", ",").removesuffix(",0") + "%"
            assert row["pct"] == shown, row


@pytest.mark.parametrize("table", ["agencies", "communes"])
def test_ranks_are_in_order_with_ties_sharing_a_place(
    db: None, demo_data: None, table: str
) -> None:
    ranks = [r["rank"] for r in rows(page(), table)]
    ranked = [int(r) for r in ranks if r != "—"]  # type: ignore[arg-type]
    assert ranked == sorted(ranked) and ranked[0] == 1
    assert ranks[: len(ranked)] == [str(r) for r in ranked]  # the unranked come last
    for place, rank in enumerate(ranked, start=1):  # competition ranking: 1, 2, 2, 4
        assert rank == place or rank == ranked[place - 2]


def test_the_indicator_count_is_the_indicator_pages(db: None, demo_data: None) -> None:
    # The demo's figures are stored the day it is loaded, where its own quarter is the current
    # one: without it, the dashboard of that day reads 2025-Q3, the quarter with figures.
    later = datetime(2026, 2, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    Period.objects.filter(code__in=["2026-01", "2026-Q1"]).update(opens_at=later)
    board = page("05/01/2026")
    counted = re.search(r'data-testid="achievement-counts">([^<]+)<', board)
    assert counted is not None
    leader = User.objects.get(username="lanhdao")
    indicators = client_for(leader).get(
        reverse("indicators:list"), {"period": "2025-Q3", "as_of": "05/01/2026"}
    )
    same = re.search(r'data-testid="achievement-counts">(.+?)</p>', indicators.content.decode())
    assert same is not None
    ours = re.findall(r"(\d+)/(\d+) chỉ tiêu ([\d–]+)", counted.group(1))
    theirs = re.findall(r"(\d+)/(\d+) chỉ tiêu ([\d–]+)", same.group(1))
    assert ours and ours == theirs and int(ours[0][0]) > 0


def test_the_red_list_says_why_and_how_late(db: None, demo_data: None) -> None:
    content = page("30/09/2025")
    red = content.split('data-testid="list-not_on_time"')[1].split("</ul>")[0]
    items = re.findall(r'data-testid="listed-task">(.*?)</li>', red, re.S)
    assert items and any('data-testid="days-overdue"' in item for item in items)
    for item in items:
        assert 'data-testid="reason"' in item
        late = re.search(r"quá hạn (\d+) ngày", item)
        deadline = re.search(r"hạn (\d\d)/(\d\d)/(\d{4})", item)
        if late and deadline:
            day, month, year = (int(x) for x in deadline.groups())
            assert int(late.group(1)) == (date(2025, 9, 30) - date(year, month, day)).days
