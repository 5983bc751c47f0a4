"""Nghệ An's demo indicators, shaped so the Q3/2025 report's figures come out of the data.

Everything goes through indicators.services: the standing office (`thuongtruc`) creates the data
elements, the indicators and their targets; each unit's reporter (`bc.<code>`) records its own
figures for 2025-Q3 (4G and 5G coverage monthly, for 2025-07, -08 and -09). Needs the periods of
demo.reports (load it first).

Two tables drive it. ELEMENTS: the raw figures, who reports them and the value each owner
enters ("-": not reported yet); a figure owned by one unit (4G coverage: SKHCN; party members:
BTC-TU) names it as the element's only reporting unit, so its coverage reads 1/1.
INDICATORS: formula, targets, sets (SETS: the two the report counts) and evaluation method.
RULES: the data-quality rules the standing office set, loaded last (they judge later entries and
`check_data`, not the figures loaded here). On the demo's own figures they find what a real office
would chase: the survey and budget figures the provisional and financial indicators wait for
(SKHCN, STC, VP-UBND: 6 warnings for 2025-Q3), the science department's 10% of telecom stations
cut off by the storms (above the 5% an office would query), and 5G coverage growing by half from
July to August and by a third to September (2025-08 and 2025-09). As of
2025-Q3 at the province they give "đạt và vượt 39/65 chỉ tiêu giai đoạn 2025-2045; 29/45 chỉ
tiêu năm 2025": 41 indicators are in both sets (29 met), 24 only in 2025–2045 (10 met) and 4 only
in 2025 (none met). demo/tests/test_demo_indicators.py checks the figures.

The seed's province-wide online rate (77,96%) does not follow from its own counts
(173.399 / 229.413 = 75,58%); the demo enters the counts, so the indicator shows 75,58%.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from indicators import services
from indicators.models import (
    DataElement,
    DataValue,
    Direction,
    Evaluation,
    Indicator,
    IndicatorSet,
    RuleKind,
    Severity,
    ValidationRule,
    ValueType,
)
from org.models import Unit, UnitType, User
from periods.models import Period, PeriodKind
from tasks.models import Area

QUARTER = "2025-Q3"
MONTHS = ("2025-07", "2025-08", "2025-09")
COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)

VALUE_TYPES = {
    "n": ValueType.COUNT,
    "p": ValueType.PERCENT,
    "d": ValueType.DECIMAL,
    "v": ValueType.AMOUNT_VND,
    "b": ValueType.YES_NO,
}
# Who reports an element: communes and wards, departments, the departments and the sectoral
# agency (Công an tỉnh), the sectoral agency alone, the Party agencies.
REPORTERS = {
    "xa": COMMUNE_TYPES,
    "so": (UnitType.DEPARTMENT,),
    "so+": (UnitType.DEPARTMENT, UnitType.SECTOR),
    "ng": (UnitType.SECTOR,),
    "dang": (UnitType.PARTY_AGENCY,),
}

LEGAL = {
    "NQ57": "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa "
    "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "NQ71": "Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ (Chương trình hành động thực "
    "hiện Nghị quyết số 57-NQ/TW)",
    "KH02": "Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025 của Ban Chỉ đạo Trung ương",
    "DA06": "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ (Đề án 06)",
    "ND118": "Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ; Kế hoạch số "
    "512/KH-UBND ngày 28/6/2025 của UBND tỉnh",
    "KH671": "Kế hoạch số 671/KH-UBND ngày 11/9/2023 của UBND tỉnh về phát triển hạ tầng số tỉnh "
    "Nghệ An giai đoạn 2023-2025",
    "DANG": "Kế hoạch chuyển đổi số trong các cơ quan Đảng, Mặt trận Tổ quốc tỉnh năm 2025 của "
    "Tiểu Ban Chỉ đạo các cơ quan đảng tỉnh",
}
# Provisional methods ("tạm thời") while central guidance is missing (the report's footnote 7).
METHODS = {
    "DN": "Tạm thời: Sở Khoa học và Công nghệ khảo sát mẫu doanh nghiệp đang hoạt động (tối "
    "thiểu 300 doanh nghiệp, phân theo ngành và quy mô); tỷ lệ tính trên số doanh nghiệp được "
    "khảo sát, chờ bộ tiêu chí của Bộ Khoa học và Công nghệ.",
    "DIEM": "Tạm thời: chấm điểm 0–100 theo bộ tiêu chí của Sở Khoa học và Công nghệ (nhân lực, "
    "đầu tư, sản phẩm, sở hữu trí tuệ), chờ khung đánh giá của Trung ương.",
    "TK": "Tạm thời: Sở Tài chính ước tính từ số liệu thống kê năm gần nhất, chờ phương pháp "
    "tính của cơ quan thống kê Trung ương.",
    "CD": "Tạm thời: tỷ lệ hệ thống thông tin đã được phê duyệt hồ sơ đề xuất cấp độ trên tổng "
    "số hệ thống đã rà soát, chờ hướng dẫn thống nhất của Bộ Công an.",
}


@dataclass(frozen=True)
class ElementSpec:
    code: str
    value_type: str
    unit_label: str
    reporters: str  # key of REPORTERS
    monthly: bool
    owner: str  # a unit code, its only reporter (reporting_units); "XA": every commune; "SO":
    # every unit of the reporting types
    values: str  # "-", a number, "a,b,c" (one per month), "sum:N", "all:V" or "yes:K"
    name: str


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    area: str
    sets: str  # B: both sets, L: 2025–2045 only, Y: 2025 only (SETS)
    target_2025: Decimal | None
    target_2045: Decimal | None
    direction: str
    method: str  # a key of LEGAL (official) or "~" + a key of METHODS (provisional)
    unit_label: str
    formula: str
    name: str


def _rows(text: str, columns: int) -> list[list[str]]:
    """Whitespace-separated columns, the last one free text; an indented line continues it."""
    rows: list[list[str]] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" "):
            rows[-1][-1] += " " + line.strip()
        else:
            rows.append(line.split(maxsplit=columns - 1))
    return rows


def _label(text: str) -> str:
    """A unit label from its table cell: "_" for none, "_" between words."""
    return "" if text == "_" else text.replace("_", " ")


def _elements(text: str) -> tuple[ElementSpec, ...]:
    specs = []
    for code, kind, label, reporters, period, owner, values, name in _rows(text, 8):
        specs.append(
            ElementSpec(
                code,
                VALUE_TYPES[kind],
                _label(label),
                reporters,
                period == "m",
                owner,
                values,
                name,
            )
        )
    return tuple(specs)


def _number(text: str) -> Decimal | None:
    return None if text == "-" else Decimal(text)


def _indicators(text: str) -> tuple[IndicatorSpec, ...]:
    """Rows `code area sets t2025 t2045 dir method unit | formula | name` ("-": none)."""
    specs = []
    for line in text.strip("\n").split("\n\n"):
        head, formula, name = (part.strip() for part in " ".join(line.split("\n")).split("|"))
        code, area, sets, t25, t45, direction, method, label = head.split()
        specs.append(
            IndicatorSpec(
                code,
                area,
                sets,
                _number(t25),
                _number(t45),
                Direction.LOWER if direction == "<" else Direction.HIGHER,
                method,
                _label(label),
                formula,
                " ".join(name.split()),
            )
        )
    return tuple(specs)


# code type unit reporters period owner values name
ELEMENTS = _elements("""
PS_4G p % so m SKHCN 99.70,99.72,99.74 Tỷ lệ dân số được phủ sóng 4G
PS_5G p % so m SKHCN 10,15,20 Tỷ lệ dân số được phủ sóng 5G
BT_TINH d Mbps so q SKHCN 50 Băng thông mạng truyền số liệu chuyên dùng cấp tỉnh
XA_BT d Mbps xa q XA all:10 Băng thông mạng truyền số liệu chuyên dùng đến xã, phường
TRAM_MLL p % so q SKHCN 10 Tỷ lệ trạm viễn thông mất liên lạc do bão lũ
SOC_TB n thiết_bị so q SKHCN 5946 Thiết bị đầu cuối kết nối hệ thống giám sát an toàn thông tin
    (SOC)
