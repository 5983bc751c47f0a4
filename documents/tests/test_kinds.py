"""Issue 17 item 4 on the demo: the six-month, nine-month and year-end reports and the one-page
brief for a Steering Committee meeting. `build_report --kind year --period 2026` and `--kind half
--period 2026-H1` work; the year report's figures are `task_stats`'s and `indicator_values`'s at
its date, say which of the year's targets were met and compare with the previous year; next year's
direction comes from the programme."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document

from documents.composer import build_content
from documents.content import Kind, Paragraph, ReportContent
from documents.services import data_date
from documents.wording import count
from org.models import Unit
from periods.models import Period

pytestmark = pytest.mark.usefixtures("demo_data", "db")


def _content(kind: Kind, code: str, as_of: date | None = None) -> ReportContent:
    return build_content(
        kind=kind, period=Period.objects.get(code=code), unit=Unit.objects.get(code="40"),
        as_of=as_of, prose={},
    )  # fmt: skip


def _by_key(content: ReportContent) -> dict[str, Paragraph]:
    return {p.key: p for p in content.statements()}


def _task_stats(*args: str) -> dict[str, int]:
    out = io.StringIO()
    call_command("task_stats", *args, "--json", stdout=out)
    counts: dict[str, int] = json.loads(out.getvalue())
    return counts


def _built(tmp_path: Path, kind: str, period: str) -> list[str]:
    output = tmp_path / f"{kind}.docx"
    call_command(
        "build_report", "--kind", kind, "--period", period, "--format", "docx",
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    return [p.text for p in Document(str(output)).paragraphs]


@pytest.mark.clock("2026-12-07T09:00")
def test_the_2026_year_report_and_first_half_build_on_the_demo(tmp_path: Path) -> None:
    year = _built(tmp_path, "year", "2026")
    assert year[1] == (
        "tổng kết năm 2026 thực hiện Nghị quyết số 57-NQ/TW\nvà phương hướng, nhiệm vụ năm 2027"
    )
    assert "I- KẾT QUẢ THỰC HIỆN NĂM 2026" in year
    assert "III- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in year
    half = _built(tmp_path, "half", "2026-H1")
    assert "I- KẾT QUẢ TRIỂN KHAI 6 THÁNG ĐẦU NĂM 2026" in half
    assert any(line.endswith("6 tháng cuối năm 2026") for line in half)  # next steps' span


@pytest.mark.clock("2026-12-07T09:00")
def test_the_2026_year_reports_figures_are_task_stats_on_its_date() -> None:
    year = Period.objects.get(code="2026")
    content = _content(Kind.YEAR, "2026", as_of=data_date(year, None))
    assert content.as_of == date(2026, 12, 7)  # the year is not over: today
    statements = _by_key(content)
    counts = _task_stats("--as-of", "2026-12-07", "--source", "NQ57-TINH", "--year", "2026")
    for state in ("completed", "on_time", "not_on_time"):
        line = statements[f"tasks.year.{state}"]
        assert line.figure("count") == count(counts[state])
        assert line.figure("total") == count(counts["total"])
    everything = _task_stats("--as-of", "2026-12-07", "--source", "NQ57-TINH")
    assert statements["tasks.province.completed"].figure("total") == count(everything["total"])
    before = _task_stats("--as-of", "2025-12-31", "--source", "NQ57-TINH", "--year", "2025")
    year = statements["year.tasks"]
    assert year.figure("previous_completed") == count(before["completed"])
    assert year.text.endswith(
        f"năm 2025 hoàn thành {before['completed']}/{before['total']} nhiệm vụ của năm (100%)."
    )
    # no figures were entered for any quarter of 2026: said, not shown as zeros
    assert statements["indicators.none"].text == "Chưa có số liệu chỉ tiêu năm 2026."
    direction = statements["next_year.tasks"]
    assert direction.text.startswith("Năm 2027, các cơ quan, đơn vị tập trung thực hiện ")


@pytest.mark.clock("2026-01-05T09:00")
def test_the_2025_year_report_says_which_targets_were_met() -> None:
    """Built on 05/01/2026, when the demo's figures are stored: the year's figures are the last
    quarter's, as `indicator_values` gives them for that day."""
    content = _content(Kind.YEAR, "2025", as_of=date(2026, 1, 5))
    statements = _by_key(content)
    out = io.StringIO()
    call_command("indicator_values", "--period", "2025-Q3", "--json", stdout=out)
    values = {row["code"]: row for row in json.loads(out.getvalue())}
    targets = statements["year.targets"]
    assert targets.text.startswith("Năm 2025, đạt và vượt 29/45 chỉ tiêu có mục tiêu của năm (64%)")
    met = {key.rsplit(".", 1)[1] for key in statements if key.startswith("year.targets.met.")}
    not_met = {
        key.rsplit(".", 1)[1] for key in statements if key.startswith("year.targets.not_met.")
    }
    assert met and all(values[code]["achieved"] == "met" for code in met)
    assert not_met and all(values[code]["achieved"] == "not_met" for code in not_met)
    assert len(met) == 10  # ten named, the others in annex 3
    assert any(p.text == "+ Và 19 chỉ tiêu khác (danh sách tại Phụ lục 3)." for p in content.body)
    rank = statements["year.targets.met.HT_XH_KH02"]
    assert "đứng thứ 4; mục tiêu: trong nhóm 05 địa phương dẫn đầu, đã đạt" in rank.text
    assert "năm 2024" not in rank.text  # no 2024 figures to compare with
    direction = statements["next_year.tasks"]
    # the demo's ten tasks of 2026, and the seven of the plan demo.today issues on its day
    assert direction.figure("new") == "17"


@pytest.mark.clock("2026-10-05T09:00")
def test_the_nine_month_report() -> None:
    content = _content(Kind.NINE_MONTHS, "2026-9M")  # the demo's nine-month period
    assert content.subject == (
        "tình hình thực hiện Nghị quyết số 57-NQ/TW\n9 tháng đầu năm 2026 và nhiệm vụ, giải "
        "pháp trọng tâm cuối năm 2026"
    )
    headings = [p.text for p in content.body if p.style == "heading1"]
    assert headings[0] == "I- KẾT QUẢ TRIỂN KHAI 9 THÁNG ĐẦU NĂM 2026"


@pytest.mark.clock("2026-01-05T09:00")
def test_the_brief_for_a_steering_committee_meeting() -> None:
    content = _content(Kind.BRIEF, "2025-09")
    statements = _by_key(content)
    red = statements["brief.red"]
    assert red.text.startswith("Có 10 nhiệm vụ chưa thực hiện trong hạn và 07 nhiệm vụ có nguy cơ")
    items = [p for p in content.statements() if p.key.startswith("brief.red.")]
    assert len(items) == 4
    assert all(" → " in p.text for p in items)
    assert "tiến độ tại các ngày 31/07, 31/08, 30/09" in red.text
    # a task of one unit by its progress, a task of many by how many completed it
    assert items[0].text.endswith("đang tạm dừng thực hiện; 15% → 15% → 15%.")
    changes = statements["brief.changes"]
    assert changes.text.startswith(
        "Từ phiên họp trước (số liệu ngày 31/08/2025) đến ngày 30/09/2025: hoàn thành thêm"
    )
    assert [p.text for p in content.body if p.style == "heading1"] == [
        "I- NHIỆM VỤ CHẬM, CÓ NGUY CƠ CHẬM TIẾN ĐỘ",
        "II- THAY ĐỔI TỪ PHIÊN HỌP TRƯỚC",
        "III- ĐỀ XUẤT, KIẾN NGHỊ CẦN XỬ LÝ",
    ]
