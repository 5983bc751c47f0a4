"""The outlines every installation starts with (a data migration writes them; the standing office
edits them afterwards, and documents.services.reset_outline restores them).

The quarterly outline is the Q3/2025 report's, its headings word for word; the six- and
nine-month reports share it; the year-end report leads with the year's targets, then the tasks,
then the areas, and looks ahead to next year; the monthly brief and the Steering Committee's
one-page brief are short. Area sections name the standard NQ57 areas by code (tasks.Area), as the
province sets them up (the demo's codes, demo.tasks.AREAS).
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.content import Kind


@dataclass(frozen=True)
class SectionDefault:
    code: str
    level: int  # documents.models.Level
    title: str
    blocks: tuple[str, ...] = ()
    area: str = ""
    said: tuple[str, ...] = ()  # reporting.SectionKind values
    numbered: bool = False
    omit_empty: bool = False


S = SectionDefault
# An area's section: its outcomes first (indicators against targets), then the tasks completed
# in the period (capped, the rest in the annex), then those not done on time with reasons.
AREA_BLOCKS = ("area.indicators", "area.completed", "area.late")
AREA_SAID = ("results", "difficulties")
# The areas the report goes through after directing and steering, with their titles as the
# Q3/2025 report writes them (without their number).
AREAS = (
    (
        "nhan-thuc",
        "NTNT",
        "Về nâng cao nhận thức, quyết tâm chính trị, sự lan tỏa trong toàn xã hội về khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số",
    ),
    (
        "the-che",
        "TCCS",
        "Về xây dựng, hoàn thiện thể chế, chính sách, quy định về khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số",
    ),
    ("ha-tang", "HTCN", "Hạ tầng công nghệ, kỹ thuật"),
    ("nen-tang", "NTS", "Nền tảng, ứng dụng số; thủ tục hành chính, dịch vụ công trực tuyến"),
    (
        "du-lieu",
        "CSDL",
        "Việc xây dựng, triển khai các cơ sở dữ liệu (CSDL) quốc gia, chuyên ngành, phát triển "
        "dữ liệu",
    ),
    ("an-ninh-mang", "ANM", "An ninh mạng, bảo mật thông tin, an toàn dữ liệu"),
    ("nang-luc-khcn", "HTKH", "Hạ tầng cơ sở, năng lực cho khoa học, công nghệ, đổi mới sáng tạo"),
    (
        "nhan-luc",
        "NNL",
        "Nguồn nhân lực cho khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số",
    ),
    ("tai-chinh", "TCKP", "Về tài chính, kinh phí"),
    (
        "hop-tac",
        "HTQT",
        "Hợp tác quốc tế về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    ),
)
# Sections the Q3/2025 report splits in two; their parts carry the area's blocks (results under
# a), what is late under b); human resources' under b), digital transformation's).
SPLITS: dict[str, tuple[SectionDefault, ...]] = {
    "ha-tang": (
        S("ha-tang-ket-qua", 3, "a) Kết quả đạt được", ("area.indicators", "area.completed"),
          "HTCN", ("results",)),
        S("ha-tang-kho-khan", 3, "b) Khó khăn, hạn chế", ("area.late",), "HTCN",
          ("difficulties",)),
    ),
    "nhan-luc": (
        S("nhan-luc-khcn", 3, "a) Về nhân lực cho khoa học, công nghệ, đổi mới sáng tạo"),
        S("nhan-luc-cds", 3, "b) Về nhân lực cho chuyển đổi số", AREA_BLOCKS, "NNL", AREA_SAID),
    ),
}  # fmt: skip


def _areas(first_number: int) -> tuple[SectionDefault, ...]:
    """The area sections numbered from `first_number`; a split one carries its parts' blocks."""
    sections: list[SectionDefault] = []
    for number, (code, area, title) in enumerate(AREAS, start=first_number):
        parts = SPLITS.get(code, ())
        blocks = () if any(part.blocks for part in parts) else AREA_BLOCKS
        sections += [S(code, 2, f"{number}. {title}", blocks, area, AREA_SAID), *parts]
    # The areas no section names (a province's own), each with its blocks: nothing is left out.
    return (*sections, S("linh-vuc-khac", 2, "", ("area.others",)))


# Results, not only progress (issue 15): the year's products delivered against registered, in
# all and by task area with their budget, and the grades of the month last scored.
RESULTS_BLOCKS = ("products.delivery", "products.by_area", "scores.grades")


