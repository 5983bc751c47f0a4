"""The dashboard on a small tree: who sees what, how many queries, and the static files' cache."""

from __future__ import annotations

import json
import re
import runpy
from datetime import date, datetime
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.staticfiles.finders import find, get_finders
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from dashboard.filters import DashboardFilters
from dashboard.queries import dashboard
from org.models import Unit, UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from org.tests.test_views import client_for
from periods.models import PeriodKind
from reporting import services as reporting_services
from tasks import forms as task_forms
from tasks import services
from tasks.forms import TaskFilterForm
from tasks.models import Area, Source, Task
from tasks.timeliness import Status
from tasks.trend import trend_points

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DASHBOARD = reverse("dashboard:dashboard")
HTMX = {"HTTP_HX_REQUEST": "true"}
# session (2), user's unit, scope, drill path, blocs, sources, assignments (with their tasks,
# sources and areas), programme groups, period, row units, required units, reports, indicator
# sets and indicators (≤ 7), trend (1), listed events and tasks, the results block (products as
# of the date, their money and units' kinds, the latest month, its round and grades: 6), session
# save and unread badge, the tasks edited since the trend's first point (tasks.history: with
# their edits and the rows these name when there are some), and for a past date the task edits
# made since: the same whatever the size of the data.
DASHBOARD_QUERIES = 35
# The home page: session, user and unit, visible units, what the unit owes, its verdicts,
# current period, tasks due soon, open reports (one query), the figures the unit reports,
# indicators (≤ 5), session save and unread badge: the same whatever the size of the data.
HOME_QUERIES = 21


# The headlines a migrated database has for this source (tasks/migrations/0005).
GROUPS = (("NQ57-TINH", "Nhiệm vụ của tỉnh", False), ("NQ57-TINH-NAM", "Nhiệm vụ năm {year}", True))


def add_tasks(
    people: People, units: list, first: int, count: int, source: Source, area: Area
) -> None:
    for n in range(first, first + count):
        task = services.create_task(
            actor=people.standing, lead_unit=units[0], code=f"T{n:03}", title=f"Nhiệm vụ {n}",
            source=source, area=area, year=2025, start_date=date(2025, 1, 1),
            deadline=date(2025, 6 + n % 6, 28), assignees=units,
        )  # fmt: skip
        if n % 3 == 0:
            services.record_status(
                actor=people.standing, assignment=task.assignments.first(),
                status=Status.PAUSED, effective_date=date(2025, 5, 1), reason="Chờ kinh phí",
            )  # fmt: skip


@pytest.fixture
def work(people: People, tree: Tree) -> tuple[Source, Area]:
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    for code, name, this_year_only in GROUPS:
        services.save_programme_group(
            actor=people.standing, code=code, name=name, sources=[source],
            this_year_only=this_year_only,
        )  # fmt: skip
    add_tasks(people, [tree.commune, tree.other_commune], 0, 3, source, area)
    add_tasks(people, [tree.dept], 3, 2, source, area)
    reporting_services.create_period(
        actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý III/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 25, tzinfo=TZ), due_at=datetime(2025, 10, 5, 17, tzinfo=TZ),
        units=[tree.commune, tree.other_commune, tree.dept],
    )  # fmt: skip
    return source, area


