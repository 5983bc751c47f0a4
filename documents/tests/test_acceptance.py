"""Issues 6 and 17 on the Nghệ An demo: the standing office asks for the Q3/2025 report in one
click, the job generates it, and the Word file read back says what the signed report said: its
headings word for word, its narrative (the prose the demo entered in the composer, from the seed's
own sentences) with every figure computed from the data, its seven footnotes, its letterhead and
its signature; the PDF follows from it."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from demo.documents import load_document_profiles
from documents.build import build
from documents.composer.letterhead import profile_for
from documents.content import Kind
from documents.models import GeneratedReport, JobStatus
from documents.pdf import pdf_available
from documents.tests.pages import (
    page_count,
    require_renderers,
    signature_page_holds_text,
    to_pdfs,
)
from documents.tests.reading import footnote_texts
from org.models import Unit, User
from org.tests.test_views import client_for
from periods.models import Period

pytestmark = [pytest.mark.clock("2026-01-05T09:00"), pytest.mark.usefixtures("demo_data", "db")]

# Every figure of the Q3/2025 report, as the generated report states it (the computed task
# statistics, the prose's figures from the data): the seed's own wording.
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
    "(4) Trong năm 2025 có tổng số 82 nhiệm vụ, hiện có 44 nhiệm vụ (chiếm 54%) chưa và đang "
    "triển khai, trong đó có 08 nhiệm vụ chậm hoặc có nguy cơ chậm tiến độ.",
    "(6) Tính đến hết Quý III, đã đạt và vượt 39/65 chỉ tiêu trong giai đoạn 2025-2045 (tương "
    "đương 60%); đạt và vượt 29/45 chỉ tiêu (đạt 64%) của năm 2025.",
    "với 07/43 nhiệm vụ trong năm 2025 đã hoàn thành; 08/43 nhiệm vụ thực hiện thường xuyên; "
    "16/43 nhiệm vụ đang triển khai theo tiến độ và 12/43 nhiệm vụ sẽ triển khai trong Quý IV.",
    "130/130 xã hoàn thành 16/16 nhiệm vụ (đạt 100%)",
    "đứng thứ 4 toàn quốc",
    "111/130 xã, phường đã ban hành Kế hoạch bình dân học vụ số",
    "09 văn bản; lũy kế toàn thời gian là 30 văn bản",
    "181.580/207.954 đảng viên (đạt 87,3%)",
    "(100% sở, ban, ngành; 95% đơn vị cấp xã đã thành lập Ban Chỉ đạo và xây dựng kế hoạch)",
    "cấp tỉnh từ 10Mbps lên 50Mbps",
    "phủ sóng 99,74% dân số; tỷ lệ phủ sóng 5G tăng từ 10% lên 20% dân số",
    "Hiện toàn tỉnh duy trì 28 tổ chức khoa học, công nghệ công lập và 43 tổ chức khoa học, "
    "công nghệ ngoài công lập",
    "Toàn tỉnh: 229.413 hồ sơ (số hồ sơ nhiều đứng 6 toàn quốc), trong đó: số hồ sơ nộp trực "
    "tiếp: 56.014 hồ sơ; số hồ sơ nộp trực tuyến: 173.399 hồ sơ",
    "Cấp xã: 184.523 hồ sơ (số hồ sơ nhiều đứng 4 toàn quốc), trong đó: số hồ sơ nộp trực tiếp: "
    "47.739 hồ sơ; số hồ sơ nộp trực tuyến: 136.784 hồ sơ, tỷ lệ hồ sơ trực tuyến chiếm: 74,13%.",
    "đã công bố 205 thủ tục hành chính",
    "đã có 10.890 doanh nghiệp, hợp tác xã và 439/439 cơ quan Công an",
    "với 251 trường hợp",
    "(đã hoàn thành đợt 1 với 50% cán bộ)",
]
# The seed's headings, word for word, in its order.
HEADINGS = [
    "I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT QUÝ III NĂM 2025",
    "1. Về công tác chỉ đạo, điều hành",
    "a) Thống kê số nhiệm vụ",
    "Nhận xét, đánh giá chung:",
    "- Kết quả đạt được:",
    "- Hạn chế, khó khăn",
    "b) Hoạt động chỉ đạo, điều hành của Ban Chỉ đạo tỉnh",
    "2. Về nâng cao nhận thức, quyết tâm chính trị, sự lan tỏa trong toàn xã hội về khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "3. Về xây dựng, hoàn thiện thể chế, chính sách, quy định về khoa học, công nghệ, đổi mới "
    "sáng tạo và chuyển đổi số",
    "4. Hạ tầng công nghệ, kỹ thuật",
    "a) Kết quả đạt được",
    "b) Khó khăn, hạn chế",
    "5. Nền tảng, ứng dụng số; thủ tục hành chính, dịch vụ công trực tuyến",
    "6. Việc xây dựng, triển khai các cơ sở dữ liệu (CSDL) quốc gia, chuyên ngành, phát triển "
    "dữ liệu",
    "7. An ninh mạng, bảo mật thông tin, an toàn dữ liệu",
    "8. Hạ tầng cơ sở, năng lực cho khoa học, công nghệ, đổi mới sáng tạo",
    "9. Nguồn nhân lực cho khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số",
    "a) Về nhân lực cho khoa học, công nghệ, đổi mới sáng tạo",
    "b) Về nhân lực cho chuyển đổi số",
    "10. Về tài chính, kinh phí",
    "11. Hợp tác quốc tế về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN",
    "III- NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM CẦN TẬP TRUNG THỰC HIỆN",
    "IV- ĐỀ XUẤT, KIẾN NGHỊ",
]
# The seed's narrative the issue found missing, and its part IV.
NARRATIVE = [
    "tỉnh Nghệ An liên tiếp chịu ảnh hưởng của các cơn bão lớn (bão số 3, số 5 và số 10)",
    "vận hành thử nghiệm IOC tỉnh Nghệ An trong tháng 9/2025",
    "Băng thông đường truyền số liệu chuyên dùng tăng 5 lần",
    "Đứt cáp quang trục: 16 tuyến, cáp quang nhánh: 27 tuyến.",
    "công tác quản lý bảo mật hệ thống dữ liệu dân cư tại xã Na Ngoi.",
    "Trên cơ sở hướng dẫn của Bộ Khoa học và Công nghệ, tỉnh Nghệ An đã báo cáo đề xuất tài "
    "chính, kinh phí để Bộ Khoa học và Công nghệ tổng hợp.",
    "2. Xây dựng và hoàn thiện công cụ báo cáo của tỉnh",
    "Đề nghị Ban Chỉ đạo Trung ương tiếp tục quan tâm, hỗ trợ các địa phương",
]
# The seed's seven footnotes, in order: two computed (the tasks not on time, with their
# reasons), five the office's prose holds.
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
    ("Theo Quyết định số 2797/QĐ-UBND ngày 29/8/2025", ""),
    ("Kế hoạch số 512/KH-UBND, ngày 28/6/2025", ""),
    ("Theo thống kê từ Báo cáo của các doanh nghiệp viễn thông", ""),
    ("Nghị định số 98/2025/NĐ-CP", ""),
    ("Trình độ, năng lực công nghệ, đổi mới sáng tạo của doanh nghiệp", ""),
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
    paragraphs = [p.text for p in document.paragraphs]
    body = "\n".join(paragraphs)
    for statement in STATEMENTS + NARRATIVE:
        assert statement in body, statement
    # the headings, word for word and in order, each a paragraph of its own
    positions = [paragraphs.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    notes = footnote_texts(document)
    assert len(notes) == len(FOOTNOTES)
    for note, (text, reason) in zip(notes, FOOTNOTES, strict=True):
        assert text in note and reason in note, note
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


def test_the_q3_report_as_pdf(
    office: User, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
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
    # its pages rendered: the signature is not left alone on the last one
    require_renderers()
    pdf = tmp_path / "q3.pdf"
    pdf.write_bytes(data)
    assert signature_page_holds_text(pdf)


def test_the_brief_for_a_meeting_is_one_page(office: User, tmp_path: Path) -> None:
    require_renderers()
    kind, period = Kind.BRIEF, Period.objects.get(code="2025-09")
    root = Unit.objects.get(code="40")
    letterhead = profile_for(kind, root).letterhead(signed_on=None)
    docx, _content = build(
        kind=kind, period=period, unit=root, as_of=period.ends_on, fmt="docx",
        letterhead=letterhead,
    )  # fmt: skip
    (pdf,) = to_pdfs([docx], tmp_path)
    assert page_count(pdf) == 1
