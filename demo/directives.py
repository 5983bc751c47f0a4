"""The provincial Steering Committee's documents of 2025, registered through directives.services
by the standing office. 30 up to 30/09/2025, 9 of them in Q3 — the report's "09 văn bản; lũy kế
30"."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from directives import services
from directives.models import Directive, Kind
from org.models import Unit, User
from tasks.models import Task

# (issued on, issuer code, number, kind, subject, linked NQ57-TINH task numbers)
DOCUMENTS: tuple[tuple[str, str, str, str, str, tuple[int, ...]], ...] = (
    ("2025-01-06", "BCD", "01-QĐ/BCĐ", Kind.DECISION,
     "Quyết định thành lập Tổ Giúp việc Ban Chỉ đạo tỉnh về phát triển khoa học, công nghệ, đổi "
     "mới sáng tạo và chuyển đổi số", ()),
    ("2025-01-10", "BCD", "02-QĐ/BCĐ", Kind.DECISION,
     "Quyết định ban hành Quy chế làm việc của Ban Chỉ đạo tỉnh", ()),
    ("2025-01-15", "BCD", "03-QĐ/BCĐ", Kind.DECISION,
     "Quyết định phân công nhiệm vụ thành viên Ban Chỉ đạo tỉnh", ()),
    ("2025-01-21", "BCD", "01-TB/BCĐ", Kind.NOTICE,
     "Thông báo kết luận của đồng chí Trưởng Ban Chỉ đạo tại phiên họp thứ nhất Ban Chỉ đạo tỉnh",
     ()),
    ("2025-02-14", "BCD", "01-KH/BCĐ", Kind.PLAN,
     "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
     "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia năm 2025",
     tuple(range(1, 13))),
    ("2025-02-20", "CQTT", "01-HD/TGV", Kind.GUIDANCE,
     "Hướng dẫn các sở, ban, ngành, địa phương xây dựng kế hoạch thực hiện Nghị quyết số "
     "57-NQ/TW", ()),
    ("2025-03-03", "BCD", "12-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn đôn đốc triển khai các nhiệm vụ trọng tâm thực hiện Nghị quyết số 57-NQ/TW quý "
     "I/2025", (13, 14, 15)),
    ("2025-03-12", "BCD", "02-KH/BCĐ", Kind.PLAN,
     "Kế hoạch tuyên truyền, nâng cao nhận thức về khoa học, công nghệ, đổi mới sáng tạo và "
     "chuyển đổi số năm 2025", (16, 17)),
    ("2025-03-26", "BCD", "02-TB/BCĐ", Kind.NOTICE,
     "Thông báo kết luận phiên họp Ban Chỉ đạo tỉnh đánh giá kết quả quý I/2025", ()),
    ("2025-04-02", "CQTT", "03-BC/TGV", Kind.REPORT,
     "Báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW quý I/2025", ()),
    ("2025-04-10", "BCD", "18-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn triển khai Nghị quyết số 71/NQ-CP của Chính phủ sửa đổi, bổ sung Chương trình "
     "hành động thực hiện Nghị quyết số 57-NQ/TW", ()),
    ("2025-04-18", "BCD", "03-KH/BCĐ", Kind.PLAN,
     "Kế hoạch phát triển hạ tầng số, nền tảng số phục vụ chuyển đổi số tỉnh Nghệ An năm 2025",
     (21, 22, 23, 24)),
    ("2025-05-08", "BCD", "25-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn đôn đốc xây dựng cơ sở dữ liệu các ngành, lĩnh vực", (43, 44, 45)),
    ("2025-05-20", "CQTT", "11-CV/TGV", Kind.OFFICIAL_LETTER,
     "Công văn đề nghị cung cấp số liệu các chỉ tiêu thực hiện Nghị quyết số 57-NQ/TW", ()),
    ("2025-05-28", "BCD", "28-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn tăng cường bảo đảm an ninh mạng, an toàn thông tin, dữ liệu trong cơ quan nhà "
     "nước", ()),
    ("2025-06-03", "BCD", "04-QĐ/BCĐ", Kind.DECISION,
     "Quyết định kiện toàn Ban Chỉ đạo tỉnh về phát triển khoa học, công nghệ, đổi mới sáng tạo, "
     "chuyển đổi số, cải cách hành chính và Đề án 06", ()),
    ("2025-06-10", "BCD", "31-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn chuẩn bị hạ tầng, thiết bị số phục vụ vận hành chính quyền địa phương hai cấp",
     ()),
    ("2025-06-17", "BCD", "03-TB/BCĐ", Kind.NOTICE,
     "Thông báo kết luận tại buổi làm việc với Sở Khoa học và Công nghệ về tiến độ thực hiện "
     "các nhiệm vụ năm 2025", (39, 40)),
    ("2025-06-24", "BCD", "04-KH/BCĐ", Kind.PLAN,
     "Kế hoạch triển khai Kế hoạch số 02-KH/BCĐTW của Ban Chỉ đạo Trung ương, giai đoạn 1: hạ "
     "tầng, thiết bị cơ bản cấp xã", ()),
    ("2025-06-27", "CQTT", "02-HD/TGV", Kind.GUIDANCE,
     "Hướng dẫn cập nhật tiến độ nhiệm vụ, chỉ tiêu trên hệ thống theo dõi thực hiện Nghị quyết "
     "số 57-NQ/TW", ()),
    ("2025-06-30", "BCD", "05-QĐ/BCĐ", Kind.DECISION,
     "Quyết định thành lập Tổ Công tác Liên ngành giám sát, hỗ trợ triển khai Kế hoạch số "
     "02-KH/BCĐTW", ()),
    # Q3/2025: nine documents
    ("2025-07-03", "BCD", "05-BC/BCĐ", Kind.REPORT,
     "Báo cáo sơ kết 6 tháng đầu năm 2025 thực hiện Nghị quyết số 57-NQ/TW", ()),
    ("2025-07-08", "BCD", "04-TB/BCĐ", Kind.NOTICE,
     "Thông báo kết luận phiên họp sơ kết 6 tháng đầu năm 2025 của Ban Chỉ đạo tỉnh", ()),
    ("2025-07-15", "BCD", "42-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn đôn đốc hoàn thành 16 nhiệm vụ giai đoạn 1 Kế hoạch số 02-KH/BCĐTW tại các xã, "
     "phường", ()),
    ("2025-07-22", "CQTT", "19-CV/TGV", Kind.OFFICIAL_LETTER,
     "Công văn phân công đầu mối theo dõi thực hiện Kế hoạch số 02-KH/BCĐTW (giai đoạn 2) đối "
     "với cơ quan Đảng, Hội đồng nhân dân và Ủy ban Mặt trận Tổ quốc tỉnh", ()),
    ("2025-08-05", "BCD", "05-KH/BCĐ", Kind.PLAN,
     "Kế hoạch kiểm tra, giám sát thực hiện Nghị quyết số 57-NQ/TW 6 tháng cuối năm 2025", ()),
    ("2025-08-14", "BCD", "47-CV/BCĐ", Kind.OFFICIAL_LETTER,
     "Công văn đôn đốc các nhiệm vụ chậm tiến độ, có nguy cơ chậm tiến độ năm 2025",
     (39, 40, 41, 42, 43, 44, 45)),
    ("2025-08-28", "BCD", "06-QĐ/BCĐ", Kind.DECISION,
     "Quyết định thành lập các Đoàn làm việc của Ban Chỉ đạo tỉnh tại các xã, phường", ()),
    ("2025-09-12", "CQTT", "03-HD/TGV", Kind.GUIDANCE,
     "Hướng dẫn báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW quý III/2025", ()),
    ("2025-09-25", "BCD", "05-TB/BCĐ", Kind.NOTICE,
     "Thông báo kết luận tại buổi làm việc về đưa Trung tâm Giám sát, điều hành thông minh tỉnh "
     "(IOC) vào vận hành chính thức", (42,)),
)  # fmt: skip


def load_directives(actor: User) -> int:
    """Register the demo documents not registered yet, as the standing office; returns how many
    were created."""
    office = User.objects.filter(username="thuongtruc").first() or actor
    units = Unit.objects.filter(code__in={row[1] for row in DOCUMENTS}).in_bulk(field_name="code")
    existing = set(Directive.objects.values_list("issuer__code", "number"))
    tasks = Task.objects.filter(code__startswith="NQ57-TINH-").in_bulk(field_name="code")
    created = 0
    with transaction.atomic():
        for issued_on, issuer, number, kind, subject, linked in DOCUMENTS:
            if (issuer, number) in existing:
                continue
            codes = (f"NQ57-TINH-{n:03d}" for n in linked)
            services.create_directive(
                actor=office,
                issuer=units[issuer],
                number=number,
                issued_on=date.fromisoformat(issued_on),
                kind=kind,
                subject=subject,
                tasks=[tasks[code] for code in codes if code in tasks],
            )
            created += 1
    return created