KN_NCSC b _ so q SKHCN 1 SOC của tỉnh kết nối Trung tâm giám sát an toàn thông tin quốc gia
    (1: có)
NT_SO n nền_tảng so q SKHCN 9 Nền tảng số dùng chung đang vận hành
HTTT_QT n hệ_thống so q SKHCN 5 Hệ thống thông tin quan trọng phục vụ chính quyền địa phương 2 cấp
    vận hành ổn định
HTTT_QT_TONG n hệ_thống so q SKHCN 5 Hệ thống thông tin quan trọng phải triển khai
IOC_VH b _ so q SKHCN 0 Trung tâm IOC đưa vào vận hành chính thức (1: có)
KH_5G n văn_bản so q SKHCN 0 Kế hoạch phát triển 5G, IoT trong khu công nghiệp được ban hành
CT_NC n văn_bản so q SKHCN 1 Chương trình nghiên cứu, ứng dụng KH,CN&ĐMST giai đoạn 2026-2030
    được phê duyệt
TC_KHCN_CL n tổ_chức so q SKHCN 28 Tổ chức khoa học, công nghệ công lập
TC_KHCN_NCL n tổ_chức so q SKHCN 43 Tổ chức khoa học, công nghệ ngoài công lập
LK_VUNG n đơn_vị so q SKHCN 4 Đơn vị KH&CN của tỉnh có liên kết hoạt động trong vùng
PTN_VILAS n phòng so q SKHCN 74 Phòng thí nghiệm được công nhận Vilas, Vlat
PTN_QG n phòng so q SKHCN 0 Phòng thí nghiệm trọng điểm quốc gia trên địa bàn
SGD_CN n sàn so q SKHCN 1 Sàn giao dịch công nghệ đang hoạt động
DN_KHCN n doanh_nghiệp so q SKHCN 12 Doanh nghiệp khoa học và công nghệ
CSDL_XONG n CSDL so q SKHCN 0 Cơ sở dữ liệu ngành đã hoàn thành (nông nghiệp và môi trường, công
    thương, khoa học công nghệ)
