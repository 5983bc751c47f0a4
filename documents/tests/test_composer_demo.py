"""The composer on the Nghệ An demo: the prose the demo entered states the current figures (a
corrected figure changes in the sentence), prose survives generating again and each version keeps
the prose it was written with, results are worded as a person writes them, the units' proposals
to provincial bodies go to annex 5, and the corrections approved for an earlier period are stated
in the next report."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from documents import services
from documents.annexes import PROPOSAL_HEADERS, PROPOSAL_SHEET, build_annexes
from documents.composer import build_content
from documents.composer.indicator_statements import quantity
from documents.content import Kind, ReportContent
from documents.models import GeneratedReport, JobStatus, OutlineSection, SectionText
from indicators.models import DataElement
from org.models import Unit, User
from org.tests.test_views import client_for
from periods.models import Period, PeriodKind, Seal
from reporting import corrections
from reporting import services as reporting_services
from reporting.models import ReportState, Section, SectionKind
from tasks.models import Assignment
from tasks.timeliness import Status

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.usefixtures("demo_data", "db")]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _office() -> User:
    return User.objects.get(username="thuongtruc")


def _q3() -> Period:
    return Period.objects.get(code="2025-Q3")


def _root() -> Unit:
    return Unit.objects.get(code="40")


def _report(**kwargs: Any) -> ReportContent:
    return build_content(kind=Kind.QUARTERLY, period=_q3(), unit=_root(), **kwargs)


def _text(content: ReportContent) -> str:
    return "\n".join(p.text for p in content.body)


def _sealed_assignment() -> Assignment:
    """A commune's completed programme task in a report it sent (sealed), nothing after Q3."""
    sealed = Seal.objects.filter(period__code="2025-Q3").values("unit")
    return (
        Assignment.objects.filter(
            task__source__code="KH02-GD1", unit__in=sealed, latest_date__lte=date(2025, 9, 30)
        )
        .select_related("unit")
        .order_by("task__code", "unit__code")
        .first()
    )  # type: ignore[return-value]


def test_a_corrected_figure_changes_in_the_prose() -> None:
    before = _text(_report())
    assert "Hiện toàn tỉnh duy trì 28 tổ chức khoa học, công nghệ công lập" in before
    assert "với kết quả 130/130 xã hoàn thành 16/16 nhiệm vụ (đạt 100%)" in before
    office, q3 = _office(), _q3()
    corrections.correct_directly(
        actor=office, unit=Unit.objects.get(code="SKHCN"), period=q3,
        reason="Bổ sung 02 tổ chức mới thành lập",
        element=DataElement.objects.get(code="TC_KHCN_CL"), value=Decimal(30),
    )  # fmt: skip
    assignment = _sealed_assignment()
    corrections.correct_directly(
        actor=office, unit=assignment.unit, period=q3, reason="Báo cáo nhầm",
        assignment=assignment, status=Status.IN_PROGRESS, progress=90,
        effective_date=date(2025, 9, 30),
    )  # fmt: skip
    after = _text(_report())
    assert "Hiện toàn tỉnh duy trì 30 tổ chức khoa học, công nghệ công lập" in after
    assert "với kết quả 129/130 xã hoàn thành 16/16 nhiệm vụ (đạt 99,2%)" in after
    assert "xác nhận 129/130 xã, phường của Nghệ An" in after  # every place the figure is named


def test_the_prose_is_the_stored_one_and_computed_sections_print_their_blocks() -> None:
    content = _report()
    stored = SectionText.objects.filter(kind=Kind.QUARTERLY, period=_q3(), unit=_root())
    assert content.prose == {t.section: t.text for t in stored}
    assert "thong-ke" not in content.prose  # the task statistics: computed, no prose
    keys = {p.key for p in content.statements()}
    assert {"tasks.intro", "tasks.province.completed", "tasks.year.backlog"} <= keys
    assert "prose.ket-qua-dat-duoc.4" in keys  # a prose paragraph holding figures is a statement
    assert content.warnings == []  # every figure the prose names is found


def _generate(capture: Any) -> GeneratedReport:
    with capture(execute=True):
        report = services.request_report(
            actor=_office(), kind=Kind.QUARTERLY, period=_q3(), unit=_root(), fmt="docx"
        )
    report.refresh_from_db()
    assert report.status == JobStatus.DONE, report.error
    return report


def _docx_text(report: GeneratedReport) -> str:
    with report.file.open("rb") as handle:
        return "\n".join(p.text for p in Document(io.BytesIO(handle.read())).paragraphs)


def test_prose_survives_generating_again_and_each_version_keeps_its_own(
    django_capture_on_commit_callbacks: Any,
) -> None:
    capture = django_capture_on_commit_callbacks
    first = _generate(capture)
    second = _generate(capture)
    assert (first.version, second.version) == (1, 2)
    sentence = "Đã tổ chức 02 cuộc làm việc trực tiếp, trực tuyến với các địa phương"
    assert sentence in _docx_text(first) and sentence in _docx_text(second)
    assert first.prose == second.prose and first.prose["ban-chi-dao"].startswith("[[directives]]")
    services.save_prose(
        actor=_office(), kind=Kind.QUARTERLY, period=_q3(), unit=_root(), section="tai-chinh",
        text="Tỉnh đã bố trí **kinh phí** cho chuyển đổi số.",
    )  # fmt: skip
    third = _generate(capture)
    assert "Tỉnh đã bố trí kinh phí cho chuyển đổi số." in _docx_text(third)
    assert "Tỉnh đã bố trí" not in _docx_text(first)  # a kept version is what it was
    first.refresh_from_db()
    assert first.prose["tai-chinh"].startswith("Trên cơ sở hướng dẫn của Bộ Khoa học")
    assert third.prose["tai-chinh"] == "Tỉnh đã bố trí **kinh phí** cho chuyển đổi số."