def queries_of(client: Client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(
    people: People, tree: Tree, work: tuple[Source, Area]
) -> None:
    leader, reporter = client_for(people.province_viewer), client_for(people.reporter)
    small = queries_of(leader, DASHBOARD), queries_of(reporter, reverse("home"))
    communes = [make_unit(tree.communes, f"X{n:02}", UnitType.COMMUNE) for n in range(20)]
    add_tasks(people, [tree.commune, *communes], 10, 30, *work)
    add_tasks(people, [tree.dept, tree.other_dept], 40, 10, *work)
    big = queries_of(leader, DASHBOARD), queries_of(reporter, reverse("home"))
    assert big == small, (small, big)
    assert big[0] <= DASHBOARD_QUERIES and big[1] <= HOME_QUERIES
    filtered = {"bloc": "K-XA", "unit_type": "phuong", "source": "NQ57-TINH", "year": "2025"}
    assert queries_of(leader, DASHBOARD, filtered) <= DASHBOARD_QUERIES


@pytest.mark.parametrize(
    ("person", "unit", "status"),
    [
        ("province_viewer", "", 200),
        ("province_viewer", "16690", 200),
        ("standing", "SKHCN", 200),
        ("reporter", "", 200),
        ("reporter", "16681", 200),
        ("reporter", "16690", 404),  # a neighbour is out of sight
        ("reporter", "P", 404),
        ("dept_reporter", "16681", 404),
        ("communes_admin", "SKHCN", 404),
        ("communes_admin", "16690", 200),
        ("standing", "NOPE", 404),
    ],
)
def test_access_matrix(
    people: People, work: tuple[Source, Area], person: str, unit: str, status: int
) -> None:
    response = client_for(getattr(people, person)).get(DASHBOARD, {"unit": unit} if unit else {})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("person", "bloc", "status"),
    [
        ("standing", "K-CQ", 200),
        ("communes_admin", "K-XA", 200),
        ("communes_admin", "K-CQ", 404),  # a bloc out of sight is not silently dropped
        ("reporter", "K-XA", 404),
        ("standing", "NOPE", 404),
    ],
)
def test_bloc_access_matrix(
    people: People, work: tuple[Source, Area], person: str, bloc: str, status: int
) -> None:
    response = client_for(getattr(people, person)).get(DASHBOARD, {"bloc": bloc})
    assert response.status_code == status


def test_blocs_of_several_provinces_are_labelled_with_their_province(
    people: People, tree: Tree
) -> None:
    other = make_unit(None, "P2", UnitType.PROVINCE, name="Tỉnh Hai")
    make_unit(other, "K2-XA", UnitType.BLOC, name="Khối xã")
    page = client_for(people.sysadmin).get(DASHBOARD).content.decode()
    assert "Khối xã (K2-XA) – Tỉnh Hai" in page and "Đơn vị K-XA (K-XA) – Đơn vị P<" in page
    own = client_for(people.province_viewer).get(DASHBOARD).content.decode()
    assert ">Đơn vị K-XA (K-XA)<" in own and "Tỉnh Hai" not in own  # one province: names alone


def test_commune_user_sees_its_own_figures_only(people: People, work: tuple[Source, Area]) -> None:
    board = dashboard(people.reporter, DashboardFilters(as_of=date(2025, 10, 2)))
    assert board.scope == people.reporter.unit and board.overall.total == 3
    assert [row.unit for row in board.communes] == [people.reporter.unit] and not board.agencies


def test_needs_login_and_is_get_only(people: People) -> None:
    response = Client().get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client_for(people.standing).post(DASHBOARD).status_code == 405