CSDL_TONG n CSDL so q SKHCN 3 Cơ sở dữ liệu ngành phải xây dựng
QLVB p % so q SKHCN 100 Tỷ lệ cơ quan nhà nước dùng hệ thống quản lý văn bản và điều hành
XH_KH02 n hạng so q SKHCN 4 Thứ hạng toàn quốc hoàn thành giai đoạn 1 Kế hoạch 02-KH/BCĐTW
DN_KS n doanh_nghiệp so q SKHCN - Doanh nghiệp được khảo sát
DN_UDCNS n doanh_nghiệp so q SKHCN - Doanh nghiệp nhỏ và vừa được khảo sát có ứng dụng công
    nghệ số
DN_DMST n doanh_nghiệp so q SKHCN - Doanh nghiệp được khảo sát có hoạt động đổi mới sáng tạo
DN_NLCN d điểm so q SKHCN - Điểm trình độ, năng lực công nghệ, ĐMST của doanh nghiệp
TL_KHCN d điểm so q SKHCN - Điểm tiềm lực, trình độ KH,CN&ĐMST của tỉnh
PII d điểm so q SKHCN - Chỉ số đổi mới sáng tạo cấp địa phương (PII)
DN_CNS n doanh_nghiệp so q SKHCN - Doanh nghiệp công nghệ số
NL_NC d người/vạn_dân so q SKHCN - Nhân lực nghiên cứu khoa học trên một vạn dân
SHTT n đơn so q SKHCN - Văn bằng bảo hộ sở hữu trí tuệ được cấp
CKS_DAN p % so q SKHCN - Tỷ lệ dân số trưởng thành có chữ ký số
NGAM_HOA p % so q SKHCN - Tỷ lệ tuyến cáp viễn thông được hạ ngầm
HTTT_CD p % so q SKHCN - Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn
GRDP v đồng so q STC - Tổng sản phẩm trên địa bàn (GRDP)
KTS_GT v đồng so q STC - Giá trị tăng thêm của kinh tế số
RD_CHI v đồng so q STC - Chi cho nghiên cứu và phát triển
CHI_KHCN v đồng so q STC - Chi ngân sách cho KH,CN, ĐMST và chuyển đổi số
CHI_NS v đồng so q STC - Tổng chi ngân sách địa phương
TT_KDTM p % so q STC - Tỷ lệ giao dịch thanh toán không dùng tiền mặt
TFP p % so q STC - Tỷ lệ đóng góp của năng suất các nhân tố tổng hợp (TFP) vào tăng trưởng
QT_DT n văn_bản so q STC 0 Quy trình đầu tư, mua sắm, thuê dịch vụ CNTT được ban hành
CS_NL n văn_bản so q SNV 0 Cơ chế hỗ trợ nhân lực kiêm nhiệm chuyển đổi số cấp xã được ban hành
KQ_DT p % so q VP-UBND 84.68 Tỷ lệ hồ sơ được cấp kết quả điện tử
SH_HS p % so q VP-UBND 81.75 Tỷ lệ hồ sơ TTHC được số hóa hồ sơ, kết quả giải quyết
HS_TAISD n hồ_sơ so q VP-UBND 160532 Hồ sơ được khai thác, sử dụng lại dữ liệu số hóa
DVC_TT p % so q VP-UBND 100 Tỷ lệ TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến
CS_DVC d điểm so q VP-UBND - Chỉ số phục vụ người dân, doanh nghiệp trên Cổng DVC quốc gia
TTHC_KPT n thủ_tục so q TTPVHCC 205 TTHC được cung cấp không phụ thuộc địa giới hành chính
BV_BADT n bệnh_viện so q SYT 53 Bệnh viện, trung tâm y tế triển khai bệnh án điện tử
BV_SSK n bệnh_viện so q SYT 53 Bệnh viện, trung tâm y tế tích hợp sổ sức khỏe điện tử trên VNeID
BV_TONG n bệnh_viện so q SYT 53 Bệnh viện, trung tâm y tế trên địa bàn
KH_HTQT n văn_bản so q SNGV 1 Kế hoạch hợp tác quốc tế về KH,CN, ĐMST và CĐS được ban hành
T_HS_TT n hồ_sơ so+ q SO sum:36615 Hồ sơ TTHC cấp tỉnh nộp trực tuyến
T_HS_TTIEP n hồ_sơ so+ q SO sum:8275 Hồ sơ TTHC cấp tỉnh nộp trực tiếp
SO_KH b _ so+ q SO all:1 Đã thành lập Ban Chỉ đạo, ban hành kế hoạch thực hiện NQ57 (1: có)
SO_QT b _ so+ q SO all:1 Đã quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW (1: có)
SO_CB_CNTT n người so+ q SO all:1 Cán bộ chuyên trách, phụ trách CNTT
DC_DB n bản_ghi ng q CAT 3712000 Thông tin dân cư được thu thập, đồng bộ “đúng, đủ, sạch, sống”
LLTP_VNEID p % ng q CAT 100 Tỷ lệ hồ sơ cấp Phiếu lý lịch tư pháp tiếp nhận qua VNeID và Cổng
    DVC quốc gia
