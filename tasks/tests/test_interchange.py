"""The XLSX interchange format: import all-or-nothing, dry run, export → import is a no-op."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.tests.workbooks import cells
from nq57.xlsx import ImportRejected, build_workbook
from org.tests.conftest import People, Tree
from tasks import services
from tasks.interchange import (
    HEADERS,
    SHEET,
    export_workbook,
    import_task_rows,
    parse_task_file,
    template_workbook,
)
from tasks.models import Area, Source, StatusEvent, Task, TaskRevision
from tasks.queries import task_stats

D = date(2025, 9, 30)
TODAY = date(2025, 10, 2)  # the suite's clock


@pytest.fixture
def refs(db: None) -> None:
    Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    Area.objects.create(code="HT", name="Hạ tầng công nghệ")


def line(code: str, **over: Any) -> list[Any]:
    values = {
        "Mã": code,
        "Tên nhiệm vụ": f"Nhiệm vụ {code}",
        "Nguồn": "NQ57-TINH",
        "Lĩnh vực": "HT",
        "Đơn vị chủ trì": "SKHCN",
        "Đơn vị phối hợp": "SYT; Đơn vị 16681",
        "Năm": 2025,
        "Thời hạn": "31/12/2025",
        "Sản phẩm": "Kế hoạch",
        "Trạng thái": "Đang thực hiện",
        "Ngày cập nhật": "15/09/2025",
        "Tiến độ (%)": 60,
        "Ngày hoàn thành": "",
        "Lý do / ghi chú": "",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def workbook(rows: Sequence[Sequence[Any]]) -> io.BytesIO:
    return io.BytesIO(build_workbook(SHEET, HEADERS, rows))


def run(people: People, rows: Sequence[Sequence[Any]], dry_run: bool = False):
    return import_task_rows(
        actor=people.standing, rows=parse_task_file(workbook(rows)), dry_run=dry_run
    )


def test_import_creates_tasks_and_events_once(people: People, refs: None) -> None:
    rows = [
        line("A1"),
        line(
            "A2",
            **{
                "Trạng thái": "Đã hoàn thành",
                "Ngày hoàn thành": date(2025, 8, 1),
                "Lý do / ghi chú": "Quyết định 12/QĐ-UBND",
            },
        ),
        line("A3", **{"Thời hạn": "", "Trạng thái": "Thường xuyên"}),
        line("A4", **{"Trạng thái": "", "Ngày cập nhật": "", "Tiến độ (%)": ""}),
    ]
    summary = run(people, rows)
    assert summary.created == ["A1", "A2", "A3", "A4"] and summary.events == ["A1", "A2", "A3"]
    a1 = Task.objects.get(code="A1")
    assert {u.code for u in a1.coordinating_units.all()} == {"SYT", "16681"}
    assert Task.objects.get(code="A3").deadline is None
    counts = task_stats(as_of=D).counts
    assert (counts["completed_on_time"], counts["in_progress"], counts["recurring"]) == (1, 1, 1)
    again = run(people, rows)
    assert (again.created, again.updated, again.events, again.unchanged) == ([], [], [], 4)
    assert StatusEvent.objects.count() == 3


def test_changes_update_and_add_an_event_only_when_status_moves(people: People, refs: None) -> None:
    run(people, [line("B1")])
    summary = run(
        people, [line("B1", **{"Tên nhiệm vụ": "Tên mới", "Ngày cập nhật": "20/09/2025"})]
    )
    assert summary.updated == ["B1"] and summary.events == []
    summary = run(people, [line("B1", **{"Tiến độ (%)": 80, "Ngày cập nhật": "25/09/2025"})])
    assert summary.events == ["B1"]
    assert StatusEvent.objects.filter(assignment__task__code="B1").count() == 2


def test_bad_rows_change_nothing_and_are_all_reported_at_once(people: People, refs: None) -> None:
    run(people, [line("OLD")])
    rows = [
        line("C1"),  # row 2: duplicate code (with row 6)
        line("C2", **{"Đơn vị chủ trì": "Sở Không Có"}),  # 3
        line("C3", **{"Thời hạn": "31/02/2025"}),  # 4: impossible date
        line("C4", **{"Trạng thái": "Xong rồi"}),  # 5
        line("C1"),  # 6
        line("C6", **{"Tên nhiệm vụ": ""}),  # 7
        line("C7", **{"Trạng thái": "Đã hoàn thành"}),  # 8: no completion date
        line("C8", **{"Nguồn": "KHONG-CO"}),  # 9
        line("OLD", **{"Ngày cập nhật": "01/01/2025", "Tiến độ (%)": 10}),  # 10: before the last
        line("C9", **{"Trạng thái": "Tạm dừng"}),  # 11: paused without a reason
        line("C/10"),  # 12: a code that cannot be a web address
    ]
    with pytest.raises(ImportRejected) as rejected:
        run(people, rows)
    assert {(e.row, e.column) for e in rejected.value.errors} == {
        (2, "Mã"), (3, "Đơn vị chủ trì"), (4, "Thời hạn"), (5, "Trạng thái"), (6, "Mã"),
        (7, "Tên nhiệm vụ"), (8, "Ngày hoàn thành"), (9, "Nguồn"), (10, "Ngày cập nhật"),
        (11, "Lý do / ghi chú"), (12, "Mã"),
    }  # fmt: skip
    message = str(rejected.value)
    assert "Dòng 3, cột “Đơn vị chủ trì”: Không có đơn vị “Sở Không Có”." in message
    assert "(15/09/2025)" in message  # dates in messages are written the Vietnamese way
    assert "Dòng 4, cột “Thời hạn”: Ngày không hợp lệ (cần dd/mm/yyyy): “31/02/2025”." in message
    assert list(Task.objects.values_list("code", "title")) == [("OLD", "Nhiệm vụ OLD")]
    assert StatusEvent.objects.count() == 1


def test_dry_run_reports_and_saves_nothing(people: People, refs: None) -> None:
    summary = run(people, [line("D1"), line("D2")], dry_run=True)
    assert summary.created == ["D1", "D2"] and summary.events == ["D1", "D2"]
    assert not Task.objects.exists() and not StatusEvent.objects.exists()


def test_only_the_standing_office_imports(people: People, refs: None) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_task_rows(actor=people.dept_reporter, rows=parse_task_file(workbook([line("E1")])))
    assert rejected.value.errors[0].column == "Đơn vị chủ trì"
    assert not Task.objects.exists()


def test_export_then_import_changes_nothing(people: People, refs: None, tree: Tree) -> None:
    rows = [
        line("F1"),
        line(
            "F2",
            **{
                "Trạng thái": "Đã hoàn thành",
                "Ngày hoàn thành": "01/08/2025",
                "Lý do / ghi chú": "Kế hoạch 99/KH-UBND",
            },
        ),
        line("F3", **{"Trạng thái": "Tạm dừng", "Lý do / ghi chú": "Chờ hướng dẫn"}),
        line("F4", **{"Thời hạn": "", "Trạng thái": "", "Ngày cập nhật": "", "Tiến độ (%)": ""}),
    ]
    run(people, rows)
    exported = export_workbook(tasks=Task.objects.all(), as_of=D)
    events = StatusEvent.objects.count()
    summary = import_task_rows(actor=people.standing, rows=parse_task_file(io.BytesIO(exported)))
    assert (summary.created, summary.updated, summary.events) == ([], [], [])
    assert StatusEvent.objects.count() == events
    assert cells(exported) == cells(export_workbook(tasks=Task.objects.all(), as_of=D))


def test_template_and_cli(people: People, refs: None, tmp_path: Path) -> None:
    assert parse_task_file(io.BytesIO(template_workbook())) == []
    source = tmp_path / "in.xlsx"
    source.write_bytes(workbook([line("G1")]).getvalue())
    call_command("import_tasks", str(source), "--dry-run", "--user", "tt")
    assert not Task.objects.exists()
    call_command("import_tasks", str(source), "--user", "tt")
    target = tmp_path / "out.xlsx"
    call_command("export_tasks", str(target), "--as-of", "2025-09-30")
    assert parse_task_file(target.open("rb"))[0].code == "G1"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([line("G2", **{"Năm": "năm nay"})]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_tasks", str(bad), "--user", "tt")


printable = st.characters(blacklist_categories=("Cc", "Cs"))
cell = st.one_of(st.none(), st.text(printable, max_size=12), st.integers(-5, 3000), st.dates())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(*[cell] * len(HEADERS)), min_size=1, max_size=4))
def test_parser_names_problems_and_never_crashes(refs: None, rows: list[tuple]) -> None:
    for row in parse_task_file(workbook(rows)):
        assert all(e.row == row.row and e.column in HEADERS for e in row.errors)
        assert row.errors or (row.code and row.title and row.year)


def test_export_writes_only_the_statuses_the_reader_may_see(
    people: People, refs: None, tree: Tree
) -> None:
    from org.models import Unit

    run(
        people,
        [
            line(
                "H1",
                **{
                    "Đơn vị chủ trì": "SYT",
                    "Đơn vị phối hợp": "SKHCN",
                    "Trạng thái": "Tạm dừng",
                    "Lý do / ghi chú": "Lý do nội bộ",
                },
            )
        ],
    )
    mine = Unit.objects.filter(pk=tree.dept.pk)  # SKHCN only coordinates
    rows = parse_task_file(
        io.BytesIO(export_workbook(tasks=Task.objects.all(), as_of=D, units=mine))
    )
    assert (rows[0].code, rows[0].status, rows[0].note) == ("H1", None, "")
    everything = export_workbook(tasks=Task.objects.all(), as_of=D)
    assert parse_task_file(io.BytesIO(everything))[0].note == "Lý do nội bộ"


def test_a_changed_deadline_applies_from_the_import_day(people: People, refs: None) -> None:
    """Issue 14: an import moving a deadline leaves the past as it was."""
    run(people, [line("E1", **{"Thời hạn": "30/09/2025", "Ngày cập nhật": "15/09/2025"})])
    before = task_stats(as_of=D).counts
    assert before["in_progress"] == 1
    dry = run(people, [line("E1", **{"Thời hạn": "31/12/2025"})], dry_run=True)
    assert dry.updated == ["E1"] and not TaskRevision.objects.exists()
    summary = run(people, [line("E1", **{"Thời hạn": "31/12/2025"})])
    assert summary.updated == ["E1"]
    revision = TaskRevision.objects.get()
    assert revision.changes == {"deadline": ["2025-09-30", "2025-12-31"]}
    assert revision.effective_on == date(2025, 10, 2) and revision.recorded_by == people.standing
    assert revision.reason == "Cập nhật từ tệp nhiệm vụ (XLSX)"
    # On the day before the import the task was overdue; from the import's day it is not.
    assert task_stats(as_of=date(2025, 10, 1)).counts["overdue"] == 1
    assert task_stats(as_of=D).counts == before
    assert task_stats(as_of=date(2025, 10, 2)).counts["in_progress"] == 1


ATTRIBUTES = ("title", "source", "area", "lead", "coordinating", "year", "deadline", "product")


def exported(as_of: date) -> dict[str, Any]:
    """Each exported task's attributes (its state aside), by code."""
    rows = parse_task_file(io.BytesIO(export_workbook(tasks=Task.objects.all(), as_of=as_of)))
    return {row.code: tuple(getattr(row, name) for name in ATTRIBUTES) for row in rows}