def test_htmx_gets_the_content_only_and_a_bad_date_falls_back_to_today(
    people: People, work: tuple[Source, Area]
) -> None:
    client = client_for(people.standing)
    response = client.get(DASHBOARD, {"as_of": "31/02/2025"}, **HTMX)
    partial = response.content.decode()
    assert "<html" not in partial and "Số liệu tính đến ngày 02/10/2025" in partial
    assert "HX-Request" in response["Vary"]  # caches keep the page and the partial apart
    # Back after hx-push-url with htmx's history cache missed: the same URL, the whole page.
    restore = client.get(DASHBOARD, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode() and "HX-Request" in restore["Vary"]
    page = client.get(DASHBOARD).content.decode()
    data = json.loads(
        page.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert len(data["trend"]) == 12 and data["areas"][0]["name"] == "Hạ tầng công nghệ"
    assert sum(s["value"] for s in data["states"]) == 5


def test_echarts_is_loaded_on_the_dashboard_only(people: People, work: tuple[Source, Area]) -> None:
    client = client_for(people.standing)
    script = re.compile(r'<script src="[^"]*/vendor/echarts/echarts\.common\.min\.js" defer>')
    assert len(script.findall(client.get(DASHBOARD).content.decode())) == 1
    assert not script.findall(client.get(reverse("home")).content.decode())


def test_chart_clicks_and_the_trend_table_lead_to_the_same_lists(
    people: People, work: tuple[Source, Area]
) -> None:
    client = client_for(people.standing)
    page = client.get(DASHBOARD, {"as_of": "30/09/2025"}).content.decode()
    data = json.loads(
        page.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    point = data["trend"][-1]
    href = point["href"]["not_on_time"]
    assert parse_qs(urlsplit(href).query)["as_of"] == ["30/09/2025"]
    assert escape(href) in page.split('data-testid="trend"')[1]  # the no-JS table links there
    listing = client.get(href).content.decode()
    assert f'data-testid="count-not_on_time">{point["not_on_time"]}<' in listing
    dates = [parse_qs(urlsplit(p["href"]["completed"]).query)["as_of"][0] for p in data["trend"]]
    assert len(set(dates)) == 12 and all(escape(d) in page for d in dates)  # each its own date
    area = data["areas"][0]["href"]["on_time"]
    assert parse_qs(urlsplit(area).query)["area"] == ["HT"]
    assert all(parse_qs(urlsplit(s["href"]).query)["state"] == [s["key"]] for s in data["states"])


def test_figures_link_to_the_task_list_with_the_filters(
    people: People, work: tuple[Source, Area]
) -> None:
    client = client_for(people.standing)
    filters = {"as_of": "30/09/2025", "bloc": "K-XA", "unit_type": "phuong", "year": "2025"}
    content = client.get(DASHBOARD, filters).content.decode()
    hrefs = [unescape(h) for h in re.findall(r'href="(/tasks/\?[^"]+)"', content)]
    assert hrefs
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert {k: query[k] for k in ("bloc", "unit_type", "year")} == {
            "bloc": ["K-XA"], "unit_type": ["phuong"], "year": ["2025"]
        }  # fmt: skip
    total = re.search(r'href="([^"]+)" data-testid="group-total">[^<]*<span[^>]*>(\d+)<', content)
    assert total is not None and total.group(2) == "3"
    listing = client.get(unescape(total.group(1))).content.decode()
    assert listing.count('data-testid="task-row"') == 3
    other = client.get(reverse("tasks:task_list"), {"unit_type": "so_nganh"}).content.decode()
    assert other.count('data-testid="task-row"') == 2


def production_storages(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """STORAGES as nq57/settings.py chooses them when DEBUG is off."""
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    configured: dict[str, Any] = runpy.run_path(str(settings.BASE_DIR / "nq57" / "settings.py"))
    return configured["STORAGES"]  # type: ignore[no-any-return]


def test_echarts_is_served_with_a_long_cache_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside DEBUG, static files get hashed names (the manifest storage, after collectstatic)
    and WhiteNoise serves a hashed name as immutable for ten years."""
    storages = production_storages(monkeypatch)
    backend = storages["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    name = "vendor/echarts/echarts.common.min.js"
    hashed = "vendor/echarts/echarts.common.min.0123456789ab.js"
    (tmp_path / "vendor/echarts").mkdir(parents=True)
    (tmp_path / hashed).write_text("/* echarts */")
    manifest = {"paths": {name: hashed}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=storages,
                           WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False):  # fmt: skip
        middleware = WhiteNoiseMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
        response = middleware(RequestFactory().get(f"/static/{hashed}"))
    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600 and "immutable" in response["Cache-Control"]


def test_only_the_one_echarts_build_is_a_static_file() -> None:
    """collectstatic copies the dashboard's ECharts build, not the 52 MB of dist/."""
    echarts = [
        path
        for finder in get_finders()
        for path, storage in finder.list([])
        if getattr(storage, "prefix", None) == "vendor/echarts"
    ]
    assert echarts == ["echarts.common.min.js"]
    assert find("vendor/echarts/echarts.common.min.js")


def test_the_query_refuses_a_unit_out_of_sight(people: People, tree: Tree) -> None:
    with pytest.raises(PermissionDenied):
        dashboard(people.reporter, DashboardFilters(as_of=date(2025, 10, 2), unit=tree.dept))


def unit_menu(units: QuerySet[Unit], chosen: str = "") -> list[str]:
    form = TaskFilterForm(QueryDict(f"unit={chosen}"), units=units)
    return [code for code, _label in form.fields["unit"].choices if code]  # type: ignore[attr-defined]


def test_the_task_list_unit_menu_offers_every_unit_of_a_small_tree(tree: Tree) -> None:
    assert unit_menu(Unit.objects.all()) == list(
        Unit.objects.order_by("path").values_list("code", flat=True)
    )


def test_a_large_tree_offers_the_top_two_levels_and_accepts_any_code(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task_forms, "UNIT_MENU_MAX", 3)  # seven units: "large"
    assert unit_menu(Unit.objects.all()) == ["P", "K-CQ", "K-XA"]
    assert unit_menu(Unit.objects.all(), "16690") == ["P", "K-CQ", "K-XA", "16690"]
    form = TaskFilterForm(QueryDict("unit=16681"), units=Unit.objects.all())
    assert form.is_valid() and form.cleaned_data["unit"] == tree.commune


def test_the_trend_counts_a_task_under_the_year_it_had_at_each_point(
    people: People, tree: Tree
) -> None:
    """Issue 14: a task moved from 2025 to 2026 today counts under 2025 at the month ends
    before (late since its deadline, 30/06) and under 2026 from today only."""
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    task = services.create_task(
        actor=people.standing, lead_unit=tree.dept, code="Y1", title="Nhiệm vụ Y1",
        source=source, area=area, year=2025, start_date=date(2025, 1, 1),
        deadline=date(2025, 6, 30),
    )  # fmt: skip
    today = date(2025, 10, 2)  # the suite's clock
    services.update_task(actor=people.standing, task=task, year=2026, reason="Chuyển năm")

    def late(year: int) -> list[tuple[date, int]]:
        board = dashboard(people.standing, DashboardFilters(as_of=today, year=year))
        return [(point.on, point.not_on_time) for point in board.trend]

    month_ends = {date(2025, 7, 31), date(2025, 8, 31), date(2025, 9, 30)}
    *before, now = trend_points(today)
    assert late(2025) == [(on, int(on in month_ends)) for on in before] + [(now, 0)]
    assert late(2026) == [(on, 0) for on in before] + [(now, 1)]


def test_tasks_edited_since_the_trend_began_cost_the_same_queries_however_many(
    people: People, tree: Tree, work: tuple[Source, Area]
) -> None:
    other = Source.objects.create(code="NQ71", name="Nghị quyết 71/NQ-CP")
    leader = client_for(people.province_viewer)
    filtered = {"source": "NQ57-TINH", "year": "2025"}

    def edit(codes: list[str]) -> None:
        """Move the tasks to 2026 and NQ71 in August, and back today: what the page shows of
        today stays, its trend reads their past."""
        for code in codes:
            task = Task.objects.get(code=code)
            moves = ((date(2025, 8, 15), 2026, other), (None, 2025, work[0]))
            for effective, year, source in moves:
                services.update_task(
                    actor=people.standing, task=task, year=year, source=source,
                    effective_on=effective, reason="Điều chỉnh",
                )  # fmt: skip

    edit(["T000"])
    one = queries_of(leader, DASHBOARD), queries_of(leader, DASHBOARD, filtered)
    edit(["T001", "T002", "T003", "T004"])
    assert (queries_of(leader, DASHBOARD), queries_of(leader, DASHBOARD, filtered)) == one
    assert max(one) <= DASHBOARD_QUERIES