DDTC_DN n tổ_chức ng q CAT 10890 Doanh nghiệp, hợp tác xã được thu nhận hồ sơ định danh tổ chức
DDTC_CA n cơ_quan ng q CAT 439 Cơ quan Công an được thu nhận hồ sơ định danh tổ chức
DDTC_CA_TONG n cơ_quan ng q CAT 439 Cơ quan Công an trên địa bàn
DD_NN n người ng q CAT 251 Người nước ngoài được tiếp nhận hồ sơ định danh điện tử mức 2
DD_NN_DK n người ng q CAT 251 Người nước ngoài đủ điều kiện định danh điện tử
DV_TONG n đảng_viên dang q BTC-TU 207954 Đảng viên trong Đảng bộ tỉnh
DV_THE n đảng_viên dang q BTC-TU 181580 Đảng viên đã được thu nhận cấp đổi Thẻ đảng viên trên nền
    tảng CSDL quốc gia về dân cư
LT_VB b _ dang q VPTU 1 Liên thông văn bản giữa cơ quan Đảng và chính quyền (1: có)
LT_TW b _ dang q VPTU 1 Nền tảng số cơ quan Đảng kết nối liên thông với Trung ương (1: có)
CKS_DANG p % dang q VPTU 100 Tỷ lệ cán bộ cơ quan Đảng các cấp được trang bị chữ ký số
WAN_DANG p % dang q VPTU 100 Tỷ lệ đảng ủy xã, phường kết nối mạng diện rộng của Đảng
XA_HS_TT n hồ_sơ xa q XA sum:136784 Hồ sơ TTHC cấp xã nộp trực tuyến
XA_HS_TTIEP n hồ_sơ xa q XA sum:47739 Hồ sơ TTHC cấp xã nộp trực tiếp
XA_KH02 n nhiệm_vụ xa q XA all:16 Nhiệm vụ giai đoạn 1 Kế hoạch 02-KH/BCĐTW đã hoàn thành
XA_BCD b _ xa q XA yes:124 Đã thành lập Ban Chỉ đạo và xây dựng kế hoạch (1: có)
XA_BDHVS b _ xa q XA yes:111 Đã ban hành Kế hoạch Bình dân học vụ số (1: có)
XA_CB_CNTT n người xa q XA all:1 Cán bộ chuyên trách, phụ trách CNTT, chuyển đổi số
XA_CB_BD n người xa q XA yes:65 Cán bộ chuyển đổi số đã được bồi dưỡng (đợt 1)
""")

# code area sets target-2025 target-2025–2045 direction method unit | formula | name
# (a blank line between indicators; "-": no such target; "<": lower is better)
INDICATORS = _indicators("""
HT_4G HTCN B 99.5 100 > KH671 % | latest(PS_4G) | Tỷ lệ dân số được phủ sóng 4G

HT_5G HTCN B 50 100 > NQ71 % | latest(PS_5G) | Tỷ lệ dân số được phủ sóng 5G

HT_BT_TINH HTCN B 50 - > KH671 Mbps | BT_TINH | Băng thông mạng truyền số liệu chuyên dùng cấp
  tỉnh

HT_BT_XA HTCN B 100 - > KH671 % | ratio(count_units(XA_BT >= 10), count_units(XA_BT >= 0)) |
  Tỷ lệ xã, phường có đường truyền số liệu chuyên dùng từ 10 Mbps

HT_KH02 HTCN B 100 - > KH02 % | ratio(count_units(XA_KH02 >= 16), count_units(XA_KH02 >= 0)) |
  Tỷ lệ xã, phường hoàn thành 16/16 nhiệm vụ giai đoạn 1 Kế hoạch 02-KH/BCĐTW

HT_XH_KH02 CDDH B 5 - < KH02 hạng | XH_KH02 | Thứ hạng toàn quốc hoàn thành giai đoạn 1 Kế hoạch
  02-KH/BCĐTW

HT_IOC HTCN B 1 - > NQ57 _ | IOC_VH | Trung tâm Giám sát, điều hành thông minh (IOC) vận hành
  chính thức

NTS_TT_TINH NTS B 80 - > ND118 % | ratio(XA_HS_TT + T_HS_TT, XA_HS_TT + XA_HS_TTIEP + T_HS_TT +
  T_HS_TTIEP) | Tỷ lệ hồ sơ nộp trực tuyến toàn tỉnh

NTS_TT_XA NTS B 70 - > ND118 % | ratio(XA_HS_TT, XA_HS_TT + XA_HS_TTIEP) | Tỷ lệ hồ sơ nộp trực
  tuyến cấp xã

NTS_KQDT NTS B 80 - > ND118 % | KQ_DT | Tỷ lệ hồ sơ được cấp kết quả điện tử

NTS_SOHOA CSDL B 80 - > ND118 % | SH_HS | Tỷ lệ hồ sơ TTHC được số hóa hồ sơ, kết quả giải quyết

NTS_TAISD CSDL B 150000 - > ND118 hồ_sơ | HS_TAISD | Số hồ sơ khai thác, sử dụng lại dữ liệu số
  hóa

