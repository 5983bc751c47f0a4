"""What reporting reads: visible reports and periods, the board and its export, what a unit owes."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory, make_unit
from periods import calendar
from periods.models import Period, PeriodKind
from periods.queries import periods_visible_to
from reporting import services
from reporting.models import ReportState
from reporting.queries import (
    BOARD_HEADERS,
    BOARD_STATES,
    OwedItem,
    board,
    board_workbook,
    owed_by,
    reports_visible_to,
)
from tasks import services as task_services
from tasks.models import Area, Source
from tasks.timeliness import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2025, 10, 5, 17, 0, tzinfo=TZ)
TODAY = date(2025, 10, 2)


def make_period(people: People, code: str, units, **dates) -> Period:
    first, last = calendar.period_dates(code)
    values = {
        "starts_on": first, "ends_on": last,
        "opens_at": datetime(2025, 9, 25, tzinfo=TZ), "due_at": DUE,
    }  # fmt: skip
    values.update(dates)
    kind = PeriodKind.QUARTER if "-Q" in code else PeriodKind.MONTH
    return services.create_period(
        actor=people.standing, code=code, kind=kind, title=f"Kỳ {code}", units=units, **values
    )


@pytest.fixture
def period(people: People, tree: Tree) -> Period:
    return make_period(people, "2025-Q3", [tree.commune, tree.other_commune, tree.dept])


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def walk(people: People, report, *moves: str, comment: str = "Bổ sung"):
    actors = {"submit": people.reporter, "approve": people.head, "receive": people.standing}
    for move in moves:
        if move == "return":
            report = services.return_report(actor=people.head, report=report, comment=comment)
        else:
            report = getattr(services, f"{move}_report")(actor=actors[move], report=report)
    return report


# --- visibility ------------------------------------------------------------------------------


def test_reports_and_periods_follow_visible_units(people: People, tree: Tree, period) -> None:
    own = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    other = services.start_report(
        actor=people.other_reporter, unit=tree.other_commune, period=period
    )
    dept = services.start_report(actor=people.dept_reporter, unit=tree.dept, period=period)
    assert list(reports_visible_to(people.reporter)) == [own]
    assert set(reports_visible_to(people.communes_admin)) == {own, other}
    assert set(reports_visible_to(people.province_viewer)) == {own, other, dept}

    depts_only = make_period(people, "2025-08", [tree.dept, tree.other_dept])
    empty = make_period(people, "2025-07", [])
    assert list(periods_visible_to(people.reporter)) == [period]
    assert list(periods_visible_to(people.dept_reporter)) == [depts_only, period]
    # A period no unit reports on is the province's own: whoever sees the tree's root reads it.
    assert set(periods_visible_to(people.province_viewer)) == {period, depts_only, empty}
    assert set(periods_visible_to(people.standing)) == {period, depts_only, empty}


# --- the board -------------------------------------------------------------------------------


def test_board_shows_every_required_unit_with_state_times_and_late(
    people: People, tree: Tree, period
) -> None:
    late_reporter = UserFactory(username="bcs2", unit=tree.other_dept, role="reporter")
    period.required_units.add(tree.other_dept)
    commune = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    with at(datetime(2025, 10, 3, 8, 0, tzinfo=TZ)):
        commune = walk(people, commune, "submit")
    with at(datetime(2025, 10, 4, 10, 30, tzinfo=TZ)):
        commune = walk(people, commune, "return")  # first submitted on time: stays on time
    services.start_report(actor=people.other_reporter, unit=tree.other_commune, period=period)
    late = services.start_report(actor=late_reporter, unit=tree.other_dept, period=period)
    with at(DUE + timedelta(minutes=1)):
        services.submit_report(actor=late_reporter, report=late)

    with at(DUE - timedelta(hours=1)):
        before = {row.unit.code: row for row in board(period)}
    assert [r.state for r in before.values()] == ["not_started", "submitted", "returned", "draft"]
    assert not any(r.is_late for code, r in before.items() if code != "SYT")

    with at(DUE + timedelta(days=1)):
        rows = board(period)
    assert [row.unit.code for row in rows] == ["SKHCN", "SYT", "16681", "16690"]  # tree order
    by_code = {row.unit.code: row for row in rows}
    skhcn, syt, ward, draft = (by_code[c] for c in ("SKHCN", "SYT", "16681", "16690"))
    assert (skhcn.state, skhcn.report, skhcn.is_late) == ("not_started", None, True)
    assert skhcn.state_label == "Chưa bắt đầu" and skhcn.first_submitted_at is None
    assert (syt.state, syt.is_late, syt.first_submitted_at) == (
        "submitted", True, DUE + timedelta(minutes=1)
    )  # fmt: skip
    assert (ward.state, ward.is_late) == ("returned", False)
    assert ward.state_label == BOARD_STATES["returned"] == "Bị trả lại"
    assert ward.first_submitted_at == datetime(2025, 10, 3, 8, 0, tzinfo=TZ)
    assert ward.last_change_at == datetime(2025, 10, 4, 10, 30, tzinfo=TZ)
    assert (draft.state, draft.is_late, draft.last_change_at) == ("draft", True, None)


def test_board_filters_by_bloc_type_state_and_accentless_search(
    people: People, tree: Tree, period
) -> None:
    dien_chau = make_unit(tree.communes, "17000", UnitType.COMMUNE, name="Xã Diễn Châu")
    period.required_units.add(dien_chau)
    services.start_report(actor=people.reporter, unit=tree.commune, period=period)

    def codes(**filters: object) -> list[str]:
        return [row.unit.code for row in board(period, **filters)]  # type: ignore[arg-type]

    assert codes(bloc="K-XA") == ["16681", "16690", "17000"]
    assert codes(bloc="K-CQ") == ["SKHCN"]
    assert codes(bloc="NOPE") == []
    assert codes(unit_type=UnitType.WARD) == ["16681", "16690"]
    assert codes(state="draft") == ["16681"]
    assert codes(state="not_started", bloc="K-XA") == ["16690", "17000"]
    assert codes(q="dien chau") == codes(q="  DIỄN Châu ") == ["17000"]
    assert codes(q="1668") == ["16681"]
    assert codes(q="khong co") == []


def test_board_costs_a_fixed_number_of_queries(
    people: People, tree: Tree, period, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(2):
        small = board(period)
    many = [make_unit(tree.communes, f"18{n:03d}", UnitType.COMMUNE) for n in range(40)]
    period.required_units.add(*many)
    for unit in many[::2]:
        reporter = UserFactory(unit=unit, role="reporter")
        report = services.start_report(actor=reporter, unit=unit, period=period)
        services.submit_report(actor=reporter, report=report)
    with django_assert_max_num_queries(2):
        rows = board(period)
    with django_assert_max_num_queries(2):
        board(period, bloc="K-XA", unit_type=UnitType.COMMUNE, q="don vi", state="submitted")
    with django_assert_max_num_queries(0):  # the page reads the rows' units and periods freely
        seen = [
            (r.report.unit.name, r.report.period.code, r.report.is_late) for r in rows if r.report
        ]
    assert len(small) == 3 and len(rows) == 43 and len(seen) == 20


def test_board_workbook_has_the_rows_in_local_time(people: People, tree: Tree, period) -> None:
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    with at(datetime(2025, 10, 6, 8, 5, tzinfo=TZ)):  # 01:05 UTC: written as local time
        walk(people, report, "submit")
    with at(datetime(2025, 10, 7, 14, 30, tzinfo=TZ)):
        walk(people, report, "approve")
        content = board_workbook(period, board(period))
    sheet = load_workbook(io.BytesIO(content))["2025-Q3"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert tuple(values[0]) == BOARD_HEADERS == (
        "Mã đơn vị", "Đơn vị", "Trạng thái", "Nộp lần đầu", "Thay đổi gần nhất", "Nộp muộn",
    )  # fmt: skip
    assert values[1] == ["SKHCN", "Đơn vị SKHCN", "Chưa bắt đầu", None, None, "Có"]
    assert values[2] == [
        "16681", "Đơn vị 16681", "Lãnh đạo đơn vị đã duyệt", "06/10/2025 08:05",
        "07/10/2025 14:30", "Có",
    ]  # fmt: skip
    assert len(values) == 4


# --- what a unit owes ------------------------------------------------------------------------


@pytest.fixture
def area() -> Area:
    return Area.objects.create(code="HTCN", name="Hạ tầng công nghệ")


def task_for(people: People, unit, code: str, deadline: date, area: Area):
    source, _ = Source.objects.get_or_create(code="NQ57-TINH", defaults={"name": "NQ57"})
    return task_services.create_task(
        actor=people.standing, lead_unit=unit, code=code, title=f"Nhiệm vụ {code}",
        source=source, area=area, year=2025, start_date=date(2025, 1, 1), deadline=deadline,
    )  # fmt: skip


def test_owed_by_lists_open_unsubmitted_reports_and_near_tasks(
    people: People, tree: Tree, period, area: Area
) -> None:
    units = [tree.commune, tree.dept]
    make_period(people, "2025-10", units, opens_at=datetime(2025, 10, 25, tzinfo=TZ),
                due_at=datetime(2025, 11, 5, 17, tzinfo=TZ))  # not open yet  # fmt: skip
    july = {"opens_at": datetime(2025, 7, 25, tzinfo=TZ)}
    closed = make_period(
        people, "2025-07", units, due_at=datetime(2025, 8, 5, 17, tzinfo=TZ), **july
    )
    Period.objects.filter(pk=closed.pk).update(closes_at=datetime(2025, 9, 1, tzinfo=TZ))
    done = make_period(people, "2025-08", units, due_at=datetime(2025, 9, 5, 17, tzinfo=TZ), **july)
    walk(people, services.start_report(actor=people.reporter, unit=tree.commune, period=done),
         "submit")  # fmt: skip
    returned = make_period(people, "2025-09", units, due_at=datetime(2025, 9, 28, 17, tzinfo=TZ),
                           **july)  # fmt: skip
    walk(people, services.start_report(actor=people.reporter, unit=tree.commune, period=returned),
         "submit", "return")  # fmt: skip

    overdue = task_for(people, tree.commune, "T-LATE", date(2025, 9, 20), area)
    task_for(people, tree.commune, "T-SOON", date(2025, 11, 1), area)
    task_for(people, tree.commune, "T-FAR", date(2025, 12, 31), area)
    finished = task_for(people, tree.commune, "T-DONE", date(2025, 10, 10), area)
    task_services.record_status(
        actor=people.reporter, assignment=finished.assignments.get(), status=Status.COMPLETED,
        effective_date=date(2025, 9, 29), evidence_number="12/KH-UBND",
        evidence_date=date(2025, 9, 29),
    )  # fmt: skip
    task_for(people, tree.other_commune, "T-OTHER", date(2025, 10, 3), area)

    items = owed_by(people.reporter, TODAY)
    assert items == [
        OwedItem("task", overdue.title, date(2025, 9, 20), "/tasks/T-LATE/", True),
        OwedItem("report", "Kỳ 2025-09", datetime(2025, 9, 28, 17, tzinfo=TZ),
                 "/reports/2025-09/16681/", True, returned=True),
        OwedItem("report", "Kỳ 2025-Q3", DUE, "/reports/2025-Q3/16681/", False),
        OwedItem("task", "Nhiệm vụ T-SOON", date(2025, 11, 1), "/tasks/T-SOON/", False),
    ]  # fmt: skip
    approval = OwedItem("approval", "Chờ duyệt: Kỳ 2025-08", datetime(2025, 9, 5, 17, tzinfo=TZ),
                        "/reports/2025-08/16681/", True)  # fmt: skip
    assert owed_by(people.head, TODAY) == [approval, *items]
    assert owed_by(people.province_viewer, TODAY) == []
    assert owed_by(people.communes_admin, TODAY) == []
    assert [i.title for i in owed_by(people.dept_reporter, TODAY)] == [
        "Kỳ 2025-08", "Kỳ 2025-09", "Kỳ 2025-Q3",
    ]  # fmt: skip


def test_owed_report_leaves_the_list_once_submitted(people: People, tree: Tree, period) -> None:
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    assert [i.kind for i in owed_by(people.reporter, TODAY)] == ["report"]
    report = walk(people, report, "submit")
    assert owed_by(people.reporter, TODAY) == []
    assert report.state == ReportState.SUBMITTED


def test_the_head_owes_the_approval_of_a_submitted_report(
    people: People, tree: Tree, period: Period
) -> None:
    report = services.start_report(actor=people.reporter, unit=tree.commune, period=period)
    assert [i.kind for i in owed_by(people.head, TODAY)] == ["report"]
    services.submit_report(actor=people.reporter, report=report)
    assert [(i.kind, i.title) for i in owed_by(people.head, TODAY)] == [
        ("approval", "Chờ duyệt: Kỳ 2025-Q3")
    ]
    assert owed_by(people.reporter, TODAY) == []  # submitted: nothing more for the reporter
