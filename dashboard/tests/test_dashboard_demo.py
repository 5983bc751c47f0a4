"""Every dashboard figure against task_stats, on the Nghệ An demo (loaded once for the module)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.filters import DashboardFilters
from dashboard.home import home_summary
from dashboard.queries import dashboard
from dashboard.tests.test_dashboard import DASHBOARD_QUERIES, HOME_QUERIES
from indicators.queries import indicator_values
from org.models import Unit, User
from org.tests.test_views import client_for
from periods.calendar import current_period
from tasks.models import Area, Task
from tasks.queries import Counts, TaskFilter, TaskStats, task_stats, tasks_visible_to
from tasks.trend import trend_points

pytestmark = pytest.mark.clock("2026-01-05T09:00")

DATES = [date(2025, 9, 30), date(2026, 1, 2)]
DASHBOARD = reverse("dashboard:dashboard")


def user(username: str) -> User:
    return User.objects.select_related("unit", "scope").get(username=username)


def stats(who: User, as_of: date, **flt: object) -> TaskStats:
    return task_stats(
        as_of=as_of,
        flt=TaskFilter(subtree=True, **flt),
        tasks=tasks_visible_to(who),  # type: ignore[arg-type]
    )


def counts(result: TaskStats) -> Counts:
    return Counts.of(result)


@pytest.mark.parametrize("as_of", DATES)
def test_headlines_areas_and_states_equal_task_stats(
    db: None, demo_data: None, as_of: date
) -> None:
    leader = user("lanhdao")
    province = Unit.objects.get(code="40")
    board = dashboard(leader, DashboardFilters(as_of=as_of))
    assert board.scope == province
    expected_groups = [
        ("NQ57-TINH", None),
        ("NQ57-TINH", as_of.year),
        ("NQ71", None),
        ("CDS-DANG", None),
    ]
    present = [(g.source, g.year) for g in board.groups]
    for source, year in expected_groups:
        expected = counts(stats(leader, as_of, unit=province, source=source, year=year))
        if expected.total:
            assert board.groups[present.index((source, year))].counts == expected
        else:
            assert (source, year) not in present  # a group with no task is skipped
    overall = stats(leader, as_of, unit=province)
    assert board.overall == counts(overall)
    assert board.by_state == {
        key: len(ids)
        for key, ids in overall.items.items()
        if ids and key in {v.timeliness.value for v in overall.verdicts.values()}
    }
    for row in board.by_area:
        assert row.counts == counts(stats(leader, as_of, unit=province, area=row.area.code))
    assert sum(r.counts.total for r in board.by_area) == board.overall.total
    assert {r.area.pk for r in board.by_area} <= set(Area.objects.values_list("pk", flat=True))


def test_demo_figures_of_the_model_report(db: None, demo_data: None) -> None:
    board = dashboard(user("lanhdao"), DashboardFilters(as_of=date(2025, 9, 30)))
    figures = [
        (g.counts.completed, g.counts.on_time, g.counts.not_on_time, g.counts.total)
        for g in board.groups
    ]
    assert figures[:3] == [(40, 53, 9, 102), (38, 43, 1, 82), (10, 10, 1, 21)]
    assert board.groups[3].counts.total == 43


@pytest.mark.parametrize("as_of", DATES)
def test_unit_rows_and_lists_equal_task_stats(db: None, demo_data: None, as_of: date) -> None:
    leader = user("lanhdao")
    board = dashboard(leader, DashboardFilters(as_of=as_of))
    assert len(board.communes) == 130 and board.agencies
    for row in board.agencies + board.communes:
        assert row.counts == counts(stats(leader, as_of, unit=row.unit)), row.unit.code
    for table in (board.agencies, board.communes):  # each table ranked on its own, ties shared
        ranked = [r for r in table if r.rank]
        keys = sorted((r.counts.pct_on_time or 0, r.counts.completed) for r in ranked)[::-1]
        assert sorted(r.rank for r in ranked) == [keys.index(k) + 1 for k in keys]
        assert ranked and min(r.rank for r in ranked) == 1
    overall = stats(leader, as_of, unit=board.scope)
    for listed, key in ((board.red, "not_on_time"), (board.at_risk, "at_risk")):
        ids = set(overall.items[key])
        assert {item.task.pk for item in listed} <= ids
        assert len(listed) == min(20, len(ids))
    if as_of == DATES[0]:  # by January every late task of the demo has been finished
        assert any(item.reason for item in board.red)  # paused and proposed removals say why


@pytest.mark.parametrize(
    ("as_of", "code"),
    [(date(2025, 12, 15), "2025-Q3"), (date(2026, 1, 2), "2026-Q1")],  # the demo's "today" quarter
)
def test_report_states_follow_the_period_of_the_date(
    db: None, demo_data: None, as_of: date, code: str
) -> None:
    board = dashboard(user("lanhdao"), DashboardFilters(as_of=as_of))
    assert board.period is not None and board.period == current_period(as_of)
    assert board.period.code == code
    states = {row.unit.code: row.report_state for row in board.communes}
    assert states["16681"] is not None and set(states.values()) - {None}


@pytest.mark.parametrize(
    ("bloc", "unit_type", "source", "year"),
    [
        ("KHOI-XA", None, None, None),
        (None, "so_nganh", None, None),
        (None, None, "NQ71", None),
        (None, None, "NQ57-TINH", 2025),
        ("KHOI-CQ", "so_nganh", "NQ57-TINH", 2025),
    ],
)
def test_filters_equal_task_stats(
    db: None,
    demo_data: None,
    bloc: str | None,
    unit_type: str | None,
    source: str | None,
    year: int | None,
) -> None:
    leader = user("lanhdao")
    as_of = DATES[0]
    bloc_unit = Unit.objects.get(code=bloc) if bloc else None
    filters = DashboardFilters(
        as_of=as_of, bloc=bloc_unit, unit_type=unit_type, source=source, year=year
    )
    board = dashboard(leader, filters)
    flt = {
        "unit": board.scope,
        "bloc": bloc_unit,
        "unit_type": unit_type,
        "source": source,
        "year": year,
    }
    expected = stats(leader, as_of, **flt)
    assert board.overall == counts(expected) and board.overall.total
    for row in board.agencies + board.communes:
        assert row.counts == counts(stats(leader, as_of, **(flt | {"unit": row.unit}))), (
            row.unit.code
        )
        assert unit_type is None or row.unit.unit_type == unit_type


@pytest.mark.parametrize("as_of", DATES)  # the first: statuses change after it (Q4)
def test_trend_points_equal_task_stats_at_each_month_end(
    db: None, demo_data: None, as_of: date
) -> None:
    leader = user("lanhdao")
    board = dashboard(leader, DashboardFilters(as_of=as_of))
    assert [p.on for p in board.trend] == trend_points(as_of)
    assert board.trend[-1].on == as_of and board.trend[0].on == trend_points(as_of)[0]
    for point in board.trend[::3] + board.trend[-2:]:
        expected = counts(stats(leader, point.on, unit=board.scope))
        assert (point.completed, point.not_on_time) == (expected.completed, expected.not_on_time)


def test_drill_down_to_a_commune_and_its_figures(db: None, demo_data: None) -> None:
    leader = user("lanhdao")
    commune = Unit.objects.get(code="16681")
    board = dashboard(leader, DashboardFilters(as_of=DATES[0], unit=commune))
    assert board.scope == commune and [u.code for u in board.drill_path] == [
        "40",
        "KHOI-XA",
        "16681",
    ]
    assert board.overall == counts(stats(leader, DATES[0], unit=commune))
    assert [r.unit for r in board.communes] == [commune]


def test_commune_user_sees_only_its_own(db: None, demo_data: None) -> None:
    reporter = user("bc.16681")
    board = dashboard(reporter, DashboardFilters(as_of=DATES[0]))
    assert board.scope == reporter.unit
    assert board.overall == counts(stats(reporter, DATES[0], unit=reporter.unit))
    client = client_for(reporter)
    assert client.get(DASHBOARD, {"unit": "16690"}).status_code == 404
    assert client.get(DASHBOARD, {"unit": "SKHCN"}).status_code == 404
    assert client.get(DASHBOARD, {"unit": "16681"}).status_code == 200


def test_red_count_links_to_exactly_its_tasks(db: None, demo_data: None) -> None:
    leader = user("lanhdao")
    client = client_for(leader)
    content = client.get(DASHBOARD, {"as_of": "30/09/2025"}).content.decode()
    hrefs = re.findall(r'href="([^"]+)"[^>]*data-testid="group-not_on_time"', content)
    assert len(hrefs) == 4
    href = unescape(hrefs[0])
    query = parse_qs(urlsplit(href).query)
    assert query["state"] == ["not_on_time"] and query["as_of"] == ["30/09/2025"]
    listing = client.get(href + "&sort=code").content.decode()
    codes = re.findall(
        r'data-testid="task-row">\s*<td class="text-nowrap"><a href="[^"]+">([^<]+)</a>', listing
    )
    expected = stats(leader, DATES[0], unit=Unit.objects.get(code="40"), source="NQ57-TINH")
    wanted = sorted(
        Task.objects.filter(pk__in=expected.items["not_on_time"]).values_list("code", flat=True)
    )
    assert codes == wanted and len(codes) == 9


def test_page_is_light_and_queries_are_bounded(db: None, demo_data: None) -> None:
    client = client_for(user("lanhdao"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, {"as_of": "02/01/2026"})
    assert response.status_code == 200
    assert len(queries) <= DASHBOARD_QUERIES
    assert len(response.content) < 300 * 1024
    assert b"echarts.common.min.js" in response.content
    reporter = client_for(user("bc.16681"))
    with CaptureQueriesContext(connection) as queries:
        assert reporter.get(reverse("home")).status_code == 200
    assert len(queries) <= HOME_QUERIES


def test_unit_home_counts_equal_task_stats(db: None, demo_data: None) -> None:
    reporter = user("bc.16681")
    today = date(2026, 1, 5)
    work = home_summary(reporter, today).work
    assert work is not None
    expected = task_stats(as_of=today, flt=TaskFilter(unit=reporter.unit))
    assert work.counts == counts(expected)
    assert work.overdue == len(expected.items["overdue"])
    assert work.indicators and work.period is not None
    # Its own indicators: those its figures feed, not the province's whole list.
    every = indicator_values(work.period, reporter.unit, subtree=False)
    assert [r.code for r in work.indicators] == [r.code for r in every if r.coverage.required]
    assert len(work.indicators) < len(every)


FIGURE = re.compile(r"\d{1,3}(?:\.\d{3})*")


def figure_of(text: str) -> int:
    """The last number in a link's text (a heading may carry a year before it): "4.080" → 4080."""
    return int(FIGURE.findall(text)[-1].replace(".", ""))


def test_every_figure_on_the_dashboard_equals_its_task_list(db: None, demo_data: None) -> None:
    """Headlines, areas, states, unit rows, the trend table and "xem tất cả": each link opens
    the task list, whose count for the link's state is the number the link shows."""
    client = client_for(user("lanhdao"))
    page = client.get(DASHBOARD, {"as_of": "30/09/2025"}).content.decode()
    links = re.findall(r'<a [^>]*href="(/tasks/\?[^"]+)"[^>]*>(.*?)</a>', page, re.S)
    figures = {unescape(href): figure_of(re.sub(r"<[^>]+>", "", text)) for href, text in links}
    assert len(figures) > 400  # 130 communes alone give 390
    for href, shown in figures.items():
        state = parse_qs(urlsplit(href).query).get("state", ["total"])[0]
        listing = client.get(href).content.decode()
        count = re.search(rf'data-testid="count-{state}">([\d.]+)<', listing)
        assert count is not None and int(count.group(1).replace(".", "")) == shown, href
