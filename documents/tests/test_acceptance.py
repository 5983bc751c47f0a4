"""Issue 6 on the Nghệ An demo: the standing office asks for the Q3/2025 report in one click, the
job generates it, and the Word file read back says what the signed report said, with the demo's
figures, its two footnoted tasks, its letterhead and its signature; the PDF follows from it."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from demo.documents import load_document_profiles
from documents.models import GeneratedReport, JobStatus
from documents.pdf import pdf_available
from documents.tests.reading import footnote_texts
from org.models import User
from org.tests.test_views import client_for

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.usefixtures("demo_data", "db")]

STATEMENTS = [
    "Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ: 40/102.",
    "Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ: 53/102",
    "Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ: 09/102",
    "Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ năm 2025: 38/82.",
    "Nhiệm vụ đang thực hiện trong hạn/tổng số nhiệm vụ năm 2025: 43/82.",
    "Nhiệm vụ chưa thực hiện trong hạn/tổng số nhiệm vụ năm 2025: 01/82",
    "Nhiệm vụ hoàn thành trong hạn: 10/21.",
    "Nhiệm vụ đang thực hiện trong hạn: 10/21.",
    "Nhiệm vụ chưa thực hiện trong hạn: 01/21.",
    "có 44 nhiệm vụ (chiếm 54%) chưa và đang triển khai, trong đó có 08 nhiệm vụ chậm hoặc có "
    "nguy cơ chậm tiến độ",
    "đạt và vượt 39/65 chỉ tiêu",
    "(60%)",
    "29/45",
    "(64%)",
    "07/43",
    "08/43",
    "16/43",
    "12/43",
    "130/130 xã, phường hoàn thành 16/16 nhiệm vụ",
    "111/130 xã, phường đã ban hành Kế hoạch bình dân học vụ số (đạt 85,4%)",
    "09 văn bản; lũy kế toàn thời gian là 30 văn bản",
    "181.580/207.954 đảng viên (đạt 87,3%)",
]
FOOTNOTES = [
    (
        "Xây dựng Đề án thí điểm triển khai bản sao số cho một số thành phố lớn trực thuộc "
        "Trung ương",
        "đề nghị đưa ra khỏi nhiệm vụ của địa phương",
    ),
    (
        "Đề án Phát triển thành phố Vinh thành trung tâm Y tế chuyên sâu khu vực Bắc Trung Bộ",
        "tạm dừng thực hiện",
    ),
]
RECIPIENTS = [
    "- Văn phòng Trung ương Đảng,",
    "- Thường trực Tỉnh ủy,",
    "- Đảng ủy các cơ quan Đảng tỉnh,",
    "- Đảng ủy UBND tỉnh,",
    "- Các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy; các ban, sở, ngành; Mặt trận Tổ "
    "quốc và các tổ chức chính trị - xã hội cấp tỉnh,",
    "- Các xã, phường,",
    "- Thành viên Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi "
    "số, cải cách hành chính và Đề án 06 tỉnh,",
    "- Thành viên Tổ Giúp việc Ban Chỉ đạo tỉnh,",
    "- Phòng Chuyển đổi số-Cơ yếu, Văn phòng Tỉnh ủy,",
    "- Lưu Văn phòng Tỉnh ủy.",
]


@pytest.fixture
def office() -> Iterator[User]:
    admin = User.objects.get(username="admin")
    load_document_profiles(admin)
    assert load_document_profiles(admin) == 0  # idempotent
    yield User.objects.get(username="thuongtruc")


def _generate(office: User, capture: Any, **form: str) -> GeneratedReport:
    data = {"kind": "quarterly", "period": "2025-Q3", "fmt": "docx", **form}
    with capture(execute=True):
        response = client_for(office).post(reverse("documents:index"), data)
    assert response.status_code == 302
    report = GeneratedReport.objects.latest("requested_at")
    assert report.status == JobStatus.DONE, report.error
    return report


def _file(report: GeneratedReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def _cells(document: Any) -> list[str]:
    return [p.text for t in document.tables for c in t._cells for p in c.paragraphs if p.text]


def test_the_q3_report_in_one_click(office: User, django_capture_on_commit_callbacks: Any) -> None:
    report = _generate(office, django_capture_on_commit_callbacks)
    # Its time is recorded (the generation page shows it); the 5 s target is measured by
    # `build_report` and `make bench`, never asserted here (a loaded machine is not a failure).
    assert report.duration is not None
    document = Document(io.BytesIO(_file(report)))
    body = "\n".join(p.text for p in document.paragraphs)
    for statement in STATEMENTS:
        assert statement in body, statement
    notes = footnote_texts(document)
    for task, reason in FOOTNOTES:
        assert any(task in note and reason in note for note in notes), task
    # The letterhead, the basis paragraph and the signature block come from the stored profile.
    cells = _cells(document)
    for text in ("TỈNH ỦY NGHỆ AN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số      -BC/TU"):
        assert text in cells, text
    assert any(c.startswith("Nghệ An, ngày") and c.endswith("năm 2026") for c in cells)
    assert body.count("Thực hiện Công văn số 17997-CV/VPTW, ngày 30/9/2025") == 1
    for text in ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Võ Thị Minh Sinh", *RECIPIENTS):
        assert text in cells, text
    assert "BÁO CÁO" in body


def test_traceability_lists_the_statements_with_their_lists(
    office: User, django_capture_on_commit_callbacks: Any
) -> None:
    report = _generate(office, django_capture_on_commit_callbacks)
    by_key = {s["key"]: s for s in report.statements}
    assert by_key["tasks.province.completed"]["text"].endswith("40/102.")
    (link,) = by_key["tasks.year.not_on_time"]["links"]
    assert "as_of=30%2F09%2F2025" in link["url"]
    assert by_key["tasks.year.not_on_time"]["footnotes"]
    html = client_for(office).get(reverse("documents:detail", args=[report.pk])).content.decode()
    assert "Nhiệm vụ đã hoàn thành/tổng số nhiệm vụ: 40/102." in html
    assert link["url"].replace("&", "&amp;") in html
    viewer = User.objects.get(username="lanhdao")
    response = client_for(viewer).get(reverse("documents:download", args=[report.pk]))
    assert response.status_code == 200
    reporter = User.objects.get(username="bc.skhcn")
    response = client_for(reporter).get(reverse("documents:download", args=[report.pk]))
    assert response.status_code == 404


def test_the_q3_report_as_pdf(office: User, django_capture_on_commit_callbacks: Any) -> None:
    """Through the page and the job, as a user asks for it. CI installs LibreOffice: there a
    missing one is a failure, not a skip."""
    if not pdf_available():
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice must be installed on CI")
        pytest.skip("LibreOffice is not installed")
    report = _generate(office, django_capture_on_commit_callbacks, fmt="pdf")
    assert report.file.name.endswith(".pdf")
    data = _file(report)
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 5
    response = client_for(office).get(reverse("documents:download", args=[report.pk]))
    assert response["Content-Type"] == "application/pdf"
