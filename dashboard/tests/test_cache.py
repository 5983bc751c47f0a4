"""The cached dashboard: a hit costs a few small queries, and every write to what it shows gives
the next reading fresh figures (never a stale one). Committed data only: these tests run outside
a wrapping transaction, since inside one the dashboard is computed, not cached."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.filters import DashboardFilters
from dashboard.queries import Dashboard, dashboard
from dashboard.tests.test_dashboard import work  # noqa: F401  (fixture)
from indicators import services as indicator_services
from indicators.models import ValueType
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from tasks import services
from tasks.models import ProgrammeGroup, Task
from tasks.timeliness import Status

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("work")]

AS_OF = date(2025, 10, 2)
HIT_QUERIES = 12  # the drill path and the data version; nothing grows with the data


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def read(people: People) -> Dashboard:
    return dashboard(people.province_viewer, DashboardFilters(as_of=AS_OF))


def test_a_hit_costs_a_few_queries_and_gives_the_same_figures(people: People, tree: Tree) -> None:
    with CaptureQueriesContext(connection) as computed:
        first = read(people)
    with CaptureQueriesContext(connection) as hit:
        again = read(people)
    assert len(hit) <= HIT_QUERIES < len(computed)
    assert again.overall == first.overall and again.trend == first.trend
    assert [r.task.code for r in again.red] == [r.task.code for r in first.red]


def test_a_new_status_shows_at_once(people: People, tree: Tree) -> None:
    before = read(people).overall
    pause_t004(people, date(2025, 9, 1))
    after = read(people)
    assert after.overall.not_on_time == before.not_on_time + 1
    assert "T004" in [r.task.code for r in after.red]


def test_an_edited_task_shows_at_once(people: People, tree: Tree) -> None:
    red = {r.task.code: r.task.title for r in read(people).red}
    assert red["T000"] == "Nhiệm vụ 0"
    task = Task.objects.get(code="T000")
    # Same length, same row count, same ids: only the content tells the change.
    services.update_task(actor=people.standing, task=task, title="Nhiệm vụ 9")
    assert {r.task.code: r.task.title for r in read(people).red}["T000"] == "Nhiệm vụ 9"
    on_time = Task.objects.get(code="T004")
    services.update_task(actor=people.standing, task=on_time, deadline=date(2025, 9, 1))
    assert "T004" in [r.task.code for r in read(people).red]


def test_an_edited_programme_group_shows_at_once(people: People, tree: Tree) -> None:
    assert [g.title for g in read(people).groups] == ["Nhiệm vụ của tỉnh", "Nhiệm vụ năm 2025"]
    group = ProgrammeGroup.objects.get(code="NQ57-TINH-NAM")
    sources = list(group.sources.all())
    services.save_programme_group(
        actor=people.standing, code=group.code, name="Nhiệm vụ trong năm {year}",
        sources=sources, this_year_only=True,
    )  # fmt: skip
    assert [g.title for g in read(people).groups][1] == "Nhiệm vụ trong năm 2025"


def test_a_new_indicator_value_shows_at_once(people: People, tree: Tree) -> None:
    element = indicator_services.create_element(
        actor=people.standing, code="E1", name="Số xã có 5G", value_type=ValueType.COUNT,
        period_kind=PeriodKind.QUARTER,
    )  # fmt: skip
    indicator_services.create_indicator(
        actor=people.standing, code="I1", name="Số xã có 5G", formula="E1",
        period_kind=PeriodKind.QUARTER, legal_source="Quyết định 1",
    )  # fmt: skip
    assert [r.value for r in read(people).indicators] == [None]
    indicator_services.record_value(
        actor=people.reporter, unit=tree.commune, period=Period.objects.get(code="2025-Q3"),
        element=element, value=5,
    )  # fmt: skip
    assert [r.value for r in read(people).indicators] == [Decimal(5)]


def pause_t004(people: People, on: date) -> None:
    task = Task.objects.get(code="T004")  # due 28/10/2025: on time until now
    services.record_status(
        actor=people.standing, assignment=task.assignments.first(), status=Status.PAUSED,
        effective_date=on, reason="Chờ kinh phí",
    )  # fmt: skip


def test_todays_status_keeps_the_cached_past_of_the_trend(people: People, tree: Tree) -> None:
    before = read(people).trend
    pause_t004(people, AS_OF)
    with CaptureQueriesContext(connection) as reused:
        trend = read(people).trend
    cache.clear()
    with CaptureQueriesContext(connection) as computed:
        assert read(people).trend == trend
    changes = [q for q in computed.captured_queries if "previous_status" in q["sql"]]
    assert len(changes) == 1  # the past points' query, spared when they are reused:
    assert not [q for q in reused.captured_queries if "previous_status" in q["sql"]]
    assert trend[:-1] == before[:-1]
    assert trend[-1].not_on_time == before[-1].not_on_time + 1


def test_a_back_dated_status_changes_the_past_of_the_trend(people: People, tree: Tree) -> None:
    before = {p.on: p.not_on_time for p in read(people).trend}
    pause_t004(people, date(2025, 8, 15))
    trend = read(people).trend
    after = {p.on: p.not_on_time for p in trend}
    assert after[date(2025, 7, 31)] == before[date(2025, 7, 31)]
    assert after[date(2025, 8, 31)] == before[date(2025, 8, 31)] + 1
    assert after[date(2025, 9, 30)] == before[date(2025, 9, 30)] + 1
    cache.clear()
    assert read(people).trend == trend
