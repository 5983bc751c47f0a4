"""The programme workbook (reporting.workbook): export → import changes nothing, a written file
creates the programme through the services, every bad cell is named and nothing is saved, only
the standing office may import, the template carries its instructions and dropdowns; the
command and the page."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from indicators import services as indicator_services
from indicators.models import (
    DataElement,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    Target,
    ValidationRule,
    ValueType,
)
from nq57.models import ImportJob
from nq57.xlsx import ImportRejected, workbook_bytes
from org import services as org_services
from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from org.tests.test_views import client_for
from periods import seals
from periods.models import Frequency, Period, PeriodKind
from reporting.models import ReportForm, Schedule
from reporting.tests.conftest import COMMUNES, report_form, schedule
from reporting.workbook import (
    INSTRUCTIONS,
    ProgrammeSummary,
    SheetCount,
    export_programme,
    import_programme,
    read_programme,
    template_programme,
)
from reporting.workbook_cells import (
    LISTS,
    AssigneeCount,
    Cells,
    Context,
    Units,
    describe_assignees,
    parse_assignees,
)
from reporting.workbook_sheets import SHEETS
from tasks import services as task_services
from tasks.models import (
    Area,
    AssigneeChange,
    Assignment,
    ProgrammeGroup,
    Source,
    Task,
    TaskRevision,
)

OTHERS = ["reporter", "head", "communes_admin", "province_viewer", "dept_reporter"]


@pytest.fixture
def programme(people: People, tree: Tree) -> None:
    """A small programme of every kind, set up through the services as the pages would."""
    office = people.standing
    source = task_services.save_source(
        actor=office, code="KH-2026", name="Kế hoạch 2026", number="01/KH-UBND",
        issued_on=date(2025, 1, 15), issuer="UBND tỉnh",
    )  # fmt: skip
    area = task_services.save_area(actor=office, code="HTCN", name="Hạ tầng", order=1)
    task_services.save_programme_group(
        actor=office, code="NAM", name="Nhiệm vụ năm {year}", sources=[source], this_year_only=True
    )
    common = {"source": source, "area": area, "year": 2025}
    task_services.create_task(
        actor=office, code="NV-1", title="Lắp camera", lead_unit=tree.dept,
        deadline=date(2025, 12, 31), coordinating_units=[tree.other_dept],
        responsible_person="Nguyễn Văn A, Phó Giám đốc Sở", **common,
    )  # fmt: skip
    task_services.create_task(
        actor=office, code="NV-2", title="Mọi phường số hóa", lead_unit=tree.dept,
        assignees=[tree.commune, tree.other_commune], **common,
    )  # fmt: skip
    total = indicator_services.create_element(
        actor=office, code="HS_TONG", name="Tổng hồ sơ", value_type=ValueType.COUNT,
        period_kind=PeriodKind.MONTH, unit_types=COMMUNES,
    )  # fmt: skip
    online = indicator_services.create_element(
        actor=office, code="HS_TT", name="Hồ sơ trực tuyến", value_type=ValueType.COUNT,
        period_kind=PeriodKind.MONTH, unit_types=COMMUNES, reporting_units=[tree.commune],
        active_from=date(2025, 1, 1),
    )  # fmt: skip
    yearly = indicator_services.save_indicator_set(
        actor=office, code="2025", name="năm 2025", first_year=2025, last_year=2025
    )
    indicator = indicator_services.create_indicator(
        actor=office, code="TL_TT", name="Tỷ lệ hồ sơ trực tuyến", formula="100 * HS_TT / HS_TONG",
        period_kind=PeriodKind.MONTH, unit_label="%", legal_source="Nghị định 45", area=area,
        sets=[yearly],
    )  # fmt: skip
    indicator_services.set_target(
        actor=office, indicator=indicator, value=Decimal("80.5"), year=2025
    )
    indicator_services.set_target(actor=office, indicator=indicator, value=Decimal(95))
    indicator_services.create_rule(
        actor=office, code="TT_NHO_HON", kind=RuleKind.RANGE, severity=Severity.WARNING,
        element=online, min_value=Decimal(0), max_value=Decimal("1000.25"),
    )  # fmt: skip
    indicator_services.create_rule(
        actor=office, code="PHAN", kind=RuleKind.PARTS_SUM, total=total, parts=[online],
        within=tree.communes,
    )  # fmt: skip
    schedule(people, report_form(people), frequency=Frequency.MONTHLY)


def _snapshot() -> dict[str, Any]:
    """Everything the workbook writes, with the history rows its services add on a save."""
    return {
        "sources": list(Source.objects.values_list()),
        "areas": list(Area.objects.values_list()),
        "groups": list(ProgrammeGroup.objects.values_list()),
        "tasks": list(Task.objects.values_list()),
        "task_revisions": TaskRevision.objects.count(),
        "assignments": list(
            Assignment.objects.values_list("task__code", "unit__code", "active_from", "ended_on")
        ),
        "assignee_changes": AssigneeChange.objects.count(),
        "elements": list(DataElement.objects.values_list()),
        "element_history": DataElement.history.count(),
        "indicators": list(Indicator.objects.values_list()),
        "indicator_history": Indicator.history.count(),
        "sets": list(IndicatorSet.objects.values_list("code", "indicators__code")),
        "targets": list(Target.objects.values_list()),
        "target_history": Target.history.count(),
        "rules": list(ValidationRule.objects.values_list()),
        "rule_history": ValidationRule.history.count(),
        "forms": list(ReportForm.objects.values_list()),
        "schedules": list(Schedule.objects.values_list()),
        "schedule_history": Schedule.history.count(),
    }


def _cells(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values (not the file's bytes: openpyxl writes timestamps)."""
    book = load_workbook(io.BytesIO(content))
    return {
        name: [tuple(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames
    }


def _edit(content: bytes, sheet: str, rows: list[dict[str, Any]], *, keep: bool = True) -> bytes:
    """The workbook with `rows` (by header) appended to `sheet`; `keep=False` empties the sheet
    first."""
    book = load_workbook(io.BytesIO(content))
    worksheet = book[sheet]
    if not keep:
        worksheet.delete_rows(2, worksheet.max_row)
    headers = [c.value for c in worksheet[1]]
    for row in rows:
        worksheet.append([row.get(h) for h in headers])
    return workbook_bytes(book)


def _set(content: bytes, sheet: str, row: int, column: str, value: Any) -> bytes:
    book = load_workbook(io.BytesIO(content))
    worksheet = book[sheet]
    headers = [c.value for c in worksheet[1]]
    worksheet.cell(row=row, column=headers.index(column) + 1, value=value)
    return workbook_bytes(book)


def _import(people: People, content: bytes, **options: Any) -> ProgrammeSummary:
    return import_programme(actor=people.standing, source=io.BytesIO(content), **options)


# --- export → import -----------------------------------------------------------------------------


def test_export_then_import_changes_nothing(people: People, programme: None) -> None:
    exported = export_programme()
    before = _snapshot()
    summary = _import(people, exported)
    assert (summary.created, summary.updated) == (0, 0)
    assert {c.sheet: c.unchanged for c in summary.sheets} == {
        "Nguồn": 1, "Lĩnh vực": 1, "Nhóm nhiệm vụ": 1, "Nhiệm vụ": 2, "Số liệu": 2,
        "Bộ chỉ tiêu": 1, "Chỉ tiêu": 1, "Mục tiêu": 2, "Quy tắc kiểm tra": 2,
        "Mẫu báo cáo": 1, "Lịch báo cáo": 1,
    }  # fmt: skip
    assert _snapshot() == before
    assert _cells(export_programme()) == _cells(exported)


def test_the_export_writes_names_codes_and_the_assignee_shorthand(
    people: People, programme: None
) -> None:
    sheets = _cells(export_programme())
    tasks = {row[0]: row for row in sheets["Nhiệm vụ"][1:]}
    # coordinating unit; the lead unit carries it; no reason for a change of assignees
    assert tasks["NV-1"][-3:] == ("SYT", None, None)
    assert tasks["NV-1"][-5:-3] == ("Nguyễn Văn A, Phó Giám đốc Sở", "SKHCN")  # person, lead
    assert tasks["NV-2"][-2:] == ("loại:phuong", None)  # every ward of the province
    element = next(r for r in sheets["Số liệu"] if r[0] == "HS_TT")
    assert element[2:5] == ("Số đếm", None, "Tháng") and element[7:9] == ("16681", "01/01/2025")
    targets = sheets["Mục tiêu"][1:]
    assert targets == [("TL_TT", None, None, 95), ("TL_TT", 2025, None, 80.5)]
    rule = next(r for r in sheets["Quy tắc kiểm tra"] if r[0] == "TT_NHO_HON")
    assert rule[2:4] == ("Giá trị trong khoảng", "Cảnh báo") and rule[9:11] == (0, 1000.25)


def test_a_changed_cell_updates_that_row_only(people: People, programme: None) -> None:
    exported = _set(export_programme(), "Chỉ tiêu", 2, "Tên", "Tỷ lệ hồ sơ nộp trực tuyến")
    exported = _set(exported, "Mục tiêu", 3, "Giá trị", 85)
    summary = _import(people, exported)
    assert (summary.created, summary.updated) == (0, 2)
    changed = {c.sheet: c.updated for c in summary.sheets if c.updated}
    assert changed == {"Chỉ tiêu": ["TL_TT"], "Mục tiêu": ["TL_TT 2025 "]}
    assert Indicator.objects.get().name == "Tỷ lệ hồ sơ nộp trực tuyến"
    assert Target.objects.get(year=2025).value == 85


# --- a file written by hand ----------------------------------------------------------------------


TASK = {"Tên nhiệm vụ": "Tập huấn", "Nguồn": "KH-MOI", "Lĩnh vực": "NNL", "Năm": 2026}
# A programme written by hand, sheet by sheet: names of choices or their codes, both read.
NEW_ROWS: dict[str, list[dict[str, Any]]] = {
    "Nguồn": [{"Mã": "KH-MOI", "Tên": "Kế hoạch mới", "Ngày ban hành": "02/09/2025"}],
    "Lĩnh vực": [{"Mã": "NNL", "Tên": "Nguồn nhân lực", "Thứ tự": 2}],
    "Nhiệm vụ": [
        TASK | {"Mã": "T-1", "Đơn vị chủ trì": "SKHCN", "Đơn vị thực hiện": "loại:phuong"},
        TASK | {"Mã": "T-2", "Đơn vị chủ trì": "SKHCN", "Đơn vị thực hiện": "nhánh:K-CQ"},
        TASK | {
            "Mã": "T-3", "Đơn vị chủ trì": "SKHCN", "Đơn vị thực hiện": "16681; SYT",
            "Thời hạn": "30/06/2026",
        },
        TASK | {"Mã": "T-4", "Đơn vị chủ trì": "SKHCN"},
    ],
    "Số liệu": [
        {
            "Mã": "SO_LOP", "Tên": "Số lớp", "Kiểu số liệu": "Số đếm",
            "Tần suất báo cáo": "Tháng", "Loại đơn vị": "xa, phuong",
        },
        {
            "Mã": "SO_NGUOI", "Tên": "Số người", "Kiểu số liệu": "count",
            "Tần suất báo cáo": "month", "Loại đơn vị": "xa phuong",
        },
    ],
    "Bộ chỉ tiêu": [{"Mã": "2026", "Tên": "năm 2026", "Từ năm": 2026, "Đến năm": 2026}],
    "Chỉ tiêu": [
        {
            "Mã": "BQ", "Tên": "Người mỗi lớp", "Công thức": "SO_NGUOI / SO_LOP",
            "Loại kỳ": "Tháng", "Căn cứ pháp lý": "KH-MOI", "Bộ chỉ tiêu": "2026",
        }
    ],
    "Mục tiêu": [{"Chỉ tiêu": "BQ", "Năm": 2026, "Loại đơn vị": "phuong", "Giá trị": "25,5"}],
    "Quy tắc kiểm tra": [
        {
            "Mã": "BB_LOP", "Loại quy tắc": "Bắt buộc nhập", "Mức độ": "Lỗi (chặn nhập)",
            "Số liệu": "SO_LOP",
        }
    ],
    "Mẫu báo cáo": [
        {
            "Mã": "BC-THANG", "Tên": "Báo cáo tháng", "Loại kỳ": "Tháng",
            "Các phần nội dung": "results, proposals", "Mọi số liệu của loại kỳ": "Có",
        }
    ],
    "Lịch báo cáo": [
        {
            "Mã": "THANG", "Tên": "Báo cáo tháng 2026", "Tần suất": "Hằng tháng",
            "Mẫu báo cáo": "BC-THANG", "Bắt đầu từ ngày": "01/01/2026", "Ngày chốt số liệu": 15,
            "Hạn nộp: ngày trong tháng": 18, "Giờ hạn nộp": "17:00",
            "Mở nhận báo cáo trước hạn (ngày)": 5, "Loại đơn vị phải báo cáo": "xa, phuong",
        }
    ],
}  # fmt: skip


def _new_programme() -> bytes:
    content = template_programme()
    for sheet, rows in NEW_ROWS.items():
        content = _edit(content, sheet, rows)
    return content


def test_a_written_file_sets_up_a_programme(people: People, tree: Tree) -> None:
    summary = _import(people, _new_programme())
    assert (summary.created, summary.updated, summary.unchanged) == (14, 0, 0)
    assigned = {
        code: sorted(
            Assignment.objects.filter(task__code=code).values_list("unit__code", flat=True)
        )
        for code in ("T-1", "T-2", "T-3", "T-4")
    }
    assert assigned == {
        "T-1": ["16681", "16690"],  # every ward
        "T-2": ["SKHCN", "SYT"],  # every reporting unit of the agencies' bloc
        "T-3": ["16681", "SYT"],
        "T-4": ["SKHCN"],  # the lead unit
    }
    indicator = Indicator.objects.get(code="BQ")
    assert list(indicator.sets.values_list("code", flat=True)) == ["2026"]
    assert Target.objects.get(indicator=indicator).value == Decimal("25.5")
    assert DataElement.objects.get(code="SO_NGUOI").unit_types == ["phuong", "xa"]
    form = ReportForm.objects.get()
    assert form.sections == ["results", "proposals"]
    assert Schedule.objects.get().form == form
    assert Source.objects.get().issued_on == date(2025, 9, 2)
    assert _import(people, export_programme()).updated == 0  # and it reads back unchanged


def test_a_dry_run_saves_nothing_and_says_what_would_change(people: People, tree: Tree) -> None:
    before = _snapshot()
    summary = _import(people, _new_programme(), dry_run=True)
    assert summary.created == 14
    assert _snapshot() == before


def test_command_imports_and_exports(people: People, tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / "chuong-trinh.xlsx"
    path.write_bytes(_new_programme())
    out = io.StringIO()
    call_command("import_programme", str(path), "--dry-run", "--user", "tt", stdout=out)
    assert "Dry run" in out.getvalue() and not Task.objects.exists()
    call_command("import_programme", str(path), "--user", "tt", stdout=out)
    assert Task.objects.count() == 4
    with pytest.raises(CommandError, match="may not"):
        call_command("import_programme", str(path), "--user", "bc", stdout=out)
    exported = tmp_path / "ra.xlsx"
    call_command("export_programme", str(exported), stdout=out)
    assert _cells(exported.read_bytes()) == _cells(export_programme())


# --- errors --------------------------------------------------------------------------------------


def _rejected(people: People, content: bytes) -> list[str]:
    before = _snapshot()
    with pytest.raises(ImportRejected) as caught:
        _import(people, content)
    assert _snapshot() == before  # nothing half-saved: the good rows neither
    return [str(e) for e in caught.value.errors]


def test_every_bad_cell_is_named_and_nothing_is_saved(people: People, tree: Tree) -> None:
    content = _new_programme()
    content = _set(content, "Nhiệm vụ", 2, "Nguồn", "KHONG-CO")  # a bad reference
    content = _set(content, "Nhiệm vụ", 3, "Năm", "hai nghìn")  # a wrong type
    content = _set(content, "Nhiệm vụ", 4, "Mã", "T-1")  # a duplicate code
    content = _set(content, "Chỉ tiêu", 2, "Công thức", "SO_NGUOI / (SO_LOP")  # a bad formula
    content = _set(content, "Số liệu", 3, "Kiểu số liệu", "Số lẻ")
    content = _set(content, "Nhiệm vụ", 5, "Đơn vị thực hiện", "loại:huyen")
    errors = _rejected(people, content)
    assert errors[0] == "Dòng 2, cột “Nguồn”: Trang “Nhiệm vụ”: Không có nguồn mã “KHONG-CO”."
    assert errors[1].startswith("Dòng 3, cột “Năm”: Trang “Nhiệm vụ”: Cần một số nguyên từ 2000")
    assert errors[2] == "Dòng 4, cột “Mã”: Trang “Nhiệm vụ”: Mã bị lặp trong tệp. (Dòng 2 đã có.)"
    assert errors[3].startswith("Dòng 5, cột “Đơn vị thực hiện”: Trang “Nhiệm vụ”: Không hiểu")
    assert errors[4].startswith("Dòng 3, cột “Kiểu số liệu”: Trang “Số liệu”: “Số lẻ” không có")
    assert errors[5].startswith("Dòng 2, cột “Công thức”: Trang “Chỉ tiêu”:")
    # The target of the refused indicator is not saved either, and says why.
    assert errors[6] == (
        "Dòng 2, cột “Chỉ tiêu”: Trang “Mục tiêu”: Chỉ tiêu mã BQ chưa được lưu vì dòng của nó "
        "ở trang “Chỉ tiêu” có lỗi."
    )
    assert len(errors) == 7


def test_a_service_refusal_names_its_column(people: People, tree: Tree) -> None:
    """What only the service can tell (an official indicator needs its legal basis; a range
    rule needs a bound) is named by the field's column."""
    content = _set(_new_programme(), "Chỉ tiêu", 2, "Căn cứ pháp lý", "")
    content = _edit(
        content,
        "Quy tắc kiểm tra",
        [{"Mã": "KHOANG", "Loại quy tắc": "range", "Số liệu": "SO_LOP"}],
    )
    errors = _rejected(people, content)
    assert errors == [
        "Dòng 2, cột “Căn cứ pháp lý”: Trang “Chỉ tiêu”: "
        "Phương pháp chính thức cần căn cứ pháp lý.",
        "Dòng 2, cột “Chỉ tiêu”: Trang “Mục tiêu”: "
        "Chỉ tiêu mã BQ chưa được lưu vì dòng của nó ở trang “Chỉ tiêu” có lỗi.",
        "Dòng 3, cột “Giá trị nhỏ nhất”: Trang “Quy tắc kiểm tra”: "
        "Cần giá trị nhỏ nhất hoặc lớn nhất.",
    ]


# --- the assignees of a task already given ------------------------------------------------------

ASSIGNEES, REASON = "Đơn vị thực hiện", "Lý do thay đổi đơn vị thực hiện"
WHY = "Theo Kế hoạch 02/KH-UBND bổ sung"


def _reassigned(content: bytes, units: str, reason: str = WHY) -> bytes:
    """NV-2 (row 3, given to both wards) given to `units` instead, with `reason`."""
    return _set(_set(content, "Nhiệm vụ", 3, ASSIGNEES, units), "Nhiệm vụ", 3, REASON, reason)


def _tasks(summary: ProgrammeSummary) -> SheetCount:
    (tasks,) = [c for c in summary.sheets if c.sheet == "Nhiệm vụ"]
    return tasks


def test_a_file_changes_the_assignees_as_the_assign_page_does(
    people: People, tree: Tree, programme: None
) -> None:
    """A ward added from the import day, the other taken off after it (its last day), both
    logged with the row's reason; the rows of the unit taken off stay, ended."""
    today = timezone.localdate()
    tasks = _tasks(_import(people, _reassigned(export_programme(), "16681, SYT")))
    assert (tasks.updated, tasks.unchanged) == (["NV-2"], 1)
    assert tasks.assignees == [AssigneeCount("NV-2", added=1, removed=1)]
    spans = Assignment.objects.filter(task__code="NV-2").order_by("unit__code")
    assert [(a.unit.code, a.active_from, a.ended_on) for a in spans] == [
        ("16681", None, None), ("16690", None, today), ("SYT", today, None),
    ]  # fmt: skip
    log = AssigneeChange.objects.order_by("kind")
    assert [(c.unit, c.kind, c.effective_on, c.reason, c.actor) for c in log] == [
        (tree.other_dept, AssigneeChange.Kind.ADDED, today, WHY, people.standing),
        (tree.other_commune, AssigneeChange.Kind.REMOVED, today, WHY, people.standing),
    ]
    # the new list is what the file now says: exported and read back, nothing changes
    before = _snapshot()
    exported = export_programme()
    assert {r[0]: r[-2] for r in _cells(exported)["Nhiệm vụ"][1:]}["NV-2"] == "16681, SYT"
    assert _import(people, exported).updated == 0
    assert _snapshot() == before


def test_an_empty_cell_gives_the_task_back_to_its_lead_unit(
    people: People, tree: Tree, programme: None
) -> None:
    summary = _import(people, _reassigned(export_programme(), ""))
    assert _tasks(summary).assignees == [AssigneeCount("NV-2", added=1, removed=2)]
    open_units = Assignment.objects.filter(task__code="NV-2", ended_on__isnull=True)
    assert [a.unit for a in open_units] == [tree.dept]


def test_a_change_of_assignees_needs_a_reason(people: People, programme: None) -> None:
    (error,) = _rejected(people, _reassigned(export_programme(), "16681, SYT", reason=" "))
    assert error == (
        "Dòng 3, cột “Lý do thay đổi đơn vị thực hiện”: Trang “Nhiệm vụ”: Đơn vị thực hiện "
        "thay đổi (giao thêm 1, thôi giao 1 đơn vị): phải ghi lý do."
    )


def test_a_dry_run_counts_the_assignee_changes_and_saves_none(
    people: People, programme: None
) -> None:
    before = _snapshot()
    summary = _import(people, _reassigned(export_programme(), "SYT"), dry_run=True)
    assert _tasks(summary).assignees == [AssigneeCount("NV-2", added=1, removed=2)]
    assert summary.updated == 1
    assert _snapshot() == before


def test_an_error_elsewhere_saves_no_assignee_change(people: People, programme: None) -> None:
    content = _reassigned(export_programme(), "16681, SYT")
    content = _set(content, "Số liệu", 2, "Kiểu số liệu", "Số lẻ")
    (error,) = _rejected(people, content)  # and the snapshot, assignments included, unchanged
    assert error.startswith("Dòng 2, cột “Kiểu số liệu”: Trang “Số liệu”:")
    assert not AssigneeChange.objects.exists()


def test_a_sealed_period_refuses_the_change_on_its_cell(
    people: People, tree: Tree, programme: None
) -> None:
    """As on the assign page: a unit whose report for the period holding the change has left
    it keeps the task; the refusal names the assignee column."""
    today = timezone.localdate()
    month = Period.objects.create(
        code="T-NAY", kind=PeriodKind.MONTH, title="Tháng này", starts_on=today - timedelta(40),
        ends_on=today + timedelta(40), opens_at=timezone.now(), due_at=timezone.now(),
    )  # fmt: skip
    seals.seal(tree.other_commune, month, timezone.now())
    (error,) = _rejected(people, _reassigned(export_programme(), "16681"))
    assert error.startswith(
        "Dòng 3, cột “Đơn vị thực hiện”: Trang “Nhiệm vụ”: Kỳ Tháng này đã được niêm phong"
    )
    assert tree.other_commune.name in error


@pytest.mark.parametrize("person", OTHERS)
def test_a_row_past_the_import_s_door_still_changes_no_assignee(
    people: People, programme: None, person: str
) -> None:
    """The services check who changes the assignees themselves, whoever calls them."""
    content = _reassigned(export_programme(), "16681, SYT")
    row = next(
        r for r in read_programme(io.BytesIO(content))
        if r.sheet.name == "Nhiệm vụ" and r.raw["Mã"] == "NV-2"
    )  # fmt: skip
    before = _snapshot()
    ctx = Context(actor=getattr(people, person), units=Units())
    with pytest.raises((PermissionDenied, Http404)):
        row.sheet.apply(ctx, Cells(row.sheet.name, row.number, row.raw))
    assert _snapshot() == before and not ctx.assignees


def test_the_page_and_the_command_preview_the_assignee_changes(
    people: People, programme: None, tmp_path: Path
) -> None:
    content = _reassigned(export_programme(), "16681, SYT")
    before = _snapshot()
    client = client_for(people.standing)
    data = io.BytesIO(content)
    data.name = "chuong-trinh.xlsx"
    response = client.post(
        reverse("reporting:programme_workbook"), {"file": data, "dry_run": "1"}, follow=True
    )
    page = response.content.decode()
    assert 'data-testid="programme-assignees"' in page
    assert "NV-2: giao thêm 1, thôi giao 1 đơn vị" in page
    path = tmp_path / "chuong-trinh.xlsx"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_programme", str(path), "--dry-run", "--user", "tt", stdout=out)
    assert "  NV-2: assignees added 1, taken off 1" in out.getvalue()
    assert _snapshot() == before


@pytest.mark.parametrize("column", [REASON, "Người chịu trách nhiệm"])
def test_a_file_without_an_optional_column_still_imports(
    people: People, programme: None, column: str
) -> None:
    """Files written before the column was added read as they did: without the responsible
    person's column, a task keeps its person (NV-1's) and a new one has none."""
    book = load_workbook(io.BytesIO(export_programme()))
    tasks = book["Nhiệm vụ"]
    tasks.delete_cols([c.value for c in tasks[1]].index(column) + 1)
    before = _snapshot()
    assert _import(people, workbook_bytes(book)).updated == 0
    assert _snapshot() == before
    row = {"Mã": "NV-3", "Tên nhiệm vụ": "Mới", "Nguồn": "KH-2026", "Lĩnh vực": "HTCN"}
    content = _edit(
        workbook_bytes(book), "Nhiệm vụ", [row | {"Năm": 2025, "Đơn vị chủ trì": "SYT"}]
    )
    assert _tasks(_import(people, content)).created == ["NV-3"]
    assert Task.objects.get(code="NV-3").responsible_person == ""
    assert Task.objects.get(code="NV-1").responsible_person == "Nguyễn Văn A, Phó Giám đốc Sở"


# --- the responsible person ----------------------------------------------------------------------

PERSON = "Người chịu trách nhiệm"


def test_the_responsible_person_is_read_on_a_new_task(people: People, tree: Tree) -> None:
    content = _new_programme()
    content = _set(content, "Nhiệm vụ", 2, PERSON, "Trần Thị B, Giám đốc Sở")
    _import(people, content)
    assert Task.objects.get(code="T-1").responsible_person == "Trần Thị B, Giám đốc Sở"
    assert Task.objects.get(code="T-2").responsible_person == ""
    rows = {r[0]: r for r in _cells(export_programme())["Nhiệm vụ"][1:]}
    assert rows["T-1"][-5] == "Trần Thị B, Giám đốc Sở"
    assert not TaskRevision.objects.exists()  # a new task is not a change


def test_a_changed_responsible_person_is_a_revision_of_the_task(
    people: People, programme: None
) -> None:
    """Through update_task as the task's other attributes: a dated revision from the import
    day (no reason needed for a change from today), who made it, before and after."""
    content = _set(export_programme(), "Nhiệm vụ", 2, PERSON, "Lê Văn C, Giám đốc Sở")
    content = _set(content, "Nhiệm vụ", 3, PERSON, "Phạm Thị D")
    tasks = _tasks(_import(people, content))
    assert (tasks.updated, tasks.unchanged, tasks.assignees) == (["NV-1", "NV-2"], 0, [])
    revisions = TaskRevision.objects.order_by("task__code")
    assert [(r.task.code, r.changes, r.reason, r.recorded_by) for r in revisions] == [
        ("NV-1", {"responsible_person": ["Nguyễn Văn A, Phó Giám đốc Sở", "Lê Văn C, Giám đốc Sở"]},
         "", people.standing),
        ("NV-2", {"responsible_person": ["", "Phạm Thị D"]}, "", people.standing),
    ]  # fmt: skip
    assert {r.effective_on for r in revisions} == {timezone.localdate()}
    cleared = _set(export_programme(), "Nhiệm vụ", 3, PERSON, "")  # an empty cell clears it
    assert _tasks(_import(people, cleared)).updated == ["NV-2"]
    assert Task.objects.get(code="NV-2").responsible_person == ""
    before = _snapshot()
    assert _import(people, export_programme()).updated == 0
    assert _snapshot() == before


def test_a_too_long_responsible_person_is_named_on_its_column(
    people: People, programme: None
) -> None:
    (error,) = _rejected(people, _set(export_programme(), "Nhiệm vụ", 2, PERSON, "A" * 256))
    assert error.startswith("Dòng 2, cột “Người chịu trách nhiệm”: Trang “Nhiệm vụ”:")


# --- a saved group of units ----------------------------------------------------------------------


def _group(people: People, tree: Tree) -> None:
    """A group of a ward, a department and a commune closed yesterday."""
    closed = make_unit(
        tree.communes, "X-CU", UnitType.COMMUNE, active_to=timezone.localdate() - timedelta(1)
    )
    org_services.save_unit_group(
        actor=people.standing,
        name="Xã nông thôn mới",
        units=[tree.commune, tree.other_dept, closed],
    )


def _programme_rows(rows: list[dict[str, Any]]) -> bytes:
    content = template_programme()
    for sheet in ("Nguồn", "Lĩnh vực"):
        content = _edit(content, sheet, NEW_ROWS[sheet])
    return _edit(content, "Nhiệm vụ", rows)


def test_a_group_token_gives_the_task_to_the_group_s_units(people: People, tree: Tree) -> None:
    """Its units in operation on the import day (resolved as on the assign page), with the
    cell's other tokens; the export writes the units, which read back unchanged."""
    _group(people, tree)
    lead = {"Đơn vị chủ trì": "SKHCN"}
    _import(people, _programme_rows([
        TASK | lead | {"Mã": "T-1", ASSIGNEES: "SKHCN nhóm:Xã nông thôn mới"},  # to the end
        TASK | lead | {"Mã": "T-2", ASSIGNEES: "nhom:  Xã nông thôn mới ; 16690"},
    ]))  # fmt: skip
    assigned = {
        code: sorted(
            Assignment.objects.filter(task__code=code).values_list("unit__code", flat=True)
        )
        for code in ("T-1", "T-2")
    }
    assert assigned == {"T-1": ["16681", "SKHCN", "SYT"], "T-2": ["16681", "16690", "SYT"]}
    rows = {r[0]: r for r in _cells(export_programme())["Nhiệm vụ"][1:]}
    assert rows["T-1"][-2] == "16681, SKHCN, SYT"
    before = _snapshot()
    assert _import(people, export_programme()).updated == 0
    assert _snapshot() == before


def test_a_group_token_changes_the_assignees_of_a_task_already_given(
    people: People, tree: Tree, programme: None
) -> None:
    _group(people, tree)
    tasks = _tasks(_import(people, _reassigned(export_programme(), "nhóm:Xã nông thôn mới")))
    assert tasks.assignees == [AssigneeCount("NV-2", added=1, removed=1)]
    open_units = Assignment.objects.filter(task__code="NV-2", ended_on__isnull=True)
    assert sorted(a.unit.code for a in open_units) == ["16681", "SYT"]


def test_an_unknown_group_is_named_and_nothing_is_saved(people: People, tree: Tree) -> None:
    _group(people, tree)
    lead = {"Đơn vị chủ trì": "SKHCN"}
    content = _programme_rows([
        TASK | lead | {"Mã": "T-1", ASSIGNEES: "SYT, nhóm:Xã miền núi"},
        TASK | lead | {"Mã": "T-2", ASSIGNEES: "nhóm: ; KHONG"},
    ])  # fmt: skip
    assert _rejected(people, content) == [
        "Dòng 2, cột “Đơn vị thực hiện”: Trang “Nhiệm vụ”: Không có nhóm đơn vị tên “Xã miền núi”.",
        "Dòng 3, cột “Đơn vị thực hiện”: Trang “Nhiệm vụ”: Không hiểu “nhóm:, KHONG”: ghi mã "
        "đơn vị, “loại:<mã loại>” (ví dụ loại:xa), “nhánh:<mã đơn vị>” hoặc "
        "“nhóm:<tên nhóm đơn vị>”.",
    ]


def test_a_file_without_programme_sheets_is_refused(people: People, tree: Tree) -> None:
    from nq57.xlsx import build_workbook

    (error,) = _rejected(people, build_workbook("Khác", ["Mã"], [["X"]]))
    assert error.startswith("Tệp không có trang nào trong:")
    (error,) = _rejected(people, b"not a workbook")
    assert error == "Tệp không phải là bảng tính XLSX hợp lệ."


@pytest.mark.parametrize("person", OTHERS)
def test_only_the_standing_office_imports(people: People, programme: None, person: str) -> None:
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        import_programme(actor=getattr(people, person), source=io.BytesIO(_new_programme()))
    assert _snapshot() == before


# --- template and assignees ----------------------------------------------------------------------


def test_the_template_has_instructions_dropdowns_and_no_rows(people: People, tree: Tree) -> None:
    book = load_workbook(io.BytesIO(template_programme()))
    assert book.sheetnames == [INSTRUCTIONS, *(s.name for s in SHEETS), LISTS]
    assert all(book[s.name].max_row == 1 for s in SHEETS)
    instructions = list(book[INSTRUCTIONS].iter_rows(values_only=True))
    notes = {r[:2]: r[2] for r in instructions}
    assert REASON in notes[("Nhiệm vụ", ASSIGNEES)]  # a changed list of a given task needs one
    assert notes[("Nhiệm vụ", REASON)].startswith("Bắt buộc khi đổi đơn vị thực hiện")
    assert "“nhóm:<tên nhóm đơn vị>” (trang “Nhóm đơn vị”)" in notes[("Nhiệm vụ", ASSIGNEES)]
    assert "giữ nguyên" in notes[("Nhiệm vụ", "Người chịu trách nhiệm")]
    lists = book[LISTS]
    assert [c.value for c in lists["A"]][1:3] == [UnitType.PROVINCE, UnitType.STEERING]
    rules = {
        str(v.sqref): v.formula1 for v in book["Quy tắc kiểm tra"].data_validations.dataValidation
    }
    assert rules["C2:C2000"] == f"'{LISTS}'!$G$2:$G$2000"  # the rule kinds
    assert rules["E2:E2000"] == "'Số liệu'!$A$2:$A$2000"  # the elements, the file's own too
    kinds = [c.value for c in lists["G"][1:] if c.value]
    assert "Bắt buộc nhập" in kinds and len(kinds) == len(RuleKind.choices)


def test_assignees_read_and_written_back(people: People, tree: Tree) -> None:
    units = Units()
    wards, problems = parse_assignees("loại:phuong", units)
    assert sorted(u.code for u in wards) == ["16681", "16690"] and not problems
    assert describe_assignees(wards, tree.dept, units) == "loại:phuong"
    mixed, _problems = parse_assignees("SYT, nhanh:K-XA", units)
    assert describe_assignees(mixed, tree.dept, units) == "16681, 16690, SYT"
    assert describe_assignees([tree.dept], tree.dept, units) == ""
    _units, problems = parse_assignees("16681 KHONG loai:tinh2", units)
    assert problems and "KHONG, loai:tinh2" in problems[0]


# --- the page ------------------------------------------------------------------------------------


PAGES = ["programme_workbook", "programme_export", "programme_template"]


@pytest.mark.parametrize("person", OTHERS)
def test_the_page_refuses_others(people: People, programme: None, person: str) -> None:
    client = client_for(getattr(people, person))
    for name in PAGES:
        assert client.get(reverse(f"reporting:{name}")).status_code == 403, name
    before = _snapshot()
    upload = io.BytesIO(_new_programme())
    upload.name = "chuong-trinh.xlsx"
    response = client.post(reverse("reporting:programme_workbook"), {"file": upload})
    assert response.status_code == 403
    assert _snapshot() == before and not ImportJob.objects.exists()


@pytest.mark.parametrize("person", ["standing", "sysadmin"])
def test_the_office_previews_then_imports_on_the_page(
    people: People, tree: Tree, person: str, django_assert_max_num_queries
) -> None:
    client = client_for(getattr(people, person))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("reporting:programme_workbook"))
    assert page.status_code == 200 and 'data-testid="programme-export"' in page.content.decode()
    template = client.get(reverse("reporting:programme_template"))
    assert _cells(b"".join(template.streaming_content)) == _cells(template_programme())

    def upload(dry_run: bool) -> str:
        data = io.BytesIO(_new_programme())
        data.name = "chuong-trinh.xlsx"
        response = client.post(
            reverse("reporting:programme_workbook"), {"file": data, "dry_run": dry_run or ""}
        )
        assert response.status_code == 302
        with django_assert_max_num_queries(10):
            return client.get(response["Location"]).content.decode()

    preview = upload(dry_run=True)
    assert "Xem trước — chưa lưu gì." in preview and 'data-testid="programme-sheets"' in preview
    assert "T-1, T-2, T-3, T-4" in preview and not Task.objects.exists()
    done = upload(dry_run=False)
    assert "Đã nhập xong." in done and Task.objects.count() == 4
    with django_assert_max_num_queries(28):  # one read per kind of row, whatever their number
        export = client.get(reverse("reporting:programme_export"))
    assert _cells(b"".join(export.streaming_content)) == _cells(export_programme())


def test_the_page_asks_to_sign_in(tree: Tree, client: Any) -> None:
    for name in PAGES:
        response = client.get(reverse(f"reporting:{name}"))
        assert response.status_code == 302 and "/login" in response["Location"], name


def test_the_page_names_the_bad_cells(people: People, tree: Tree) -> None:
    client = client_for(people.standing)
    data = io.BytesIO(_set(_new_programme(), "Nhiệm vụ", 2, "Nguồn", "KHONG-CO"))
    data.name = "chuong-trinh.xlsx"
    response = client.post(reverse("reporting:programme_workbook"), {"file": data}, follow=True)
    assert "Trang “Nhiệm vụ”: Không có nguồn mã “KHONG-CO”." in response.content.decode()
    assert not Task.objects.exists()


def test_a_number_written_as_text_must_be_clear(people: People, tree: Tree) -> None:
    """ "25,5" is 25.5, but "1.000" may be a thousand written the Vietnamese way: refused, as the
    figure import does."""
    content = _set(_new_programme(), "Mục tiêu", 2, "Giá trị", "1.000")
    (error,) = _rejected(people, content)
    assert error.startswith("Dòng 2, cột “Giá trị”: Trang “Mục tiêu”: “1.000” không rõ")


@pytest.mark.parametrize("person", OTHERS)
def test_sources_and_areas_are_the_standing_office_s(
    people: People, tree: Tree, person: str
) -> None:
    actor = getattr(people, person)
    with pytest.raises(PermissionDenied):
        task_services.save_source(actor=actor, code="KH", name="Kế hoạch")
    with pytest.raises(PermissionDenied):
        task_services.save_area(actor=actor, code="NNL", name="Nguồn nhân lực")
    assert not Source.objects.exists() and not Area.objects.exists()
