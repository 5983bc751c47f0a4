"""Nghệ An's demo tasks, shaped so the Q3/2025 report's figures come out of the data.

Everything is written through tasks.services (create_task, record_status) as the people who would
enter it: the administrator sets the tasks up, each assignee's reporter (`bc.<code>`) records its
own status events, the standing office (`thuongtruc`) decides removals and sets up the sources,
areas and programme groups.

The tasks are not written one by one: each programme is a short table of groups (how many tasks,
their year, start and deadline, and the status events they go through), expanded below. The
groups are chosen so that, as of 30/09/2025, `task_stats` gives the report's counts (40/102,
53/102, 9/102; 38/82, 43/82, 01/82 with 7 at risk; 10/21, 10/21, 01/21; 07/43, 08/43, 16/43,
12/43; 130/130 on 16 tasks; 111/130), and Q4 events leave nothing late as of 02/01/2026.
The test (demo/tests/test_demo_tasks.py) checks every one of those figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.db import transaction

from org.models import Unit, UnitType, User
from tasks import services
from tasks.models import Area, Assignment, Source, Task
from tasks.timeliness import Status

D = date.fromisoformat  # the tables below read better with ISO dates

# The report's sections, in its order.
AREAS = (
    ("CDDH", "Chỉ đạo, điều hành"),
    ("NTNT", "Nâng cao nhận thức, quyết tâm chính trị"),
    ("TCCS", "Thể chế, chính sách"),
    ("HTCN", "Hạ tầng công nghệ, kỹ thuật"),
    ("NTS", "Nền tảng số, thủ tục hành chính và dịch vụ công trực tuyến"),
    ("CSDL", "Cơ sở dữ liệu và phát triển dữ liệu"),
    ("ANM", "An ninh mạng, an toàn thông tin, dữ liệu"),
    ("HTKH", "Hạ tầng, năng lực khoa học, công nghệ, đổi mới sáng tạo"),
    ("NNL", "Nguồn nhân lực"),
    ("TCKP", "Tài chính, kinh phí"),
    ("HTQT", "Hợp tác quốc tế"),
)

CENTRAL_SC = (
    "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
)
PROVINCIAL_SC = "Ban Chỉ đạo tỉnh Nghệ An"

# (code, name, number, issued on, issuer). Every issue date is on or before 30/09/2025: a task
# only counts from the date of the document that gave it.
SOURCES = (
    (
        "NQ57-TINH",
        "Nhiệm vụ cụ thể hóa Nghị quyết 57-NQ/TW của tỉnh",
        "",
        "2025-02-14",
        PROVINCIAL_SC,
    ),
    ("NQ71", "Nghị quyết số 71/NQ-CP", "71/NQ-CP", "2025-04-01", "Chính phủ"),
    (
        "CDS-DANG",
        "Chuyển đổi số trong các cơ quan Đảng và Mặt trận Tổ quốc tỉnh năm 2025",
        "",
        "2025-03-20",
        "Tiểu Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
        "trong các cơ quan đảng tỉnh",
    ),
    (
        "KH02-GD1",
        "Kế hoạch số 02-KH/BCĐTW, giai đoạn 1: hạ tầng, thiết bị cơ bản cấp xã",
        "02-KH/BCĐTW",
        "2025-06-19",
        CENTRAL_SC,
    ),
    ("BDHVS", "Phong trào “Bình dân học vụ số”", "", "2025-07-10", "Ủy ban nhân dân tỉnh Nghệ An"),
)

# The dashboard's headlines, set up by the standing office: (code, name, sources, this year only).
PROGRAMME_GROUPS = (
    ("NQ57-TINH", "Nhiệm vụ của tỉnh", ("NQ57-TINH",), False),
    ("NQ57-TINH-NAM", "Nhiệm vụ năm {year}", ("NQ57-TINH",), True),
    ("NQ71", "Nghị quyết 71/NQ-CP", ("NQ71",), False),
    ("CDS-DANG", "Đảng, Mặt trận", ("CDS-DANG",), False),
)

# The two tasks the report footnotes, verbatim.
VINH_HEALTH = (
    "Đề án Phát triển thành phố Vinh thành trung tâm Y tế chuyên sâu khu vực Bắc Trung Bộ giai "
    "đoạn 2025-2030, tầm nhìn đến năm 2045"
)
VINH_REASON = "Hiện nay không còn cấp hành chính thành phố Vinh, do đó tạm dừng thực hiện."
DIGITAL_TWIN = (
    "Xây dựng Đề án thí điểm triển khai bản sao số cho một số thành phố lớn trực thuộc Trung ương "
    "để quản lý, phát triển"
)
TWIN_REASON = (
    "Nghệ An không phải thành phố lớn trực thuộc Trung ương, do đó, đề nghị đưa ra khỏi nhiệm vụ "
    "của địa phương."
)
BDHVS_TITLE = "Ban hành Kế hoạch triển khai phong trào Bình dân học vụ số"

Pick = tuple[str, str, str]  # area code, lead unit code, title ({unit} and {year} filled in)


def _table(text: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Rows of whitespace-separated codes ending in a free-text title; an indented line goes on
    with the title above it (keeps long Vietnamese titles within the line length)."""
    rows: list[list[str]] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" "):
            rows[-1][-1] += " " + line.strip()
        else:
            rows.append(line.split(maxsplit=columns - 1))
    return tuple(tuple(row) for row in rows)


