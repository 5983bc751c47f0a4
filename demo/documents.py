"""The issuer settings of Nghệ An's generated reports, as the standing office would enter them
on the "Thông tin ban hành" page (documents.services.save_profile); the periods of the
province's six-month and year-end reports; and the prose of the Q3/2025 report entered in the
composer (documents.services.save_prose, from demo.report_prose).

The quarterly report is the Provincial Party Committee's (Ban Thường vụ Tỉnh ủy) report to the
Central Steering Committee: the Party's format, header, signature and "Nơi nhận" exactly as in the
Q3/2025 report it was signed with.

The monthly brief goes out in the name of the provincial Steering Committee, in the
administrative format (Nghị định 30/2020/NĐ-CP). There a body such as a Steering Committee shows
the authority it belongs to above its own name: "UBND TỈNH NGHỆ AN", not "TỈNH NGHỆ AN", which
is a territory and issues nothing. It signs "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC"; the
signer's name is left for the standing office to fill in (the demo does not guess who signs).

The six-month, nine-month and year-end reports are the Provincial Party Committee's like the
quarterly one; the year-end report shows the other header the Party's format allows, "ĐẢNG BỘ
TỈNH NGHỆ AN" above "TỈNH ỦY", and leaves the day blank for the signer. The one-page brief for a
Steering Committee meeting is the Steering Committee's, like the monthly brief.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from demo.report_prose import Q3_2025
from documents.composer.letterhead import province_root, stored_profile
from documents.content import Kind
from documents.models import DateLine, Style
from documents.queries import section_texts
from documents.services import install_default_outlines, save_profile, save_prose
from org.models import User
from periods import calendar
from periods.models import Period, PeriodKind
from reporting.services import create_period

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

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

# The six- and nine-month reports answer no particular dispatch: a standing basis.
PERIODIC: dict[str, Any] = {
    **QUARTERLY,
    "basis": "Thực hiện chế độ báo cáo định kỳ của Ban Chỉ đạo Trung ương về phát triển khoa "
    "học, công nghệ, đổi mới sáng tạo và chuyển đổi số, Ban Thường vụ Tỉnh ủy Nghệ An báo cáo "
    "kết quả như sau:",
}
YEAR: dict[str, Any] = {
    **PERIODIC,
    "issuer_parent": "ĐẢNG BỘ TỈNH NGHỆ AN",
    "issuer": "TỈNH ỦY",
    "date_line": DateLine.DAY,
    "basis": "Thực hiện chế độ báo cáo định kỳ của Ban Chỉ đạo Trung ương về phát triển khoa "
    "học, công nghệ, đổi mới sáng tạo và chuyển đổi số, Ban Thường vụ Tỉnh ủy Nghệ An báo cáo "
    "tổng kết năm như sau:",
}
BRIEF: dict[str, Any] = {**MONTHLY, "date_line": DateLine.DAY}

PROFILES = {
    Kind.QUARTERLY: QUARTERLY,
    Kind.HALF: PERIODIC,
    Kind.NINE_MONTHS: PERIODIC,
    Kind.YEAR: YEAR,
    Kind.MONTHLY: MONTHLY,
    Kind.BRIEF: BRIEF,
}
# The periods of the province's own longer reports (six and nine months, the year): no unit
# owes a report for them (units report by month and quarter), so they are created with none.
PERIODS = (
    ("2025", PeriodKind.YEAR, "Năm 2025", "2025-12-01", "2025-12-15"),
    ("2026-H1", PeriodKind.HALF, "6 tháng đầu năm 2026", "2026-06-01", "2026-06-15"),
    ("2026-9M", PeriodKind.NINE_MONTHS, "9 tháng đầu năm 2026", "2026-09-20", "2026-10-05"),
    ("2026", PeriodKind.YEAR, "Năm 2026", "2026-12-01", "2026-12-15"),
)


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


def load_report_periods(office: User) -> int:
    """The year and six-month periods the province's reports are made for; returns how many
    were created (none a second time)."""
    created = 0
    with transaction.atomic():
        for code, kind, title, opens, due in PERIODS:
            if Period.objects.filter(code=code).exists():
                continue
            starts_on, ends_on = calendar.period_dates(code)
            create_period(
                actor=office, code=code, kind=kind, title=title, starts_on=starts_on,
                ends_on=ends_on, opens_at=_at(opens, 7), due_at=_at(due, 17), units=[],
            )  # fmt: skip
            created += 1
    return created


def _at(day: str, hour: int) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), tzinfo=TZ)


def load_report_prose(office: User) -> int:
    """The Q3/2025 report's prose as the standing office enters it in the composer; a section
    already written is left as it is. Returns how many sections were written."""
    install_default_outlines(actor=office)
    period = Period.objects.get(code="2025-Q3")
    root = province_root()
    written = set(section_texts(Kind.QUARTERLY, period, root).values_list("section", flat=True))
    created = 0
    with transaction.atomic():
        for section, text in Q3_2025.items():
            if section in written:
                continue
            save_prose(
                actor=office, kind=Kind.QUARTERLY, period=period, unit=root, section=section,
                text=text,
            )  # fmt: skip
            created += 1
    return created
