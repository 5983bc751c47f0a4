"""Issue 14 item 4 on the demo: a generated report is kept as it was made (file, SHA-256,
statements with their figures, prose; never changed nor deleted), and `report_changes` lists
exactly the statements a later correction changed, with the correction behind each (who asked,
who approved, when, why) and the draft of a correction note; the report's changes page shows the
same to those who may see the report."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents import services
from documents.changes import report_changes
from documents.content import Kind
from documents.models import FrozenReport, GeneratedReport, JobStatus
from indicators.models import DataElement
from org.models import Unit, User
from org.tests.test_views import client_for
from periods import seals
from periods.models import Period, Seal
from reporting import corrections
from tasks import services as task_services
from tasks.models import Assignment, Task
from tasks.timeliness import Status

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.usefixtures("demo_data", "db")]


def _office() -> User:
    return User.objects.get(username="thuongtruc")


@pytest.fixture
def kept(django_capture_on_commit_callbacks: Any) -> GeneratedReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            actor=_office(), kind=Kind.QUARTERLY, period=Period.objects.get(code="2025-Q3"),
            unit=Unit.objects.get(code="40"), fmt="docx",
        )  # fmt: skip
    report.refresh_from_db()
    assert report.status == JobStatus.DONE, report.error
    return report


def _status_correction() -> Assignment:
    """A commune's completed programme task set back to 90% on 30/09, in a report it sent."""
    sealed = Seal.objects.filter(period__code="2025-Q3").values("unit")
    assignment = (
        Assignment.objects.filter(
            task__source__code="KH02-GD1", unit__in=sealed, latest_date__lte=date(2025, 9, 30)
        )
        .select_related("unit", "task")
        .order_by("task__code", "unit__code")
        .first()
    )
    assert assignment is not None
    asker = User.objects.filter(unit=assignment.unit, role="reporter").first()
    assert asker is not None
    requested = corrections.request_correction(
        actor=asker, unit=assignment.unit, period=Period.objects.get(code="2025-Q3"),
        reason="Xã báo cáo nhầm: còn thiếu thiết bị", assignment=assignment,
        status=Status.IN_PROGRESS, progress=90, effective_date=date(2025, 9, 30),
    )  # fmt: skip
    corrections.approve_correction(actor=_office(), correction=requested)
    return assignment


def test_a_kept_report_holds_its_file_checksum_figures_and_prose(kept: GeneratedReport) -> None:
    with kept.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == kept.checksum
    by_key = {s["key"]: s for s in kept.statements}
    communes = by_key["prose.ket-qua-dat-duoc.4"]
    assert communes["figures"]["communes.KH02-GD1:complete"] == "130"
    assert communes["section"][-1] == "- Kết quả đạt được:"
    assert communes["tasks"] and by_key["tasks.province.completed"]["figures"] == {
        "count": "40", "total": "102", "share": "39,2%",
    }  # fmt: skip
    assert kept.basis["tasks"]["NQ71-021"] == "proposed_removal"
    assert kept.basis["indicators"]["HT_XH_KH02"] == "4"
    assert kept.prose["kien-nghi"].startswith("Đề nghị Ban Chỉ đạo Trung ương")


def test_a_kept_report_is_never_changed_nor_deleted(kept: GeneratedReport) -> None:
    kept.stage = "sửa"
    with pytest.raises(FrozenReport):
        kept.save()
    with pytest.raises(FrozenReport):
        kept.delete()
    assert GeneratedReport.objects.get(pk=kept.pk).stage == "Đã xong"


def test_nothing_changed_nothing_listed(kept: GeneratedReport) -> None:
    found = report_changes(kept)
    assert found.changes == [] and found.note == [] and found.file_intact is True


def test_an_approved_status_correction_lists_exactly_the_statements_it_changed(
    kept: GeneratedReport,
) -> None:
    assignment = _status_correction()
    found = report_changes(kept)
    # the sentences stating the communes' programme: nothing else changed
    assert [c.key for c in found.changes] == ["prose.ket-qua-dat-duoc.4", "prose.ha-tang-ket-qua.3"]
    first = found.changes[0]
    assert ("communes.KH02-GD1:complete", "130", "129") in first.figures
    assert "130/130 xã hoàn thành 16/16 nhiệm vụ (đạt 100%)" in (first.before or "")
    assert "129/130 xã hoàn thành 16/16 nhiệm vụ (đạt 99,2%)" in (first.after or "")
    (entry,) = first.entries
    assert entry.kind == "correction"
    assert entry.what.startswith(f"Điều chỉnh của {assignment.unit.name}, Quý III/2025: nhiệm vụ")
    assert "từ “Đã hoàn thành” thành “Đang thực hiện (90%)”" in entry.what
    assert entry.reason == "Xã báo cáo nhầm: còn thiếu thiết bị"
    assert entry.by.endswith("duyệt") and "Cơ quan thường trực" in entry.by
    assert entry.url == f"/reports/2025-Q3/{assignment.unit.code}/"
    assert found.note[0] == "ĐÍNH CHÍNH SỐ LIỆU"
    assert found.note[2].startswith(
        "1. Tại mục “1. Về công tác chỉ đạo, điều hành”, “a) Thống kê số nhiệm vụ”, “Kết quả "
        "đạt được”: “(4) Hoàn thành giai đoạn 1"
    )
    assert found.note[2].endswith("; lý do: Xã báo cáo nhầm: còn thiếu thiết bị.")
    assert found.note[-1] == "Các nội dung khác của báo cáo giữ nguyên."