def _progress(title: str, *, omit_empty: bool = False) -> tuple[SectionDefault, ...]:
    """The quarterly report's outline (and the six- and nine-month reports'): part I's title
    names the span. The quarterly report states the products and the grades only when there are
    some (`omit_empty`), so a quarter without them reads as the Q3/2025 report."""
    products = S("san-pham", 4, "- Sản phẩm đăng ký, kết quả chấm điểm:", RESULTS_BLOCKS,
                 omit_empty=omit_empty)  # fmt: skip
    return (
        S("ket-qua", 1, title),
        S("chi-dao", 2, "1. Về công tác chỉ đạo, điều hành", area="CDDH"),
        S("thong-ke", 3, "a) Thống kê số nhiệm vụ",
          ("tasks.intro", "tasks.government", "tasks.province", "corrections.previous")),
        S("nhan-xet", 4, "Nhận xét, đánh giá chung:"),
        S("ket-qua-dat-duoc", 4, "- Kết quả đạt được:",
          ("communes", "indicators.achievement", "tasks.party"), numbered=True),
        products,
        S("han-che", 4, "- Hạn chế, khó khăn", ("tasks.year_backlog",), numbered=True),
        S("ban-chi-dao", 3, "b) Hoạt động chỉ đạo, điều hành của Ban Chỉ đạo tỉnh",
          ("directives", *AREA_BLOCKS), "CDDH", AREA_SAID),
        *_areas(2),
        S("ton-tai", 1, "II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN", ("problems",),
          said=("difficulties",)),
        S("nhiem-vu", 1, "III- NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM CẦN TẬP TRUNG THỰC HIỆN",
          ("next_steps",)),
        S("kien-nghi", 1, "IV- ĐỀ XUẤT, KIẾN NGHỊ", ("proposals.central",), said=("proposals",)),
    )  # fmt: skip


YEAR = (
    S("ket-qua", 1, "I- KẾT QUẢ THỰC HIỆN NĂM {nam}"),
    S("chi-tieu", 2, "1. Kết quả thực hiện các chỉ tiêu năm {nam}",
      ("year.targets", "indicators.achievement")),
    S("san-pham", 2, "2. Kết quả thực hiện sản phẩm đăng ký, chấm điểm người đứng đầu",
      RESULTS_BLOCKS),
    S("thuc-hien-nhiem-vu", 2, "3. Kết quả thực hiện nhiệm vụ",
      ("tasks.intro", "tasks.government", "tasks.province", "year.tasks", "tasks.party",
       "communes", "corrections.previous")),
    S("chi-dao", 2, "4. Về công tác chỉ đạo, điều hành", ("directives", *AREA_BLOCKS), "CDDH",
      AREA_SAID),
    *_areas(5),
    S("ton-tai", 1, "II- NHỮNG TỒN TẠI, HẠN CHẾ, ĐIỂM NGHẼN", ("problems",),
      said=("difficulties",)),
    S("phuong-huong", 1, "III- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {nam_sau}", ("next_year.tasks",)),
    S("kien-nghi", 1, "IV- ĐỀ XUẤT, KIẾN NGHỊ", ("proposals.central",), said=("proposals",)),
)  # fmt: skip

MONTHLY = (
    S("tinh-hinh", 1, "I- TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐẾN HẾT {KY}",
      ("tasks.province", "tasks.completed_in_period", "tasks.became_late",
       "corrections.previous")),
    S("bao-cao", 1, "II- TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", ("reports.received",)),
    S("chi-tieu", 1, "III- CHỈ TIÊU", ("indicators.all",)),
)  # fmt: skip

BRIEF = (
    S("cham-tien-do", 1, "I- NHIỆM VỤ CHẬM, CÓ NGUY CƠ CHẬM TIẾN ĐỘ", ("brief.red",)),
    S("thay-doi", 1, "II- THAY ĐỔI TỪ PHIÊN HỌP TRƯỚC", ("brief.changes", "brief.results")),
    S("de-xuat", 1, "III- ĐỀ XUẤT, KIẾN NGHỊ CẦN XỬ LÝ", ("brief.proposals",),
      said=("proposals",)),
)  # fmt: skip

OUTLINES: dict[Kind, tuple[SectionDefault, ...]] = {
    Kind.QUARTERLY: _progress("I- KẾT QUẢ TRIỂN KHAI ĐẾN HẾT {KY}", omit_empty=True),
    Kind.HALF: _progress("I- KẾT QUẢ TRIỂN KHAI {KY}"),
    Kind.NINE_MONTHS: _progress("I- KẾT QUẢ TRIỂN KHAI {KY}"),
    Kind.YEAR: YEAR,
    Kind.MONTHLY: MONTHLY,
    Kind.BRIEF: BRIEF,
}
