"""The dashboard's rules on a small tree: ranks per table, this period, what a unit's own
accounts see below it, the reasons on the red list, and the task filter's deadline window."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from dashboard.filters import DashboardFilters
from dashboard.home import DUE_SOON, home_summary
from dashboard.queries import UnitRow, _rank, dashboard
from dashboard.tests.test_dashboard import TZ, work  # noqa: F401  (fixture)
from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from periods.calendar import current_period
from periods.models import PeriodKind
from reporting import services as reporting_services
from tasks import services
from tasks.models import Area, Source, Task
from tasks.queries import Counts, TaskFilter, task_stats, units_in_sight
from tasks.timeliness import Status

pytestmark = pytest.mark.usefixtures("work")  # tasks, and the quarter Q3 opened on 25/09

TODAY = date(2025, 10, 2)  # nq57.testing.NOW


def row(tree: Tree, total: int, completed: int, on_time: int) -> UnitRow:
    counts = Counts(total=total, completed=completed, completed_on_time=completed, on_time=on_time)
    return UnitRow(tree.commune, counts)


def test_ties_share_a_rank_and_the_next_place_is_skipped(tree: Tree) -> None:
    rows = [
        row(tree, 4, 1, 1),  # 50 %, 1 completed
        row(tree, 4, 2, 2),  # 100 %, 2 completed
        row(tree, 2, 1, 0),  # 50 %, 1 completed: same key as the first
        row(tree, 4, 0, 1),  # 25 %
        row(tree, 0, 0, 0),  # no task: not ranked
        row(tree, 4, 2, 0),  # 50 %, 2 completed: ahead of the 50 % with one
    ]
    _rank(rows)
    assert [r.rank for r in rows] == [3, 1, 3, 5, 0, 2]


def test_each_table_is_ranked_on_its_own(people: People, tree: Tree) -> None:
    board = dashboard(people.province_viewer, DashboardFilters(as_of=TODAY))
    for table in (board.agencies, board.communes):
        ranks = sorted(r.rank for r in table if r.rank)
        assert ranks and ranks[0] == 1, [(r.unit.code, r.rank) for r in table]


def quarter(people: People, tree: Tree, code: str, starts_on: date, opens_on: date) -> None:
    reporting_services.create_period(
        actor=people.standing, code=code, kind=PeriodKind.QUARTER, title=code,
        starts_on=starts_on, ends_on=starts_on + timedelta(days=91),
        opens_at=datetime(opens_on.year, opens_on.month, opens_on.day, tzinfo=TZ),
        due_at=datetime(opens_on.year, opens_on.month, opens_on.day, tzinfo=TZ) + timedelta(10),
        units=[tree.commune],
    )  # fmt: skip


def test_this_period_is_the_latest_opened_not_a_quarter_created_ahead(
    people: People, tree: Tree
) -> None:
    # Q3 (from `work`) opens 25/09; Q4 already exists, started 01/10 but opens only 25/12.
    quarter(people, tree, "2025-Q4", date(2025, 10, 1), date(2025, 12, 25))
    reporting_services.create_period(
        actor=people.standing, code="2025-09", kind=PeriodKind.MONTH, title="Tháng 9/2025",
        starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 30),
        opens_at=datetime(2025, 9, 28, tzinfo=TZ), due_at=datetime(2025, 10, 3, tzinfo=TZ),
        units=[tree.commune],
    )  # fmt: skip
    assert current_period(TODAY).code == "2025-Q3"  # quarters before months
    assert current_period(date(2025, 12, 25)).code == "2025-Q4"  # opens that day
    assert current_period(date(2025, 9, 28)).code == "2025-Q3"
    assert current_period(date(2025, 9, 24)) is None  # nothing open yet
    board = dashboard(people.province_viewer, DashboardFilters(as_of=TODAY))
    assert board.period is not None and board.period.code == "2025-Q3"


def test_a_month_when_no_quarter_has_opened(people: People, tree: Tree) -> None:
    quarter(people, tree, "2025-Q4", date(2025, 10, 1), date(2025, 12, 25))
    reporting_services.create_period(
        actor=people.standing, code="2025-08", kind=PeriodKind.MONTH, title="Tháng 8/2025",
        starts_on=date(2025, 8, 1), ends_on=date(2025, 8, 31),
        opens_at=datetime(2025, 9, 1, tzinfo=TZ), due_at=datetime(2025, 9, 5, tzinfo=TZ),
        units=[tree.commune],
    )  # fmt: skip
    period = current_period(date(2025, 9, 10))  # Q3 opens on 25/09
    assert period is not None and period.code == "2025-08"


@pytest.fixture
def below(people: People, tree: Tree) -> Source:
    """A reporting unit under the department, whose pause makes a shared task late."""
    office = make_unit(tree.dept, "PHONG", UnitType.DEPARTMENT)
    source, area = Source.objects.get(code="NQ57-TINH"), Area.objects.get(code="HT")
    task = services.create_task(
        actor=people.standing, lead_unit=office, code="P01", title="Việc của phòng",
        source=source, area=area, year=2025, start_date=date(2025, 1, 1),
        deadline=date(2025, 12, 31), assignees=[office, tree.dept],
    )  # fmt: skip
    services.record_status(
        actor=people.standing, assignment=task.assignments.get(unit=office),
        status=Status.PAUSED, effective_date=date(2025, 9, 1), reason="Bí mật của phòng",
    )  # fmt: skip
    return source


def test_a_unit_reporter_sees_no_unit_below_its_own(
    people: People, tree: Tree, below: Source
) -> None:
    reporter = people.dept_reporter
    board = dashboard(reporter, DashboardFilters(as_of=TODAY))
    codes = {r.unit.code for r in board.agencies + board.communes}
    assert codes == {"SKHCN"}
    # The office's paused assignment is not counted, nor its reason shown: the figures are the
    # task list's with the same rule (`units_in_sight`).
    expected = task_stats(
        as_of=TODAY, flt=TaskFilter(unit=tree.dept, subtree=True), units=units_in_sight(reporter)
    )
    assert board.overall == Counts.of(expected)
    assert all(item.reason != "Bí mật của phòng" for item in board.red + board.at_risk)
    assert board.overall.not_on_time == len(expected.items["not_on_time"])
    # The province's reader sees the office and its late task.
    province = dashboard(people.province_viewer, DashboardFilters(as_of=TODAY))
    assert "PHONG" in {r.unit.code for r in province.agencies}
    assert "Bí mật của phòng" in {item.reason for item in province.red}


def test_the_red_list_reason_comes_from_the_late_assignee(people: People, tree: Tree) -> None:
    source, area = Source.objects.get(code="NQ57-TINH"), Area.objects.get(code="HT")
    task = services.create_task(
        actor=people.standing, lead_unit=tree.dept, code="R01", title="Hai xã",
        source=source, area=area, year=2025, start_date=date(2025, 1, 1),
        deadline=date(2025, 12, 31), assignees=[tree.commune, tree.other_commune],
    )  # fmt: skip
    first, second = task.assignments.order_by("pk")
    services.record_status(
        actor=people.standing, assignment=first, status=Status.COMPLETED,
        effective_date=date(2025, 8, 1), progress=100, reason="Ghi chú cũ đã xong",
        evidence_link="https://example.org/bien-ban",
    )  # fmt: skip
    services.record_status(
        actor=people.standing, assignment=second, status=Status.PAUSED,
        effective_date=date(2025, 9, 1), reason="Chờ kinh phí của xã",
    )  # fmt: skip
    board = dashboard(people.province_viewer, DashboardFilters(as_of=TODAY))
    listed = {item.task.code: item for item in board.red}
    assert listed["R01"].reason == "Chờ kinh phí của xã"


def test_due_by_and_due_from_narrow_the_tasks_by_deadline(people: People, tree: Tree) -> None:
    everything = task_stats(as_of=TODAY)
    window = task_stats(
        as_of=TODAY, flt=TaskFilter(due_from=date(2025, 7, 1), due_by=date(2025, 8, 31))
    )
    deadlines = dict(Task.objects.values_list("code", "deadline"))
    codes = set(Task.objects.filter(pk__in=window.items["total"]).values_list("code", flat=True))
    assert codes == {c for c, d in deadlines.items() if date(2025, 7, 1) <= d <= date(2025, 8, 31)}
    assert 0 < len(window.items["total"]) < len(everything.items["total"])
    assert task_stats(as_of=TODAY, flt=TaskFilter()).counts == everything.counts


def test_home_counts_are_the_task_list_link_counts(
    people: People, tree: Tree, below: Source
) -> None:
    source, area = below, Area.objects.get(code="HT")
    services.create_task(
        actor=people.standing, lead_unit=tree.dept, code="S01", title="Sắp đến hạn",
        source=source, area=area, year=2025, start_date=date(2025, 1, 1),
        deadline=TODAY + timedelta(days=20), assignees=[tree.dept],
    )  # fmt: skip
    reporter = people.dept_reporter
    work_ = home_summary(reporter, TODAY).work
    assert work_ is not None
    sight = units_in_sight(reporter)
    listed = task_stats(as_of=TODAY, flt=TaskFilter(unit=tree.dept, subtree=True), units=sight)
    assert work_.counts == Counts.of(listed)
    assert work_.overdue == len(listed.items["overdue"])
    soon = TaskFilter(unit=tree.dept, subtree=True, due_by=TODAY + DUE_SOON)
    assert work_.due_soon == len(task_stats(as_of=TODAY, flt=soon, units=sight).items["on_time"])
    assert work_.due_soon >= 1
