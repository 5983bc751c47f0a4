"""The report's annexes: one XLSX with the figures behind the text, as of the report's date.

Sheets: every task of the unit's subtree, the period's unit reports (the standing office's
board), the indicators, the communes × multi-unit tasks matrix, and the units' proposals with
whom each addresses (the follow-up list of those to the province's own bodies). The query count
is fixed: every list is read in one or two queries whatever the number of tasks, units or
indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from documents.composer.facts import figures_as_of
from documents.composer.proposals import to_central
from indicators.queries import IndicatorResult, indicator_values
from nq57.xlsx import add_sheet, workbook_bytes
from org.models import Unit, UnitType
from periods.models import Period
from reporting.models import ReportState, Section, SectionKind
from reporting.queries import board, board_table
from tasks import history
from tasks.models import Assignment, StatusEvent, Task
from tasks.queries import (
    Completion,
    TaskFilter,
    assignment_verdicts,
    combined_by_task,
    counted_assignments,
    latest_events,
)
from tasks.timeliness import Timeliness, Verdict

# The report's text refers to them by number ("danh sách đầy đủ tại Phụ lục 1").
TASK_SHEET = "Phụ lục 1 - Nhiệm vụ"
BOARD_SHEET = "Phụ lục 2 - Báo cáo đơn vị"
INDICATOR_SHEET = "Phụ lục 3 - Chỉ tiêu"
MATRIX_SHEET = "Phụ lục 4 - Ma trận xã"
PROPOSAL_SHEET = "Phụ lục 5 - Đề xuất, kiến nghị"
PROPOSAL_HEADERS = ("Đơn vị", "Lĩnh vực", "Đề xuất, kiến nghị", "Gửi tới", "Đưa vào báo cáo")
TASK_HEADERS = (
    "Mã nhiệm vụ",
    "Tên nhiệm vụ",
    "Nguồn",
    "Lĩnh vực",
    "Đơn vị chủ trì",
    "Thời hạn",
    "Tình trạng",
    "Đơn vị hoàn thành (k/n)",
    "Lý do",
)
INDICATOR_HEADERS = (
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Giá trị",
    "Tử số",
    "Mẫu số",
    "Đơn vị tính",
    "Mục tiêu",
    "Đánh giá",
    "Đơn vị đã báo cáo",
)
ACHIEVED_LABELS = {"met": "Đạt", "not_met": "Chưa đạt", "no_data": "Chưa có số liệu"}
REMOVED_LABEL = "Đã đưa ra khỏi nhiệm vụ"
COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)


def build_annexes(*, period: Period, unit: Unit, as_of: date) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    progress = _Progress.load(unit, as_of)
    _date_cells(add_sheet(workbook, TASK_SHEET, TASK_HEADERS, _task_rows(progress)))
    add_sheet(workbook, BOARD_SHEET, *_board_table(period, unit))
    add_sheet(workbook, INDICATOR_SHEET, INDICATOR_HEADERS, _indicator_rows(period, unit, as_of))
    matrix = add_sheet(workbook, MATRIX_SHEET, *_matrix(progress, unit))
    matrix.freeze_panes = "C2"  # the commune's code and name stay in sight too
    add_sheet(workbook, PROPOSAL_SHEET, PROPOSAL_HEADERS, _proposal_rows(period, unit))
    return workbook_bytes(workbook)


# --- every assignment's verdict, read once for the task list and the matrix ------------------


@dataclass
class _Progress:
    """The tasks counted as of the date in the unit's subtree, each with its task-level verdict,
    and the verdict of every assignment of the subtree (None once removed)."""

    tasks: list[Task]
    verdicts: dict[int, Verdict]  # task id → the task's verdict (task_stats)
    assignments: list[Assignment]
    assignment_verdict: dict[int, Verdict | None]  # assignment id → its own verdict
    events: dict[int, StatusEvent]  # assignment id → its latest event as of the date

    @classmethod
    def load(cls, unit: Unit, as_of: date) -> _Progress:
        # The very assignments and verdicts task_stats counts, so the sheets match the text.
        scope = counted_assignments(as_of=as_of, flt=TaskFilter(unit=unit, subtree=True))
        rows = assignment_verdicts(scope, as_of)
        stats = combined_by_task(rows)
        tasks = Task.objects.filter(pk__in=list(stats.verdicts)).select_related(
            "source", "area", "lead_unit"
        )
        counted = scope.filter(task__in=list(stats.verdicts))
        assignments = list(counted.select_related("task", "unit"))
        assignment_verdict = {row.pk: row.verdict for row in rows}
        then = history.as_they_were(tasks, as_of)  # each task as it was on the date
        ordered = sorted(then, key=lambda t: (t.source.code, t.code))
        return cls(
            ordered, stats.verdicts, assignments, assignment_verdict, latest_events(counted, as_of)
        )

    def by_task(self) -> dict[int, list[Assignment]]:
        grouped: dict[int, list[Assignment]] = defaultdict(list)
        for assignment in self.assignments:
            grouped[assignment.task_id].append(assignment)
        return grouped


def _label(verdict: Verdict | None) -> str:
    return str(verdict.timeliness.label) if verdict else REMOVED_LABEL


def _done(verdicts: Iterable[Verdict | None]) -> str:
    """ "k/n": of the n assignees still bound to the task, k have completed it."""
    completion = Completion.of(verdicts)
    return f"{completion.done}/{completion.present}"


# --- the sheets ------------------------------------------------------------------------------


def _task_rows(progress: _Progress) -> list[list[Any]]:
    by_task = progress.by_task()
    rows = []
    for task in progress.tasks:
        assignments = by_task[task.pk]
        reasons = dict.fromkeys(
            progress.events[a.pk].reason
            for a in assignments
            if a.pk in progress.events and progress.events[a.pk].reason
        )
        rows.append(
            [
                task.code,
                task.title,
                task.source.code,
                task.area.name,
                task.lead_unit.name,
                task.deadline or _no_deadline(progress.verdicts[task.pk]),
                _label(progress.verdicts[task.pk]),
                _done(progress.assignment_verdict[a.pk] for a in assignments),
                "; ".join(reasons),
            ]
        )
    return rows


def _no_deadline(verdict: Verdict) -> str:
    """A task without a deadline is "thường xuyên" when carried out as such, else blank."""
    return "Thường xuyên" if verdict.timeliness == Timeliness.RECURRING else ""


def _date_cells(sheet: Worksheet) -> None:
    """Deadlines are real dates, shown the Vietnamese way."""
    for (cell,) in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"


def _board_table(period: Period, unit: Unit) -> tuple[Sequence[str], list[tuple[str, ...]]]:
    """The board's own table (same headers, states and times), kept to the unit's subtree."""
    return board_table([row for row in board(period) if row.unit.path.startswith(unit.path)])


def _number(value: Decimal | None) -> float | str:
    """A figure as a spreadsheet number, to two decimals (ratios are long fractions)."""
    return "" if value is None else round(float(value), 2)


def _indicator_rows(period: Period, unit: Unit, as_of: date) -> list[list[Any]]:
    """The indicators, their figures read as the report's text reads them (figures_as_of)."""
    results = indicator_values(period, unit, as_of=figures_as_of(period, as_of))
    return [_indicator_row(result) for result in results]