def test_results_are_worded_as_a_person_writes_them() -> None:
    statements = {p.key: p for p in _report(prose={}).statements()}
    assert statements["indicator.HT_XH_KH02"].text == (
        "- Thứ hạng toàn quốc hoàn thành giai đoạn 1 Kế hoạch 02-KH/BCĐTW: đứng thứ 4; mục "
        "tiêu: trong nhóm 05 địa phương dẫn đầu, đã đạt."
    )
    assert statements["indicator.HT_IOC"].text == (
        "- Trung tâm Giám sát, điều hành thông minh (IOC) vận hành chính thức: chưa thực hiện, "
        "chưa đạt mục tiêu."
    )
    assert statements["indicator.HT_BT_TINH"].text.endswith(": 50 Mbps; mục tiêu: 50 Mbps, đã đạt.")
    assert statements["indicator.CSDL_DANCU"].text.startswith(
        "- Thông tin dân cư được thu thập, đồng bộ: 3,71 triệu bản ghi"
    )
    assert quantity(Decimal("2700000000"), "đồng") == "2,7 tỷ đồng"
    assert quantity(Decimal("125000000"), "đồng") == "125 triệu đồng"


def test_proposals_to_provincial_bodies_go_to_annex_five() -> None:
    data = build_annexes(period=_q3(), unit=_root(), as_of=date(2025, 9, 30))
    rows = list(load_workbook(io.BytesIO(data))[PROPOSAL_SHEET].iter_rows(values_only=True))
    assert rows[0] == PROPOSAL_HEADERS
    received = Section.objects.filter(
        report__period__code="2025-Q3",
        report__state=ReportState.RECEIVED,
        kind=SectionKind.PROPOSALS,
    )
    assert len(rows) - 1 == received.count()
    assert {row[3] for row in rows[1:]} == {"Cơ quan cấp tỉnh"}
    assert any(row[2].startswith("Đề nghị Sở Tài chính ưu tiên") for row in rows[1:])


@pytest.mark.clock("2025-11-10T09:00")
def test_corrections_of_an_earlier_period_are_stated_in_the_next_report() -> None:
    office = _office()
    q4 = reporting_services.create_period(
        actor=office, code="2025-Q4", kind=PeriodKind.QUARTER, title="Quý IV/2025",
        starts_on=date(2025, 10, 1), ends_on=date(2025, 12, 31),
        opens_at=datetime(2025, 12, 25, 7, tzinfo=TZ), due_at=datetime(2026, 1, 5, 17, tzinfo=TZ),
        units=[],
    )  # fmt: skip
    assignment = _sealed_assignment()
    corrections.correct_directly(
        actor=office, unit=assignment.unit, period=_q3(), reason="Xã báo cáo nhầm",
        assignment=assignment, status=Status.IN_PROGRESS, progress=90,
        effective_date=date(2025, 9, 30),
    )  # fmt: skip
    content = build_content(kind=Kind.QUARTERLY, period=q4, unit=_root(), prose={})
    statements = {p.key: p for p in content.statements()}
    head = statements["corrections.previous"]
    assert head.text == (
        "Điều chỉnh số liệu kỳ trước: trong Quý IV/2025 đã phê duyệt 01 điều chỉnh số liệu của "
        "các kỳ đã báo cáo:"
    )
    (item,) = [p for key, p in statements.items() if key.startswith("corrections.previous.")]
    assert item.text.startswith(f"- {assignment.unit.name}, Quý III/2025: nhiệm vụ “")
    assert "từ “Đã hoàn thành” thành “Đang thực hiện (90%)” (ngày 30/09/2025)" in item.text
    assert item.text.endswith("; lý do: Xã báo cáo nhầm.")
    # the Q3 report itself does not state its own correction as an earlier period's
    q3 = {p.key for p in build_content(kind=Kind.QUARTERLY, period=_q3(), unit=_root(), prose={})
          .statements()}  # fmt: skip
    assert "corrections.previous" not in q3


def test_the_composer_page_on_the_demo(django_assert_max_num_queries: Any) -> None:
    """Every section with what the units wrote for its area (merged, the units named), in a
    number of queries that does not grow with the sections, the units or their texts."""
    client = client_for(_office())
    url = reverse("documents:composer", args=["quarterly", "2025-Q3"])
    # the report computed once (~22: the year's products and the month of scores included),
    # the stored prose, the units' texts, the session's own
    with django_assert_max_num_queries(36):
        response = client.get(url)
    html = response.content.decode()
    sections = OutlineSection.objects.filter(outline__kind="quarterly").count()
    assert html.count('data-testid="section-') == sections
    # the products and grades section: nothing to state in Q3/2025, so not printed
    assert html.count('data-testid="omitted"') == 1
    data = Section.objects.filter(
        report__period__code="2025-Q3", report__state=ReportState.RECEIVED, area__code="CSDL",
        kind=SectionKind.DIFFICULTIES,
    ).first()  # fmt: skip
    assert data is not None and data.text in html  # beside section 6, to pick
    assert "{{communes.KH02-GD1:complete}}" in html  # a figure to insert, with its value
    assert 'data-testid="warning"' not in html