NTS_KPT NTS B 200 - > ND118 thủ_tục | TTHC_KPT | Số TTHC cung cấp không phụ thuộc địa giới hành
  chính

NTS_NTDC NTS B 9 - > NQ57 nền_tảng | NT_SO | Số nền tảng số dùng chung vận hành ổn định

NTS_HTTT NTS B 100 - > KH02 % | ratio(HTTT_QT, HTTT_QT_TONG) | Tỷ lệ hệ thống thông tin quan
  trọng phục vụ chính quyền 2 cấp vận hành ổn định

NTS_LLTP NTS B 100 - > DA06 % | LLTP_VNEID | Tỷ lệ hồ sơ Phiếu lý lịch tư pháp tiếp nhận qua
  VNeID và Cổng DVC quốc gia

NTS_BADT NTS B 100 100 > DA06 % | ratio(BV_BADT, BV_TONG) | Tỷ lệ bệnh viện, trung tâm y tế
  triển khai bệnh án điện tử

CSDL_THEDV CSDL B 85 100 > DA06 % | ratio(DV_THE, DV_TONG) | Tỷ lệ đảng viên được cấp đổi Thẻ
  đảng viên trên nền tảng CSDL quốc gia về dân cư

CSDL_DDTC_DN CSDL B 10000 - > DA06 tổ_chức | DDTC_DN | Số doanh nghiệp, hợp tác xã được thu nhận
  hồ sơ định danh tổ chức

CSDL_DDTC_CA CSDL B 100 - > DA06 % | ratio(DDTC_CA, DDTC_CA_TONG) | Tỷ lệ cơ quan Công an được
  thu nhận hồ sơ định danh tổ chức

CSDL_DD_NN CSDL B 100 - > DA06 % | ratio(DD_NN, DD_NN_DK) | Tỷ lệ người nước ngoài đủ điều kiện
  được tiếp nhận hồ sơ định danh điện tử

CSDL_DANCU CSDL B 3700000 - > DA06 bản_ghi | DC_DB | Thông tin dân cư được thu thập, đồng bộ

CSDL_NGANH CSDL B 100 - > NQ57 % | ratio(CSDL_XONG, CSDL_TONG) | Tỷ lệ cơ sở dữ liệu ngành đã
  hoàn thành

ANM_SOC ANM B 5000 - > NQ57 thiết_bị | SOC_TB | Số thiết bị đầu cuối kết nối SOC của tỉnh

CDDH_SO_KH CDDH B 100 - > NQ57 % | ratio(count_units(SO_KH > 0), count_units(SO_KH >= 0)) | Tỷ lệ
  sở, ban, ngành đã thành lập Ban Chỉ đạo, ban hành kế hoạch thực hiện NQ57

CDDH_XA_BCD CDDH B 100 - > NQ57 % | ratio(count_units(XA_BCD > 0), count_units(XA_BCD >= 0)) |
  Tỷ lệ xã, phường đã thành lập Ban Chỉ đạo và xây dựng kế hoạch

NNL_BDHVS NNL B 100 - > NQ71 % | ratio(count_units(XA_BDHVS > 0), count_units(XA_BDHVS >= 0)) |
  Tỷ lệ xã, phường ban hành Kế hoạch Bình dân học vụ số

NNL_XA_CNTT NNL B 100 100 > KH02 % | ratio(count_units(XA_CB_CNTT >= 1),
  count_units(XA_CB_CNTT >= 0)) | Tỷ lệ xã, phường có cán bộ chuyên trách CNTT, chuyển đổi số

NNL_XA_BD NNL B 100 - > KH02 % | ratio(count_units(XA_CB_BD > 0), count_units(XA_CB_BD >= 0)) |
  Tỷ lệ cán bộ chuyển đổi số cấp xã được bồi dưỡng cơ bản và nâng cao

TCCS_CTNC TCCS B 1 - > NQ57 _ | CT_NC | Phê duyệt Chương trình nghiên cứu, ứng dụng KH,CN&ĐMST
  giai đoạn 2026-2030

HTKH_TCKHCN HTKH B 70 100 > NQ57 tổ_chức | TC_KHCN_CL + TC_KHCN_NCL | Số tổ chức khoa học, công
  nghệ

HTKH_VILAS HTKH B 70 - > NQ57 phòng | PTN_VILAS | Số phòng thí nghiệm được công nhận Vilas, Vlat

HTKH_DNKHCN HTKH B 15 - > NQ57 doanh_nghiệp | DN_KHCN | Số doanh nghiệp khoa học và công nghệ

HTQT_KH HTQT B 1 - > NQ71 _ | KH_HTQT | Ban hành Kế hoạch hợp tác quốc tế về KH,CN, ĐMST và chuyển
  đổi số

NTS_LTVB NTS B 1 - > DANG _ | LT_VB | Liên thông văn bản giữa cơ quan Đảng và chính quyền

NTS_CKS_DANG NTS B 100 - > DANG % | CKS_DANG | Tỷ lệ cán bộ cơ quan Đảng được trang bị chữ ký số