def _indicator_row(result: IndicatorResult) -> list[Any]:
    indicator = result.indicator
    return [
        indicator.code,
        indicator.name,
        _number(result.value),
        _number(result.numerator),
        _number(result.denominator),
        indicator.unit_label,
        _number(result.target),
        ACHIEVED_LABELS[result.achieved],
        f"{result.coverage.reported}/{result.coverage.required}",
    ]


def _matrix(progress: _Progress, unit: Unit) -> tuple[list[str], list[list[Any]]]:
    """Communes × the tasks given to several units (one of them a commune of the subtree): each
    cell is the commune's own state as of the date, blank where the task is not the commune's."""
    communes = Unit.objects.filter(path__startswith=unit.path, unit_type__in=COMMUNE_TYPES)
    shared = set(
        Task.objects.annotate(assignees=Count("assignments"))
        .filter(pk__in=[t.pk for t in progress.tasks], assignees__gt=1)
        .values_list("pk", flat=True)
    )
    cell: dict[tuple[int, int], Verdict | None] = {}  # (commune id, task id) → its verdict
    for assignment in progress.assignments:
        if assignment.task_id in shared and assignment.unit.unit_type in COMMUNE_TYPES:
            verdict = progress.assignment_verdict[assignment.pk]
            cell[assignment.unit_id, assignment.task_id] = verdict
    used = {task_id for _, task_id in cell}
    columns = [t for t in progress.tasks if t.pk in used]
    headers = ["Mã đơn vị", "Xã, phường", *(t.code for t in columns), "Hoàn thành (k/n)"]
    rows = []
    for commune in communes.order_by("path"):
        keys = [(commune.pk, t.pk) for t in columns]
        states = [_label(cell[key]) if key in cell else "" for key in keys]
        done = _done(cell[key] for key in keys if key in cell)
        rows.append([commune.code, commune.name, *states, done])
    return headers, rows


def _proposal_rows(period: Period, unit: Unit) -> list[list[Any]]:
    """The follow-up list of the units' proposals in their received reports: those to central
    bodies go into the report (part IV), those to the province's own bodies are followed up
    here (documents.composer.proposals.to_central, the one rule)."""
    sections = Section.objects.filter(
        report__period=period,
        report__state=ReportState.RECEIVED,
        report__unit__path__startswith=unit.path,
        kind=SectionKind.PROPOSALS,
    ).select_related("report__unit", "area")
    rows = []
    for section in sections.order_by("report__unit__path", "order", "id"):
        central = to_central(section.text)
        rows.append(
            [
                section.report.unit.name,
                section.area.name if section.area else "",
                section.text.strip(),
                "Cơ quan Trung ương" if central else "Cơ quan cấp tỉnh",
                "Có" if central else "Không (theo dõi, xử lý tại tỉnh)",
            ]
        )
    return rows
