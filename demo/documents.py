"""The issuer settings of Nghệ An's generated reports, as the standing office would enter them
on the "Thông tin ban hành" page (documents.services.save_profile).

The quarterly report is the Provincial Party Committee's (Ban Thường vụ Tỉnh ủy) report to the
Central Steering Committee: the Party's format, header, signature and "Nơi nhận" exactly as in the
Q3/2025 report it was signed with.

The monthly brief goes out in the name of the provincial Steering Committee, in the
administrative format (Nghị định 30/2020/NĐ-CP). There a body such as a Steering Committee shows
the authority it belongs to above its own name: "UBND TỈNH NGHỆ AN", not "TỈNH NGHỆ AN", which
is a territory and issues nothing. It signs "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC"; the
signer's name is left for the standing office to fill in (the demo does not guess who signs).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from documents.composer.letterhead import stored_profile
from documents.content import Kind
from documents.models import Style
from documents.services import save_profile
from org.models import User

QUARTERLY: dict[str, Any] = {
    "style": Style.PARTY,
    "issuer": "TỈNH ỦY NGHỆ AN",
    "number": "Số      -BC/TU",
    "place": "Nghệ An",
    "signer_capacity": "T/M BAN THƯỜNG VỤ",
    "signer_title": "PHÓ BÍ THƯ",
    "signer_name": "Võ Thị Minh Sinh",
    "recipients": [
        "Văn phòng Trung ương Đảng,",
        "Thường trực Tỉnh ủy,",
        "Đảng ủy các cơ quan Đảng tỉnh,",
        "Đảng ủy UBND tỉnh,",
        "Các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy; các ban, sở, ngành; Mặt trận Tổ "
        "quốc và các tổ chức chính trị - xã hội cấp tỉnh,",
        "Các xã, phường,",
        "Thành viên Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi "
        "số, cải cách hành chính và Đề án 06 tỉnh,",
        "Thành viên Tổ Giúp việc Ban Chỉ đạo tỉnh,",
        "Phòng Chuyển đổi số-Cơ yếu, Văn phòng Tỉnh ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    ],
    "basis": "Thực hiện Công văn số 17997-CV/VPTW, ngày 30/9/2025 của Văn phòng Trung ương Đảng "
    "về việc báo cáo kết quả và tình hình thực hiện Nghị quyết số 57-NQ/TW để chuẩn bị Phiên họp "
    "quý III/2025 của Ban Chỉ đạo Trung ương, Ban Thường vụ Tỉnh ủy Nghệ An báo cáo kết quả như "
    "sau:",
}

MONTHLY: dict[str, Any] = {
    "style": Style.STATE,
    "issuer_parent": "UBND TỈNH NGHỆ AN",
    "issuer": "BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ, "
    "CẢI CÁCH HÀNH CHÍNH VÀ ĐỀ ÁN 06",
    "number": "Số:      /BC-BCĐ",
    "place": "Nghệ An",
    "signer_capacity": "KT. TRƯỞNG BAN",
    "signer_title": "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
    "signer_name": "",
    "recipients": [
        "Thường trực Tỉnh ủy (để báo cáo);",
        "Thành viên Ban Chỉ đạo tỉnh;",
        "Các sở, ban, ngành cấp tỉnh;",
        "UBND các xã, phường;",
        "Lưu: VT, Tổ Giúp việc.",
    ],
}

PROFILES = {Kind.QUARTERLY: QUARTERLY, Kind.MONTHLY: MONTHLY}


def load_document_profiles(actor: User) -> int:
    """Create the province's profiles that do not exist yet (an edited one is left as it is);
    returns how many were created."""
    created = 0
    with transaction.atomic():
        for kind, fields in PROFILES.items():
            if stored_profile(kind) is None:
                save_profile(actor=actor, kind=kind, **fields)
                created += 1
    return created