TCKP_CHI TCKP B 3 3 > NQ57 % | ratio(CHI_KHCN, CHI_NS) | Tỷ lệ chi ngân sách cho KH,CN, ĐMST
  và chuyển đổi số

HTKH_DN_CNS HTKH B 50 70 > ~DN % | ratio(DN_UDCNS, DN_KS) | Tỷ lệ doanh nghiệp nhỏ và vừa ứng
  dụng công nghệ số

NTS_CS_DVC NTS B 80 90 > ND118 điểm | CS_DVC | Chỉ số phục vụ người dân, doanh nghiệp trên Cổng
  DVC quốc gia

NTNT_QT NTNT B 100 - > NQ57 % | ratio(count_units(SO_QT > 0), count_units(SO_QT >= 0)) | Tỷ lệ
  ban, sở, ngành đã quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW

ANM_CD ANM B 100 100 > ~CD % | HTTT_CD | Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn

HT_5G_KCN HTCN Y 1 - > NQ71 _ | KH_5G | Ban hành Kế hoạch phát triển 5G, IoT trong khu công
  nghiệp

HT_MLL HTCN Y 2 - < KH671 % | TRAM_MLL | Tỷ lệ trạm viễn thông mất liên lạc

TCCS_NL TCCS Y 1 - > NQ71 _ | CS_NL | Ban hành cơ chế hỗ trợ nhân lực kiêm nhiệm chuyển đổi số cấp
  xã

TCCS_QTDT TCCS Y 1 - > NQ71 _ | QT_DT | Ban hành quy trình đầu tư, mua sắm, thuê dịch vụ CNTT

HT_WAN_DANG HTCN L - 100 > DANG % | WAN_DANG | Tỷ lệ đảng ủy xã, phường kết nối mạng diện rộng
  của Đảng

NTS_DVC_TT NTS L - 100 > NQ71 % | DVC_TT | Tỷ lệ TTHC đủ điều kiện được cung cấp dịch vụ công
  trực tuyến

NTS_TT_SO NTS L - 80 > ND118 % | ratio(T_HS_TT, T_HS_TT + T_HS_TTIEP) | Tỷ lệ hồ sơ nộp trực
  tuyến cấp tỉnh

HTKH_LKV HTKH L - 4 > NQ57 đơn_vị | LK_VUNG | Số đơn vị KH&CN có liên kết hoạt động trong vùng

ANM_NCSC ANM L - 1 > NQ57 _ | KN_NCSC | SOC của tỉnh kết nối Trung tâm giám sát an toàn thông tin
  quốc gia

NTS_SSK NTS L - 100 > DA06 % | ratio(BV_SSK, BV_TONG) | Tỷ lệ bệnh viện tích hợp sổ sức khỏe điện
  tử trên VNeID

HTKH_SGD HTKH L - 1 > NQ57 sàn | SGD_CN | Sàn giao dịch công nghệ của tỉnh hoạt động

NTS_QLVB NTS L - 100 > NQ57 % | QLVB | Tỷ lệ cơ quan nhà nước dùng hệ thống quản lý văn bản và
  điều hành

NNL_SO_CNTT NNL L - 100 > NQ57 % | ratio(count_units(SO_CB_CNTT >= 1),
  count_units(SO_CB_CNTT >= 0)) | Tỷ lệ cơ quan cấp tỉnh có cán bộ chuyên trách CNTT

NTS_LTTW NTS L - 1 > DANG _ | LT_TW | Nền tảng số cơ quan Đảng liên thông với Trung ương

KTS_GRDP TCKP L - 30 > ~TK % | ratio(KTS_GT, GRDP) | Tỷ trọng kinh tế số trong GRDP

RD_GRDP TCKP L - 2 > ~TK % | ratio(RD_CHI, GRDP) | Chi cho nghiên cứu và phát triển so với GRDP

HTKH_TFP HTKH L - 55 > ~TK % | TFP | Tỷ lệ đóng góp của năng suất các nhân tố tổng hợp (TFP) vào
  tăng trưởng

HTKH_DMST HTKH L - 40 > ~DN % | ratio(DN_DMST, DN_KS) | Tỷ lệ doanh nghiệp có hoạt động đổi mới
  sáng tạo

HTKH_PII HTKH L - 50 > NQ57 điểm | PII | Chỉ số đổi mới sáng tạo cấp địa phương (PII)

HTKH_DNCNS HTKH L - 1000 > NQ57 doanh_nghiệp | DN_CNS | Số doanh nghiệp công nghệ số

NTS_CKS_DAN NTS L - 80 > NQ57 % | CKS_DAN | Tỷ lệ dân số trưởng thành có chữ ký số

NTS_KDTM NTS L - 80 > NQ57 % | TT_KDTM | Tỷ lệ giao dịch thanh toán không dùng tiền mặt

NNL_NC NNL L - 12 > NQ57 người/vạn_dân | NL_NC | Nhân lực nghiên cứu khoa học trên một vạn dân

HTKH_SHTT HTKH L - 200 > NQ57 đơn | SHTT | Số văn bằng bảo hộ sở hữu trí tuệ