def test_an_approved_figure_correction_lists_the_statement_naming_it(
    kept: GeneratedReport,
) -> None:
    corrections.correct_directly(
        actor=_office(), unit=Unit.objects.get(code="SKHCN"),
        period=Period.objects.get(code="2025-Q3"), reason="Bổ sung 02 tổ chức mới",
        element=DataElement.objects.get(code="TC_KHCN_CL"), value=Decimal(30),
    )  # fmt: skip
    found = report_changes(kept)
    assert [c.key for c in found.changes] == ["prose.nang-luc-khcn.1"]
    (change,) = found.changes
    assert change.figures_before["element.TC_KHCN_CL:value"] == "28"
    assert change.figures_after["element.TC_KHCN_CL:value"] == "30"
    (entry,) = change.entries
    assert entry.kind == "correction" and "từ 28 thành 30" in entry.what


def test_the_command_prints_the_changes_and_the_note_and_json(kept: GeneratedReport) -> None:
    _status_correction()
    out = io.StringIO()
    call_command("report_changes", kept.pk, stdout=out)
    text = out.getvalue()
    assert "2 nhận định có số liệu khác khi tính lại" in text and "khớp mã SHA-256" in text
    assert "Trước: (4) Hoàn thành giai đoạn 1" in text and "Dự thảo đính chính:" in text
    out = io.StringIO()
    call_command("report_changes", kept.pk, "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["report"] == kept.pk and data["checksum"] == kept.checksum
    assert [c["key"] for c in data["changes"]] == [
        "prose.ket-qua-dat-duoc.4", "prose.ha-tang-ket-qua.3",
    ]  # fmt: skip
    assert data["changes"][0]["entries"][0]["kind"] == "correction"
    assert data["note"][0] == "ĐÍNH CHÍNH SỐ LIỆU"


def test_a_changed_file_is_told(kept: GeneratedReport) -> None:
    with kept.file.open("wb") as handle:
        handle.write(b"not the report")
    assert report_changes(kept).file_intact is False


@pytest.mark.parametrize(
    ("username", "status"),
    [("thuongtruc", 200), ("lanhdao", 200), ("bc.skhcn", 404)],
)
def test_the_changes_page(
    kept: GeneratedReport, username: str, status: int, django_assert_max_num_queries: Any
) -> None:
    _status_correction()
    client = client_for(User.objects.get(username=username))
    with django_assert_max_num_queries(45):  # the report computed again, the entries: bounded
        response = client.get(reverse("documents:changes", args=[kept.pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert html.count('data-testid="change-') == 2
        assert "Xã báo cáo nhầm: còn thiếu thiết bị" in html and "ĐÍNH CHÍNH SỐ LIỆU" in html
        assert "<code>communes.KH02-GD1:complete</code> 130 → <strong>129</strong>" in html


def test_the_reports_page_shows_the_changes_when_opened(kept: GeneratedReport) -> None:
    _status_correction()
    client = client_for(_office())
    page = client.get(reverse("documents:detail", args=[kept.pk])).content.decode()
    assert f'hx-get="{reverse("documents:changes", args=[kept.pk])}"' in page
    part = client.get(reverse("documents:changes", args=[kept.pk]), HTTP_HX_REQUEST="true")
    html = part.content.decode()
    assert html.startswith('<div id="changes-summary"') and "<html" not in html
    assert html.count('data-testid="change-') == 2


def test_a_task_edit_applying_after_the_report_lists_nothing(kept: GeneratedReport) -> None:
    """Issue 14: moving a deadline today leaves the Q3 report as it was."""
    late = Task.objects.get(code=next(c for c, s in kept.basis["tasks"].items() if s == "overdue"))
    office = _office()
    task_services.update_task(actor=office, task=late, deadline=date(2026, 12, 31), reason="Dời")
    assert report_changes(kept).changes == []


def test_a_task_edit_applying_before_the_report_is_listed_behind_its_statement(
    kept: GeneratedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadline corrected for the past changes the statements counting the task, and the edit
    is the entry behind them. The demo's Q3 is closed, which refuses such an edit
    (tests/test_history.py): here the period is taken as still open."""
    monkeypatch.setattr(seals, "sealed_since", lambda units, day: None)
    late = Task.objects.get(code=next(c for c, s in kept.basis["tasks"].items() if s == "overdue"))
    task_services.update_task(
        actor=_office(), task=late, deadline=date(2026, 12, 31), reason="Sai thời hạn",
        effective_on=date(2025, 9, 1),
    )  # fmt: skip
    found = report_changes(kept)
    entries = [e for c in found.changes for e in c.entries if e.kind == "task"]
    assert entries and {e.reason for e in entries} == {"Sai thời hạn"}
    assert f"Nhiệm vụ “{late.title.rstrip('. ')}”: Thời hạn từ " in entries[0].what
    assert "thành 31/12/2026 (áp dụng từ ngày 01/09/2025)" in entries[0].what
    assert all(c.entries for c in found.changes)  # each differing statement says why