def revise(people: People, tree: Tree, code: str) -> None:
    """Change every attribute of task `code` today."""
    services.update_task(
        actor=people.standing,
        task=Task.objects.get(code=code),
        reason="Điều chỉnh theo kế hoạch mới",
        title=f"Tên mới {code}",
        source=Source.objects.get(code="NQ71"),
        area=Area.objects.get(code="CDS"),
        lead_unit=tree.other_dept,
        coordinating_units=[tree.dept],
        year=2026,
        deadline=date(2026, 6, 30),
        expected_product="Đề án",
    )


@pytest.fixture
def more_refs(refs: None) -> None:
    Source.objects.create(code="NQ71", name="Nghị quyết 71/NQ-CP")
    Area.objects.create(code="CDS", name="Chuyển đổi số")


def test_export_writes_each_task_as_it_was_on_the_date(
    people: People, more_refs: None, tree: Tree
) -> None:
    """Issue 14: an export as of a day before an edit writes the task's attributes then, not
    today's; as of the edit's day, the new ones."""
    run(people, [line("R1"), line("R2")])
    untouched = exported(D)
    revise(people, tree, "R1")
    old = (
        "Nhiệm vụ R1", "NQ57-TINH", "HT", "SKHCN", ("SYT", "16681"),
        2025, date(2025, 12, 31), "Kế hoạch",
    )  # fmt: skip
    new = ("Tên mới R1", "NQ71", "CDS", "SYT", ("SKHCN",), 2026, date(2026, 6, 30), "Đề án")
    assert exported(D) == untouched and untouched["R1"] == old
    assert exported(TODAY) == {**untouched, "R1": new}


def export_queries(as_of: date) -> int:
    with CaptureQueriesContext(connection) as queries:
        export_workbook(tasks=Task.objects.all(), as_of=as_of)
    return len(queries)


def test_export_as_of_a_past_day_reads_the_history_in_a_bounded_number_of_queries(
    people: People, more_refs: None, tree: Tree
) -> None:
    run(people, [line(f"Q{n}") for n in range(3)])
    today = export_queries(TODAY)
    revise(people, tree, "Q0")
    # The revisions since, then the sources, areas, lead and coordinating units named then.
    bound = export_queries(D)
    assert bound == today + 5
    assert export_queries(TODAY) == today
    run(people, [line(f"Q{n}") for n in range(3, 12)])
    for n in range(1, 8):
        revise(people, tree, f"Q{n}")
    assert export_queries(D) == bound
    assert export_queries(TODAY) == today