def picks(text: str) -> tuple[Pick, ...]:
    return tuple((area, lead, title) for area, lead, title in _table(text, 3))


def codes(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def templates(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((area, title) for area, title in _table(text, 2))


@dataclass(frozen=True)
class Step:
    status: str
    on: date
    progress: int = 0
    note: str = ""


def ip(on: str, progress: int, note: str = "") -> Step:
    return Step(Status.IN_PROGRESS, D(on), progress, note)


def done(on: str) -> Step:
    return Step(Status.COMPLETED, D(on), 100)


def step(status: str, on: str, progress: int = 0, note: str = "") -> Step:
    return Step(status, D(on), progress, note)


@dataclass(frozen=True)
class Group:
    """`count` tasks with the same schedule and history. `picks` title the group's first tasks;
    the others take the programme's title pool in order."""

    count: int
    year: int
    start: date | None
    deadline: date | None
    steps: tuple[Step, ...] = ()
    picks: tuple[Pick, ...] = ()
    reason: str = ""  # for a paused or proposed-for-removal step


def group(
    count: int,
    year: int,
    start: str,
    deadline: str | None,
    *steps: Step,
    picks: tuple[Pick, ...] = (),
    reason: str = "",
) -> Group:
    return Group(count, year, D(start), D(deadline) if deadline else None, steps, picks, reason)


@dataclass(frozen=True)
class Programme:
    source: str
    groups: tuple[Group, ...]
    pool: tuple[Pick, ...]
    generic: tuple[tuple[str, str], ...]  # (area, template with {unit}) to fill the pool up
    generic_leads: tuple[str, ...]
    coordinator: tuple[str, str]  # coordinating unit, or the second one when it leads itself


# --- NQ57-TINH: 102 tasks, 82 of them for 2025 ------------------------------------------------
# Dates: A = 30/09/2025 (the report), B = 02/01/2026. "At risk" (timeliness._behind, default
# rules) is steered by progress against the straight line start→deadline: the groups meant to be
# fine stay within 25 points of it at A and at B; the 7 at-risk ones are 35+ points behind at A.
OCTOBER_DUE = picks("""
CDDH SKHCN Xây dựng và hoàn thiện công cụ báo cáo của tỉnh về thực hiện các nhiệm vụ Nghị quyết
    số 57-NQ/TW; phân cấp, phân quyền tài khoản báo cáo cho các sở, ban, ngành, địa phương
HTCN SKHCN Xây dựng Kế hoạch phát triển hệ thống sóng viễn thông 5G, Internet vạn vật (IoT) trong
    các khu công nghiệp
NNL SNV Tổ chức bồi dưỡng, phổ cập kiến thức về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
    số cho lãnh đạo cấp tỉnh và bí thư, phó bí thư, chủ tịch, phó chủ tịch cấp xã
HTCN VP-UBND Đưa Trung tâm Giám sát, điều hành thông minh tỉnh Nghệ An (IOC) vào khai thác, vận hành
    chính thức
""")  # the report's "Hoàn thành trong tháng 10/2025" items
SLOW_DATA = picks("""
CSDL SNNMT Xây dựng cơ sở dữ liệu ngành nông nghiệp và môi trường
CSDL SCT Xây dựng cơ sở dữ liệu ngành công thương
CSDL SKHCN Xây dựng cơ sở dữ liệu khoa học và công nghệ tỉnh
""")  # the sector databases the report says are still at the investment-approval stage
NQ57_GROUPS = (
    # 2025: 38 completed (2 of them late), 43 on time (7 at risk), 1 paused
    group(20, 2025, "2025-02-20", "2025-06-30", ip("2025-04-15", 40), done("2025-06-20")),
    group(16, 2025, "2025-03-10", "2025-09-30", ip("2025-05-20", 35), ip("2025-07-25", 70),
          done("2025-09-18")),
    group(2, 2025, "2025-02-20", "2025-06-30", ip("2025-04-15", 45), done("2025-07-22")),
    # at risk at A (80% of the time gone, 35% done); two finish on time in October, two late
    group(2, 2025, "2025-06-01", "2025-10-31", ip("2025-07-15", 20), ip("2025-09-20", 35),
          ip("2025-10-15", 75), done("2025-10-24"), picks=OCTOBER_DUE[:2]),
    group(2, 2025, "2025-06-01", "2025-10-31", ip("2025-07-15", 20), ip("2025-09-20", 35),
          ip("2025-10-20", 60), done("2025-11-28"), picks=OCTOBER_DUE[2:]),
    # at risk at A: 74% of the time gone, 35% done
    group(3, 2025, "2025-01-15", "2025-12-31", ip("2025-05-10", 20), ip("2025-09-10", 35),
          ip("2025-11-10", 70), done("2025-12-22"), picks=SLOW_DATA),
    # on track at A (70% of the time gone, 60% done)
    group(24, 2025, "2025-03-01", "2025-12-31", ip("2025-05-20", 30), ip("2025-09-15", 60),
          ip("2025-11-05", 85), done("2025-12-18")),
    # not started at A: they start in Q4
    group(12, 2025, "2025-10-10", "2025-12-31", ip("2025-10-20", 30), done("2025-12-24")),
    # footnote 2: paused at A, resumed on a new scope in October and finished in December
    group(1, 2025, "2025-03-01", "2025-12-31", ip("2025-04-10", 15),
          step(Status.PAUSED, "2025-07-15", 15),
          ip("2025-10-20", 40, "Tiếp tục thực hiện, điều chỉnh phạm vi Đề án theo địa bàn mới."),
          done("2025-12-29"), picks=(("HTKH", "SYT", VINH_HEALTH),), reason=VINH_REASON),
    # 2024 (given at the end of 2024): 2 completed; 8 overdue at A, completed late in Q4
    group(2, 2024, "2024-12-26", "2025-03-31", ip("2025-01-20", 40), done("2025-03-20")),
    group(4, 2024, "2024-12-26", "2025-06-30", ip("2025-02-20", 30), ip("2025-06-10", 60),
          ip("2025-09-05", 80), done("2025-11-12")),
    group(4, 2024, "2024-12-26", "2025-06-30", ip("2025-02-20", 30), ip("2025-06-10", 60),
          ip("2025-09-05", 75), done("2025-12-15")),
    # 2026: all on time (5 under way since September, on track at A and B; 5 start in 2026)
    group(5, 2026, "2025-09-01", "2026-06-30", ip("2025-09-20", 15), ip("2025-12-15", 45)),
    group(5, 2026, "2026-01-15", "2026-12-31"),
)  # fmt: skip
NQ57_POOL = picks("""
CDDH VPTU Ban hành Quy chế hoạt động của Ban Chỉ đạo tỉnh về phát triển khoa học, công nghệ, đổi
    mới sáng tạo, chuyển đổi số, cải cách hành chính và Đề án 06
CDDH VP-UBND Thành lập Tổ Giúp việc Ban Chỉ đạo tỉnh và phân công nhiệm vụ thành viên
CDDH SNV Đưa kết quả chuyển đổi số vào tiêu chí đánh giá, xếp loại người đứng đầu cơ quan, đơn vị
CDDH VP-UBND Xây dựng chương trình công tác năm của Ban Chỉ đạo tỉnh
NTNT BTGDV-TU Tổ chức quán triệt, tuyên truyền Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên và
    Nhân dân
NTNT SVHTTDL Xây dựng chuyên trang, chuyên mục tuyên truyền về khoa học, công nghệ và chuyển đổi số
NTNT SKHCN Tổ chức Ngày Chuyển đổi số tỉnh Nghệ An (10/10)
NTNT SKHCN Phát động phong trào thi đua đổi mới sáng tạo và chuyển đổi số
NTNT SKHCN Tổ chức chương trình khởi nghiệp đổi mới sáng tạo Techfest Open
TCCS SKHCN Phê duyệt Chương trình nghiên cứu, ứng dụng khoa học, công nghệ và đổi mới sáng tạo trọng
    tâm phục vụ phát triển kinh tế - xã hội tỉnh Nghệ An giai đoạn 2026 - 2030
TCCS SNV Xây dựng cơ chế thu hút, trọng dụng, đãi ngộ nhà khoa học, chuyên gia, người có tài năng
TCCS STC Ban hành quy trình đầu tư, mua sắm, thuê dịch vụ công nghệ thông tin
TCCS SNV Nghiên cứu cơ chế hỗ trợ nhân lực kiêm nhiệm chuyển đổi số tại cấp xã
TCCS STP Rà soát văn bản quy phạm pháp luật của tỉnh về khoa học, công nghệ, chuyển đổi số
TCCS SKHCN Xây dựng chính sách hỗ trợ doanh nghiệp đổi mới sáng tạo trình HĐND tỉnh
HTCN SKHCN Nâng cấp băng thông mạng truyền số liệu chuyên dùng cấp tỉnh và cấp xã
HTCN SKHCN Chỉ đạo doanh nghiệp viễn thông hạ ngầm, chỉnh trang mạng cáp viễn thông
HTCN SXD Triển khai hạ tầng kỹ thuật viễn thông thụ động dùng chung trong công trình xây dựng
HTCN SKHCN Nâng cấp Trung tâm dữ liệu tỉnh đáp ứng yêu cầu lưu trữ, xử lý dữ liệu
HTCN SKHCN Khắc phục hạ tầng viễn thông bị thiệt hại do bão lũ
NTS VP-UBND Triển khai Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một
    cửa, một cửa liên thông
NTS TTPVHCC Công bố danh mục thủ tục hành chính được cung cấp không phụ thuộc địa giới hành chính
NTS CAT Tích hợp sổ sức khỏe điện tử, giấy chuyển tuyến, giấy hẹn khám lại trên ứng dụng VNeID
NTS SYT Triển khai bệnh án điện tử tại các bệnh viện trên địa bàn tỉnh
NTS SGDDT Triển khai học bạ số trong các cơ sở giáo dục phổ thông
NTS SKHCN Bổ sung tính năng Bản đồ số tỉnh: hộ nghèo, cận nghèo, cảnh báo, dẫn đường, trạm y tế
NTS VPTU Liên thông hệ thống quản lý văn bản giữa cơ quan Đảng và chính quyền
NTS SCT Đưa sản phẩm OCOP của tỉnh lên các sàn thương mại điện tử
NTS CAT Cấp tài khoản định danh điện tử cho cơ quan, tổ chức trên địa bàn tỉnh
CSDL CAT Làm sạch, đồng bộ dữ liệu dân cư bảo đảm “đúng, đủ, sạch, sống”
CSDL SNNMT Triển khai chiến dịch 90 ngày đêm làm sạch dữ liệu đất đai
CSDL VP-UBND Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính để tái sử dụng dữ liệu
CSDL SNV Xây dựng cơ sở dữ liệu cán bộ, công chức, viên chức tỉnh
CSDL SKHCN Xây dựng Kho dữ liệu dùng chung và nền tảng tích hợp, chia sẻ dữ liệu (LGSP)
CSDL SYT Xây dựng cơ sở dữ liệu y tế kết nối hồ sơ sức khỏe điện tử
ANM CAT Kiểm tra an ninh, an toàn hệ thống thông tin của các cơ quan nhà nước
ANM SKHCN Duy trì hệ thống giám sát an toàn thông tin (SOC) kết nối Trung tâm giám sát quốc gia
ANM CAT Phối hợp triển khai nhiệm vụ xây dựng, vận hành Trung tâm dữ liệu quốc gia số 1
ANM VPTU Bảo đảm an toàn thông tin hệ thống mạng của các cơ quan Đảng theo cấp độ
ANM CAT Phân loại, xác định cấp độ an toàn các hệ thống thông tin của tỉnh
HTKH SKHCN Nâng cao năng lực hoạt động của Sàn giao dịch công nghệ tỉnh Nghệ An
HTKH SKHCN Xây dựng Trung tâm đổi mới sáng tạo tỉnh Nghệ An
HTKH SKHCN Xác định danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh năm 2026
HTKH SKHCN Sắp xếp, nâng cao năng lực các tổ chức khoa học và công nghệ công lập
NNL SNV Bồi dưỡng cơ bản và nâng cao cho cán bộ làm công tác chuyển đổi số của 130 xã, phường
NNL SGDDT Triển khai Kế hoạch số 374/KH-UBND về đổi mới căn bản, toàn diện giáo dục, đào tạo
NNL SGDDT Đưa giáo dục STEM, trí tuệ nhân tạo vào các trường phổ thông
NNL SKHCN Thành lập, kiện toàn tổ công nghệ số cộng đồng tại thôn, xóm, khối phố
TCKP STC Bố trí ngân sách cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số theo quy định
TCKP STC Báo cáo đề xuất tài chính, kinh phí thực hiện Nghị quyết số 57-NQ/TW
TCKP SKHCN Kiện toàn Quỹ phát triển khoa học và công nghệ tỉnh
HTQT SNGV Ban hành Kế hoạch hợp tác quốc tế về phát triển khoa học, công nghệ, đổi mới sáng tạo và
    chuyển đổi số tỉnh Nghệ An
HTQT SNGV Rà soát các cam kết hợp tác quốc tế giữa Nghệ An với các đối tác nước ngoài
HTQT SKHCN Kết nối mạng lưới chuyên gia, trí thức người Việt Nam ở nước ngoài
""")
# What every department does; fills the pool up, spread over the departments.
DEPARTMENT_TASKS = templates("""
CDDH Ban hành Kế hoạch chuyển đổi số năm {year} của {unit}
NTS Cung cấp dịch vụ công trực tuyến toàn trình thuộc phạm vi quản lý của {unit}
CSDL Cập nhật cơ sở dữ liệu chuyên ngành của {unit} lên Kho dữ liệu dùng chung
NNL Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức {unit}
CSDL Số hóa hồ sơ, tài liệu lưu trữ của {unit}
ANM Bảo đảm an toàn thông tin các hệ thống do {unit} quản lý
""")
DEPARTMENTS = codes(
    "STP STC SCT SNNMT SXD SVHTTDL SGDDT SYT TTT SNGV SDTTG SNV SKHCN VP-UBND CAT TTPVHCC"
)

# --- NQ71: 21 tasks given to the province by Resolution 71/NQ-CP -------------------------------
NQ71_GROUPS = (
    group(4, 2025, "2025-04-15", "2025-06-30", ip("2025-05-15", 50), done("2025-06-25")),
    group(6, 2025, "2025-04-15", "2025-09-30", ip("2025-06-15", 50), done("2025-09-12")),
    group(5, 2025, "2025-04-15", "2025-12-31", ip("2025-06-20", 30), ip("2025-09-12", 60),
          done("2025-12-19")),
    group(5, 2025, "2025-04-15", "2026-12-31", ip("2025-07-10", 20), ip("2025-12-10", 40)),
    # footnote 1: proposed for removal at A, removed by the standing office in Q4
    group(1, 2025, "2025-04-15", "2025-12-31", step(Status.PROPOSED_REMOVAL, "2025-08-20"),
          step(Status.REMOVED, "2025-10-28", note="Ban Chỉ đạo tỉnh đồng ý đưa ra khỏi danh mục."),
          picks=(("NTS", "SXD", DIGITAL_TWIN),), reason=TWIN_REASON),
)  # fmt: skip
NQ71_POOL = picks("""
CDDH VP-UBND Cập nhật chương trình hành động của tỉnh theo Nghị quyết số 71/NQ-CP
TCKP STC Bảo đảm tỷ lệ chi ngân sách cho khoa học, công nghệ và chuyển đổi số
NTS VP-UBND Cung cấp dịch vụ công trực tuyến toàn trình cho thủ tục đủ điều kiện
CSDL SKHCN Kết nối, chia sẻ dữ liệu của tỉnh với các cơ sở dữ liệu quốc gia
NNL SKHCN Phổ cập kỹ năng số cho người dân
HTCN SKHCN Phát triển mạng di động 5G tại khu đô thị, khu công nghiệp
NTS TTPVHCC Ứng dụng trí tuệ nhân tạo hỗ trợ giải quyết thủ tục hành chính
NTS VP-UBND Sử dụng chữ ký số trong xử lý văn bản, hồ sơ công việc
NTS SCT Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số
NTS STC Thúc đẩy thanh toán không dùng tiền mặt trong dịch vụ công
NTS SYT Triển khai hồ sơ sức khỏe điện tử cho người dân
CSDL SNV Số hóa tài liệu lưu trữ lịch sử của tỉnh
CSDL SNNMT Hoàn thiện cơ sở dữ liệu đất đai kết nối cơ sở dữ liệu quốc gia
TCCS VP-UBND Cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ liệu
NNL SNV Bồi dưỡng trực tuyến cho cán bộ, công chức qua nền tảng học tập mở (MOOCs)
NTS SVHTTDL Phát triển sản phẩm, dịch vụ du lịch thông minh
NTS CAT Ứng dụng công nghệ số trong bảo đảm trật tự, an toàn giao thông
HTKH SKHCN Phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh
NTS TTT Chuyển đổi số trong thanh tra, tiếp công dân, giải quyết khiếu nại, tố cáo
CSDL STP Số hóa dữ liệu hộ tịch và đưa vào sử dụng chung
""")

# --- CDS-DANG: 43 tasks of the Party agencies and the Front for 2025 -------------------------
CDS_RECURRING = picks("""
CSDL BTC-TU Cập nhật, quản lý Cơ sở dữ liệu đảng viên
ANM VPTU Bảo đảm an toàn thông tin mạng diện rộng của Đảng
NTNT BTGDV-TU Tuyên truyền về chuyển đổi số trên các nền tảng của các cơ quan Đảng
NTS VPTU Vận hành hệ thống hội nghị truyền hình Tỉnh ủy đến đảng ủy xã, phường
NTS HDND Cập nhật hoạt động của HĐND tỉnh trên Trang thông tin điện tử
NTNT MTTQ Vận động Nhân dân sử dụng dịch vụ công trực tuyến, thanh toán không dùng tiền mặt
CDDH DU-CQD Theo dõi, đôn đốc chuyển đổi số trong các tổ chức đảng trực thuộc
ANM BNC-TU Phòng ngừa lộ, lọt bí mật nhà nước trên không gian mạng
""")
CDS_GROUPS = (
    group(7, 2025, "2025-03-25", "2025-09-30", ip("2025-05-15", 40), done("2025-08-25")),
    group(8, 2025, "2025-03-25", None, step(Status.RECURRING, "2025-04-05"),
          picks=CDS_RECURRING),
    group(10, 2025, "2025-03-25", "2025-12-31", ip("2025-06-10", 30), ip("2025-09-10", 55),
          done("2025-12-16")),
    group(6, 2025, "2025-06-01", "2026-06-30", ip("2025-08-10", 25), ip("2025-12-20", 45)),
    # the report's "12/43 sẽ triển khai trong Quý IV"
    group(12, 2025, "2025-10-06", "2025-12-31", ip("2025-10-20", 30), done("2025-12-26")),
)  # fmt: skip
CDS_POOL = picks("""
NTS VPTU Triển khai hệ thống quản lý văn bản và điều hành thống nhất trong các cơ quan Đảng
CSDL BTC-TU Cấp đổi Thẻ đảng viên trên nền tảng Cơ sở dữ liệu quốc gia về dân cư
NTS BTC-TU Triển khai ứng dụng Sổ tay đảng viên điện tử
CSDL BTC-TU Số hóa hồ sơ đảng viên
NTS UBKT-TU Triển khai phần mềm quản lý công tác kiểm tra, giám sát của Đảng
CSDL UBKT-TU Số hóa hồ sơ kiểm tra, giám sát và kê khai tài sản, thu nhập
NTNT BTGDV-TU Ứng dụng công nghệ số đấu tranh phản bác quan điểm sai trái, thù địch
NTS BTGDV-TU Xây dựng hệ thống theo dõi, tổng hợp dư luận xã hội
NTS BNC-TU Ứng dụng công nghệ số theo dõi phòng, chống tham nhũng, lãng phí, tiêu cực
NTS VPTU Triển khai phòng họp không giấy tờ tại Tỉnh ủy
HTCN VPTU Mở rộng mạng diện rộng của Đảng đến đảng ủy xã, phường
NTS VPTU Trang bị chữ ký số cho cán bộ các cơ quan Đảng cấp tỉnh, cấp xã
CSDL VPTU Số hóa tài liệu lưu trữ tại Kho lưu trữ Tỉnh ủy
NTS HDND Tổ chức kỳ họp HĐND tỉnh không giấy tờ
CSDL HDND Xây dựng cơ sở dữ liệu ý kiến, kiến nghị cử tri
NTS MTTQ Triển khai nền tảng số tiếp nhận ý kiến, kiến nghị của Nhân dân
NTS MTTQ Ứng dụng công nghệ số trong giám sát, phản biện xã hội của Mặt trận
CSDL MTTQ Xây dựng cơ sở dữ liệu đoàn viên, hội viên các tổ chức chính trị - xã hội
NTS MTTQ Công khai các khoản vận động, ủng hộ qua tài khoản số
NNL DU-CQD Tổ chức học tập, quán triệt nghị quyết trực tuyến cho đảng viên
CDDH DU-CQD Ứng dụng công nghệ số trong sinh hoạt chi bộ
CDDH DU-UBND Ứng dụng nền tảng số quản lý đảng viên tại các đảng bộ trực thuộc
NTS DU-UBND Liên thông văn bản giữa Đảng ủy UBND tỉnh và các cơ quan chính quyền
CDDH VPTU Thành lập Tiểu Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển
    đổi số trong các cơ quan đảng tỉnh
""")
PARTY_TASKS = templates("""
CDDH Ban hành Kế hoạch chuyển đổi số năm {year} của {unit}
NNL Bồi dưỡng kỹ năng số cho cán bộ {unit}
CSDL Số hóa hồ sơ, tài liệu lưu trữ của {unit}
""")
PARTY_UNITS = codes("VPTU BTC-TU BTGDV-TU UBKT-TU BNC-TU DU-CQD DU-UBND HDND MTTQ")

PROGRAMMES = (
    Programme("NQ57-TINH", NQ57_GROUPS, NQ57_POOL, DEPARTMENT_TASKS, DEPARTMENTS,
              ("SKHCN", "VP-UBND")),
    Programme("NQ71", NQ71_GROUPS, NQ71_POOL, DEPARTMENT_TASKS, DEPARTMENTS, ("SKHCN", "VP-UBND")),
    Programme("CDS-DANG", CDS_GROUPS, CDS_POOL, PARTY_TASKS, PARTY_UNITS, ("VPTU", "BTC-TU")),
)  # fmt: skip

# --- Tasks given to all 130 communes and wards ------------------------------------------------
# Phase 1 of Plan 02-KH/BCĐTW: 16 infrastructure and equipment tasks at each commune's public
# administration service centre, all confirmed done by 08/9/2025.
KH02_TASKS = templates("""
HTCN Kết nối mạng truyền số liệu chuyên dùng tại Trung tâm phục vụ hành chính công
HTCN Bảo đảm đường truyền Internet tốc độ cao tại Trung tâm phục vụ hành chính công
HTCN Trang bị máy tính cho cán bộ tiếp nhận, trả kết quả thủ tục hành chính
HTCN Trang bị máy quét tài liệu phục vụ số hóa hồ sơ thủ tục hành chính
HTCN Trang bị máy in và thiết bị đầu cuối tại Bộ phận Một cửa
HTCN Trang bị thiết bị lấy số thứ tự và màn hình hiển thị
HTCN Trang bị máy tra cứu thông tin, đánh giá mức độ hài lòng
HTCN Lắp đặt camera giám sát tại Trung tâm phục vụ hành chính công
NTS Cấp chữ ký số cho cán bộ, công chức và chứng thư số cho cơ quan
NTS Cấp tài khoản Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh
NTS Cấu hình quy trình giải quyết thủ tục hành chính cấp xã trên hệ thống
HTCN Kết nối hệ thống hội nghị truyền hình trực tuyến đến cấp xã
ANM Cài đặt phần mềm phòng, chống mã độc cho máy tính cấp xã
NNL Bố trí cán bộ phụ trách công nghệ thông tin, chuyển đổi số cấp xã
NTS Sử dụng hệ thống quản lý văn bản và điều hành cấp xã
NTS Bố trí khu vực hướng dẫn người dân nộp hồ sơ trực tuyến
""")
KH02 = group(16, 2025, "2025-07-01", "2025-09-15")
BDHVS = group(1, 2025, "2025-07-15", "2025-12-31")


def _kh02_steps(task_no: int, commune_no: int) -> tuple[Step, ...]:
    # Completions spread over 10/7–08/9/2025 (61 days), different for each task and commune.
    days = (task_no * 37 + commune_no * 11) % 61
    return (Step(Status.COMPLETED, D("2025-07-10") + timedelta(days)),)


def _bdhvs_steps(commune_no: int) -> tuple[Step, ...]:
    """111 communes issue their plan between 25/7 and 28/9/2025; 19 (every 7th) were drafting it
    at the end of September and issue it in Oct–Dec."""
    if commune_no % 7 != 3:
        return (Step(Status.COMPLETED, D("2025-07-25") + timedelta(commune_no * 13 % 66)),)
    return (
        ip("2025-09-15", 50, "Đang dự thảo kế hoạch."),
        Step(Status.COMPLETED, D("2025-10-06") + timedelta(commune_no * 17 % 80)),
    )


# --- Expansion --------------------------------------------------------------------------------
def _spread(templates: Sequence[tuple[str, str]], leads: Sequence[str], n: int) -> list[Pick]:
    """n distinct (area, lead, title) combinations, interleaved so leads and templates vary."""
    combos = [(area, lead, text) for lead in leads for area, text in templates]
    stride = 7  # coprime with the combination counts used (96 and 27): no repeats
    assert n <= len(combos) and len(combos) % stride
    return [combos[i * stride % len(combos)] for i in range(n)]


def _titles(programme: Programme) -> Iterator[Pick]:
    """Each group's picks first, then the pool, topped up with the generic titles."""
    wanted = sum(g.count - len(g.picks) for g in programme.groups)
    pool = list(programme.pool)
    pool += _spread(programme.generic, programme.generic_leads, wanted - len(pool))
    shared = iter(pool)
    for group in programme.groups:
        for index in range(group.count):
            yield group.picks[index] if index < len(group.picks) else next(shared)


def _evidence_kind(title: str) -> tuple[str, str]:
    """(document kind, expected product) from the title's verb."""
    if title.startswith(("Ban hành", "Xây dựng Kế hoạch", "Cập nhật chương trình")):
        return "KH", "Kế hoạch, văn bản được ban hành"
    if title.startswith(("Phê duyệt", "Thành lập", "Xây dựng Đề án", "Đề án")):
        return "QĐ", "Quyết định của cấp có thẩm quyền"
    return "BC", "Sản phẩm, kết quả được nghiệm thu; báo cáo kết quả thực hiện"


def _document(unit: Unit, kind: str, seq: int) -> str:
    """A plausible document number: Party style "12-KH/TU", State style "123/BC-SKHCN"."""
    number = 20 + seq * 53 % 900
    if unit.unit_type in (UnitType.COMMUNE, UnitType.WARD) or unit.code == "VP-UBND":
        return f"{number}/{kind}-UBND"
    if unit.unit_type in (UnitType.PARTY_AGENCY, UnitType.FRONT) and unit.code != "HDND":
        return f"{number}-{kind}/{'TU' if unit.code == 'VPTU' else unit.code.replace('-', '')}"
    return f"{number}/{kind}-{'HĐND' if unit.code == 'HDND' else unit.code.replace('-', '')}"


@dataclass
class _Loader:
    actor: User
    office: User
    units: dict[str, Unit]
    reporters: dict[str, User]  # by unit code
    sources: dict[str, Source]
    areas: dict[str, Area]
    existing: set[str]
    created: int = 0
    seq: int = 0  # numbers the evidence documents

    @classmethod
    def start(cls, actor: User) -> _Loader:
        reporters = User.objects.filter(username__startswith="bc.", is_active=True)
        office = User.objects.get(username="thuongtruc")
        return cls(
            actor=actor,
            office=office,
            units=Unit.objects.in_bulk(field_name="code"),
            reporters={u.unit.code: u for u in reporters.select_related("unit")},
            sources={code: _source(office, code, *rest) for code, *rest in SOURCES},
            areas={
                code: Area.objects.filter(code=code).first()
                or services.save_area(actor=office, code=code, name=name, order=n)
                for n, (code, name) in enumerate(AREAS, start=1)
            },
            existing=set(Task.objects.values_list("code", flat=True)),
        )

    def programme_groups(self) -> None:
        for order, (code, name, sources, this_year_only) in enumerate(PROGRAMME_GROUPS, start=1):
            services.save_programme_group(
                actor=self.office,
                code=code,
                name=name,
                sources=[self.sources[source] for source in sources],
                order=10 * order,
                this_year_only=this_year_only,
            )

    def programme(self, programme: Programme) -> None:
        titles = _titles(programme)
        first, second = programme.coordinator
        number = 0
        for group in programme.groups:
            for index in range(group.count):
                number += 1
                area, code, text = next(titles)
                lead = self.units[code]
                title = text.format(year=group.year, unit=lead.name)
                helper = self.units[second if code == first else first]
                task = self.task(
                    f"{programme.source}-{number:03d}",
                    programme.source,
                    group,
                    lead,
                    title,
                    area,
                    coordinators=[helper],
                )
                if task is None:
                    continue
                # Same shape, a few days apart (never across a deadline or a quarter's end).
                shift = timedelta(days=index % 4)
                steps = [Step(s.status, s.on - shift, s.progress, s.note) for s in group.steps]
                self.record(
                    task.assignments.select_related("task", "unit").get(), steps, group.reason
                )

    def communes(self) -> None:
        communes = list(Unit.objects.filter(unit_type__in=["xa", "phuong"]).order_by("path"))
        for n, (area, title) in enumerate(KH02_TASKS, start=1):
            lead = self.units["KHOI-XA" if n % 2 else "SKHCN"]
            task = self.task(f"KH02-GD1-{n:03d}", "KH02-GD1", KH02, lead, title, area, communes)
            self.each_commune(task, communes, partial(_kh02_steps, n))
        lead = self.units["SKHCN"]
        task = self.task("BDHVS-001", "BDHVS", BDHVS, lead, BDHVS_TITLE, "NNL", communes)
        self.each_commune(task, communes, _bdhvs_steps)

    def task(
        self,
        code: str,
        source: str,
        group: Group,
        lead: Unit,
        title: str,
        area: str,
        assignees: Sequence[Unit] = (),
        coordinators: Sequence[Unit] = (),
    ) -> Task | None:
        """Create the task unless its code exists (then None: its events are there already).
        Without assignees the task is assigned to its lead unit."""
        if code in self.existing:
            return None
        self.created += 1
        return services.create_task(
            actor=self.actor,
            lead_unit=lead,
            assignees=assignees,
            coordinating_units=coordinators,
            code=code,
            title=title,
            source=self.sources[source],
            area=self.areas[area],
            year=group.year,
            start_date=group.start,
            deadline=group.deadline,
            expected_product=_evidence_kind(title)[1],
        )

    def each_commune(
        self, task: Task | None, communes: list[Unit], steps: Callable[[int], tuple[Step, ...]]
    ) -> None:
        if task is None:
            return
        assignments = {a.unit_id: a for a in task.assignments.select_related("task", "unit")}
        for n, commune in enumerate(communes):
            self.record(assignments[commune.pk], steps(n), "")

    def record(self, assignment: Assignment, steps: Sequence[Step], reason: str) -> None:
        """The unit's status events, in date order, as its reporter (removal: standing office)."""
        unit, kind = assignment.unit, _evidence_kind(assignment.task.title)[0]
        for s in steps:
            actor = self.reporters.get(unit.code, self.office)
            if s.status == Status.REMOVED:
                actor = self.office
            evidence: dict[str, Any] = {}
            if s.status == Status.COMPLETED:
                self.seq += 1
                evidence = {
                    "evidence_number": _document(unit, kind, self.seq),
                    "evidence_date": s.on,
                }
            needs_reason = s.status in (Status.PAUSED, Status.PROPOSED_REMOVAL)
            services.record_status(
                actor=actor,
                assignment=assignment,
                status=s.status,
                effective_date=s.on,
                progress=s.progress,
                note=s.note or _note(s),
                reason=reason if needs_reason else "",
                **evidence,
            )


def _note(s: Step) -> str:
    if s.status == Status.IN_PROGRESS:
        return f"Đang triển khai, ước đạt {s.progress}%."
    if s.status == Status.COMPLETED:
        return "Đã hoàn thành."
    return ""


def _source(office: User, code: str, name: str, number: str, issued_on: str, issuer: str) -> Source:
    """The source `code`, set up by the standing office unless it exists already."""
    return Source.objects.filter(code=code).first() or services.save_source(
        actor=office, code=code, name=name, number=number, issued_on=D(issued_on), issuer=issuer
    )


def load_tasks(actor: User) -> int:
    """Create the demo tasks that do not exist yet, with their status history; returns how many
    were created. One transaction: on SQLite this is what keeps ~2,700 events fast."""
    with transaction.atomic():
        loader = _Loader.start(actor)
        loader.programme_groups()
        for programme in PROGRAMMES:
            loader.programme(programme)
        loader.communes()
    return loader.created
