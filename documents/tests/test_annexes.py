"""The annexes workbook on a small province: sheets, headers, rows, the commune matrix, and a
query count that does not grow with the data."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from documents.annexes import (
    BOARD_SHEET,
    INDICATOR_HEADERS,
    INDICATOR_SHEET,
    MATRIX_SHEET,
    PROPOSAL_SHEET,
    TASK_HEADERS,
    TASK_SHEET,
    build_annexes,
)
from indicators import services as indicator_services
from indicators.models import DataElement
from indicators.tests.conftest import element
from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from periods.models import Period, PeriodKind
from reporting.models import ReportState, UnitReport
from tasks import services
from tasks.models import Area, Source, Task
from tasks.timeliness import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = date(2025, 9, 30)
PROOF = {"evidence_number": "12/QĐ-UBND", "evidence_date": date(2025, 6, 1)}


@pytest.fixture
def period(tree: Tree) -> Period:
    period = Period.objects.create(
        code="2025-Q3",
        kind=PeriodKind.QUARTER,
        title="Quý III/2025",
        starts_on=date(2025, 7, 1),
        ends_on=AS_OF,
        opens_at=datetime(2025, 9, 1, tzinfo=TZ),
        due_at=datetime(2025, 9, 30, 17, tzinfo=TZ),
    )
    period.required_units.set([tree.dept, tree.commune, tree.other_commune])
    UnitReport.objects.create(
        unit=tree.commune,
        period=period,
        state=ReportState.RECEIVED,
        first_submitted_at=datetime(2025, 9, 29, 8, tzinfo=TZ),
    )
    return period


def task(people: People, lead, code: str, title: str = "", assignees=(), **fields) -> Task:
    source, _ = Source.objects.get_or_create(code="NQ57-TINH", defaults={"name": "NQ57 tỉnh"})
    area, _ = Area.objects.get_or_create(code="HT", defaults={"name": "Hạ tầng số"})
    return services.create_task(
        actor=people.standing,
        lead_unit=lead,
        assignees=assignees,
        code=code,
        title=title or f"Nhiệm vụ {code}",
        source=source,
        area=area,
        year=2025,
        start_date=date(2025, 1, 1),
        deadline=fields.pop("deadline", date(2025, 12, 31)),
        **fields,
    )


def record(people: People, task: Task, unit, status: str, on: date, **kw) -> None:
    services.record_status(
        actor=people.standing,
        assignment=task.assignments.get(unit=unit),
        status=status,
        effective_date=on,
        **kw,
    )


@pytest.fixture
def tasks(people: People, tree: Tree) -> dict[str, Task]:
    done = task(people, tree.dept, "T1", deadline=date(2025, 6, 30))
    record(people, done, tree.dept, Status.COMPLETED, date(2025, 6, 30), **PROOF)
    paused = task(people, tree.other_dept, "T2", title="=1+1 nhiệm vụ gõ như công thức")
    reason = "Chờ hướng dẫn của Trung ương"
    record(people, paused, tree.other_dept, Status.PAUSED, date(2025, 5, 1), reason=reason)
    communes = (tree.commune, tree.other_commune)
    shared = task(people, tree.province, "KH02-01", assignees=communes)
    record(people, shared, tree.commune, Status.COMPLETED, date(2025, 9, 1), **PROOF)
    both_depts = task(people, tree.dept, "T4", assignees=(tree.dept, tree.other_dept))
    return {"done": done, "paused": paused, "shared": shared, "both_depts": both_depts}


def sheet_rows(data: bytes, name: str) -> list[list]:
    sheet = load_workbook(io.BytesIO(data))[name]
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_sheets_and_frozen_headers(tree: Tree, period: Period, tasks: dict) -> None:
    workbook = load_workbook(
        io.BytesIO(build_annexes(period=period, unit=tree.province, as_of=AS_OF))
    )
    assert workbook.sheetnames == [
        TASK_SHEET, BOARD_SHEET, INDICATOR_SHEET, MATRIX_SHEET, PROPOSAL_SHEET,
    ]  # fmt: skip
    sheets: list[Worksheet] = [workbook[n] for n in workbook.sheetnames]  # type: ignore[misc]
    assert [s.freeze_panes for s in sheets] == ["A2", "A2", "A2", "C2", "A2"]
    assert all(s["A1"].font.b for s in sheets)


def test_task_sheet_lists_the_subtree_with_timeliness_and_completion(
    tree: Tree, period: Period, tasks: dict
) -> None:
    data = build_annexes(period=period, unit=tree.province, as_of=AS_OF)
    header, *rows = sheet_rows(data, TASK_SHEET)
    assert tuple(header) == TASK_HEADERS
    by_code = {row[0]: row for row in rows}
    assert list(by_code) == ["KH02-01", "T1", "T2", "T4"]
    assert by_code["T1"][2:] == [
        "NQ57-TINH",
        "Hạ tầng số",
        tree.dept.name,
        datetime(2025, 6, 30),
        "Hoàn thành đúng hạn",
        "1/1",
        "",
    ]
    assert by_code["T2"][6:] == ["Tạm dừng", "0/1", "Chờ hướng dẫn của Trung ương"]
    assert by_code["KH02-01"][6:8] == ["Đang thực hiện", "1/2"]
    assert by_code["T4"][6:8] == ["Chưa triển khai", "0/2"]
    sheet = load_workbook(io.BytesIO(data))[TASK_SHEET]
    typed = next(c for c in sheet["B"] if str(c.value).startswith("=1+1"))
    assert typed.data_type == "s"  # never run as a formula
    deadline = next(c for c in sheet["F"] if c.row > 1 and c.value)
    assert deadline.is_date and deadline.number_format == "DD/MM/YYYY"


def test_a_commune_sees_only_its_own_tasks(tree: Tree, period: Period, tasks: dict) -> None:
    data = build_annexes(period=period, unit=tree.commune, as_of=AS_OF)
    _, *rows = sheet_rows(data, TASK_SHEET)
    assert [(r[0], r[6], r[7]) for r in rows] == [("KH02-01", "Hoàn thành đúng hạn", "1/1")]
    _, *board = sheet_rows(data, BOARD_SHEET)
    assert [r[0] for r in board] == [tree.commune.code]


def test_board_sheet_states_and_lateness(tree: Tree, period: Period, tasks: dict) -> None:
    data = build_annexes(period=period, unit=tree.province, as_of=AS_OF)
    header, *rows = sheet_rows(data, BOARD_SHEET)
    assert header[:3] == ["Mã đơn vị", "Đơn vị", "Trạng thái"]
    states = {row[0]: (row[2], row[3], row[5]) for row in rows}
    assert states == {
        "SKHCN": ("Chưa bắt đầu", "", "Có"),
        "16681": ("Đã tiếp nhận", "29/09/2025 08:00", ""),
        "16690": ("Chưa bắt đầu", "", "Có"),
    }


def test_indicator_sheet(tree: Tree, people: People, period: Period) -> None:
    element(people, "DVC_ONLINE")
    element(people, "DVC_TOTAL")
    rate = indicator_services.create_indicator(
        actor=people.standing,
        code="TL_DVC",
        name="Tỷ lệ dịch vụ công trực tuyến",
        formula="ratio(DVC_ONLINE, DVC_TOTAL)",
        period_kind=PeriodKind.QUARTER,
        unit_label="%",
        legal_source="Nghị quyết 57-NQ/TW",
    )
    indicator_services.set_target(actor=people.standing, indicator=rate, value=80, year=2025)
    for unit, reporter, online, total in (
        (tree.commune, people.reporter, 90, 100),
        (tree.other_commune, people.other_reporter, 1, 10),
    ):
        for code, value in (("DVC_ONLINE", online), ("DVC_TOTAL", total)):
            indicator_services.record_value(
                actor=reporter,
                unit=unit,
                period=period,
                element=DataElement.objects.get(code=code),
                value=value,
            )
    header, *rows = sheet_rows(
        build_annexes(period=period, unit=tree.province, as_of=AS_OF), INDICATOR_SHEET
    )
    assert tuple(header) == INDICATOR_HEADERS
    assert rows == [
        ["TL_DVC", "Tỷ lệ dịch vụ công trực tuyến", 82.73, 91, 110, "%", 80, "Đạt", "2/2"]
    ]


def test_commune_matrix(tree: Tree, people: People, period: Period, tasks: dict) -> None:
    data = build_annexes(period=period, unit=tree.province, as_of=AS_OF)
    header, *rows = sheet_rows(data, MATRIX_SHEET)
    # T4 is shared by two departments: not a commune column.
    assert header == ["Mã đơn vị", "Xã, phường", "KH02-01", "Hoàn thành (k/n)"]
    assert rows == [
        ["16681", tree.commune.name, "Hoàn thành đúng hạn", "1/1"],
        ["16690", tree.other_commune.name, "Chưa triển khai", "0/1"],
    ]


def queries(period: Period, tree: Tree) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_annexes(period=period, unit=tree.province, as_of=AS_OF)
    return len(captured)


def test_query_count_does_not_grow_with_tasks_or_communes(
    tree: Tree, people: People, period: Period, tasks: dict
) -> None:
    before = queries(period, tree)
    assert before <= 20
    more = [make_unit(tree.communes, f"1700{i}", UnitType.COMMUNE) for i in range(5)]
    period.required_units.add(*more)
    for index in range(4):
        task(people, tree.province, f"KH02-1{index}", assignees=[*more, tree.commune])
    assert queries(period, tree) == before