HTKH_DN_NL HTKH L - 70 > ~DIEM điểm | DN_NLCN | Trình độ, năng lực công nghệ, ĐMST của doanh
  nghiệp

HTKH_TL HTKH L - 70 > ~DIEM điểm | TL_KHCN | Tiềm lực, trình độ khoa học, công nghệ và ĐMST

HT_NGAM HTCN L - 80 > KH671 % | NGAM_HOA | Tỷ lệ tuyến cáp viễn thông được hạ ngầm

HTKH_PTNQG HTKH L - 1 > NQ57 phòng | PTN_QG | Số phòng thí nghiệm trọng điểm quốc gia
""")


@dataclass(frozen=True)
class RuleSpec:
    code: str
    kind: str
    severity: str
    element: str
    low: Decimal | None = None  # range: the bounds
    high: Decimal | None = None
    threshold: Decimal | None = None  # jump: % change allowed
    active_to: date | None = None
    name: str = ""


WARNING, ERROR = Severity.WARNING, Severity.ERROR
RULES = (
    # figures the provisional and budget indicators wait for: asked every quarter
    *(
        RuleSpec(f"BB_{code}", RuleKind.REQUIRED, WARNING, code, name=f"Phải báo cáo: {name}")
        for code, name in (
            ("DN_KS", "số doanh nghiệp được khảo sát"),
            ("DN_UDCNS", "doanh nghiệp nhỏ và vừa ứng dụng công nghệ số"),
            ("CHI_NS", "tổng chi ngân sách địa phương"),
            ("CHI_KHCN", "chi ngân sách cho KH,CN, ĐMST và chuyển đổi số"),
            ("CS_DVC", "chỉ số phục vụ trên Cổng DVC quốc gia"),
            ("HTTT_CD", "tỷ lệ hệ thống thông tin được phê duyệt cấp độ"),
        )
    ),
    # every commune's dossier counts: without them the online rate is wrong
    RuleSpec("BB_XA_HS_TT", RuleKind.REQUIRED, ERROR, "XA_HS_TT",
             name="Xã, phường phải báo cáo số hồ sơ nộp trực tuyến"),
    RuleSpec("BB_XA_HS_TTIEP", RuleKind.REQUIRED, ERROR, "XA_HS_TTIEP",
             name="Xã, phường phải báo cáo số hồ sơ nộp trực tiếp"),
    RuleSpec("KH_XA_KH02", RuleKind.RANGE, ERROR, "XA_KH02", Decimal(0), Decimal(16),
             active_to=date(2025, 12, 31),
             name="Nhiệm vụ giai đoạn 1 Kế hoạch 02 đã hoàn thành: từ 0 đến 16"),
    RuleSpec("KH_XA_CB_CNTT", RuleKind.RANGE, WARNING, "XA_CB_CNTT", Decimal(0), Decimal(5),
             name="Cán bộ chuyên trách CNTT của một xã: không quá 5"),
    RuleSpec("KH_TRAM_MLL", RuleKind.RANGE, WARNING, "TRAM_MLL", Decimal(0), Decimal(5),
             name="Trạm viễn thông mất liên lạc: quá 5% là bất thường, cần kiểm tra"),
    RuleSpec("TG_PS_4G", RuleKind.JUMP, WARNING, "PS_4G", threshold=Decimal(5),
             name="Phủ sóng 4G thay đổi quá 5% so với tháng trước"),
    RuleSpec("TG_PS_5G", RuleKind.JUMP, WARNING, "PS_5G", threshold=Decimal(30),
             name="Phủ sóng 5G thay đổi quá 30% so với tháng trước"),
)  # fmt: skip


@dataclass(frozen=True)
class SetSpec:
    """An indicator set the report counts: its code, its name as the province writes it, its
    years and the IndicatorSpec.sets letters of its indicators."""

    code: str
    name: str
    first_year: int
    last_year: int
    letters: str


SETS = (
    SetSpec("2025-2045", "giai đoạn 2025–2045", 2025, 2045, "BL"),
    SetSpec("2025", "năm 2025", 2025, 2025, "BY"),
)


def _weights(n: int, salt: int) -> list[int]:
    return [60 + (i * salt) % 97 for i in range(n)]


def _spread(total: int, n: int, salt: int) -> list[int]:
    """`total` split over n units in uneven shares that add up exactly."""
    weights = _weights(n, salt)
    parts = [total * w // sum(weights) for w in weights]
    for i in range(total - sum(parts)):
        parts[i] += 1
    return parts


def _flags(yes: int, n: int) -> list[int]:
    """1 for `yes` of n units, 0 for the others: those without come first from every 7th unit
    counted from the 4th — the communes that had not issued their "Bình dân học vụ số" plan by
    30/9/2025 in demo.tasks — then from the start."""
    order = [i for i in range(n) if i % 7 == 3] + [i for i in range(n) if i % 7 != 3]
    without = set(order[: n - yes])
    return [0 if i in without else 1 for i in range(n)]


def _values(spec: ElementSpec, n: int) -> list[Decimal]:
    kind, _, arg = spec.values.partition(":")
    if kind == "sum":
        salt = 31 + sum(map(ord, spec.code)) % 50  # each element its own spread
        return [Decimal(v) for v in _spread(int(arg), n, salt)]
    if kind == "all":
        return [Decimal(arg)] * n
    if kind == "yes":
        return [Decimal(v) for v in _flags(int(arg), n)]
    return [Decimal(v) for v in spec.values.split(",")]


@dataclass
class _Loader:
    office: User
    reporters: dict[int, User]  # by unit id
    periods: dict[str, Period]
    areas: dict[str, Area]
    created: int = 0

    @classmethod
    def start(cls, actor: User) -> _Loader:
        reporters = User.objects.filter(username__startswith="bc.", is_active=True)
        return cls(
            office=User.objects.filter(username="thuongtruc").first() or actor,
            reporters={u.unit_id: u for u in reporters if u.unit_id is not None},
            periods=Period.objects.in_bulk([QUARTER, *MONTHS], field_name="code"),
            areas=Area.objects.in_bulk(field_name="code"),
        )

    def element(self, spec: ElementSpec) -> None:
        element = DataElement.objects.filter(code=spec.code).first()
        if element is None:
            element = services.create_element(
                actor=self.office,
                code=spec.code,
                name=spec.name,
                value_type=spec.value_type,
                period_kind=PeriodKind.MONTH if spec.monthly else PeriodKind.QUARTER,
                unit_label=spec.unit_label,
                unit_types=REPORTERS[spec.reporters],
                reporting_units=[] if spec.owner in ("XA", "SO") else [self.owner(spec.owner)],
            )
        if spec.values == "-":
            return
        if spec.owner in ("XA", "SO"):
            types = REPORTERS[spec.reporters]
            units = list(Unit.objects.filter(unit_type__in=types).order_by("path"))
        else:
            units = [self.owner(spec.owner)]
        values = _values(spec, len(units))
        periods = [self.periods[m] for m in MONTHS] if spec.monthly else [self.periods[QUARTER]]
        done = set(DataValue.objects.filter(element=element).values_list("unit_id", "period_id"))
        if spec.monthly:  # one unit, one value a month
            entries = [(units[0], p, v) for p, v in zip(periods, values, strict=True)]
        else:
            entries = [(u, periods[0], v) for u, v in zip(units, values, strict=True)]
        for unit, period, value in entries:
            if (unit.pk, period.pk) in done:
                continue
            services.record_value(
                actor=self.reporters[unit.pk],
                unit=unit,
                period=period,
                element=element,
                value=value,
            )

    def owner(self, code: str) -> Unit:
        return Unit.objects.get(code=code)

    def indicator(self, order: int, spec: IndicatorSpec) -> None:
        if Indicator.objects.filter(code=spec.code).exists():
            return
        official = not spec.method.startswith("~")
        indicator = services.create_indicator(
            actor=self.office,
            code=spec.code,
            name=spec.name,
            formula=spec.formula,
            period_kind=PeriodKind.QUARTER,
            unit_label=spec.unit_label,
            direction=spec.direction,
            evaluation=Evaluation.OFFICIAL if official else Evaluation.PROVISIONAL,
            legal_source=LEGAL[spec.method] if official else "",
            method_note="" if official else METHODS[spec.method[1:]],
            area=self.areas[spec.area],
            order=order,
        )
        self.created += 1
        if spec.target_2025 is not None:
            services.set_target(
                actor=self.office, indicator=indicator, value=spec.target_2025, year=2025
            )
        if spec.target_2045 is not None:
            services.set_target(actor=self.office, indicator=indicator, value=spec.target_2045)

    def rule(self, spec: RuleSpec) -> None:
        if ValidationRule.objects.filter(code=spec.code).exists():
            return
        services.create_rule(
            actor=self.office, code=spec.code, kind=spec.kind, severity=spec.severity,
            name=spec.name,
            element=DataElement.objects.get(code=spec.element), min_value=spec.low,
            max_value=spec.high, threshold=spec.threshold, active_to=spec.active_to,
        )  # fmt: skip

    def indicator_set(self, order: int, spec: SetSpec) -> None:
        if IndicatorSet.objects.filter(code=spec.code).exists():
            return
        codes = [i.code for i in INDICATORS if i.sets in spec.letters]
        services.save_indicator_set(
            actor=self.office,
            code=spec.code,
            name=spec.name,
            first_year=spec.first_year,
            last_year=spec.last_year,
            order=order,
            indicators=Indicator.objects.filter(code__in=codes),
        )


def load_indicators(actor: User) -> int:
    """Create the demo data elements, indicators, indicator sets, targets, the units' figures and
    the validation rules that do not exist yet; returns how many indicators were created. Needs
    the demo accounts and the periods of demo.reports. One transaction, as the other demo
    loaders."""
    with transaction.atomic():
        loader = _Loader.start(actor)
        for element in ELEMENTS:
            loader.element(element)
        for order, indicator in enumerate(INDICATORS, start=1):
            loader.indicator(order, indicator)
        for order, indicator_set in enumerate(SETS, start=1):
            loader.indicator_set(order, indicator_set)
        for rule in RULES:
            loader.rule(rule)
    return loader.created
