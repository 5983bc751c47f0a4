"""Nghệ An's demo reports: the monthly periods 2025-07, 2025-08, 2025-09 and the quarter 2025-Q3.

Everything goes through reporting.services as the people who would do it: the administrator sets
the periods up, each unit's reporter (`bc.<code>`) writes and submits, its head (`ld.<code>`)
approves or returns, the standing office (`thuongtruc`) receives or returns. Each move carries
the moment it is meant to have happened (`at=`), so on time and late come out of the data.

The quarter: most units received, some of them late, two returned with comments (one by the
unit's head, one by the standing office), a few still at the unit (draft, awaiting the head,
approved and awaiting the office), a few missing, and 16681 (Phường Thành Vinh) not started, so
that the browser test can fill and submit it. The monthly periods are nearly all received.

The texts quote the task data loaded by demo.tasks (load it first): a commune's Plan 02 phase 1
tasks and its "Bình dân học vụ số" plan as its status events say, an agency's counts from
tasks.queries.task_stats at the end of the period.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db import transaction

from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.models import Period, PeriodKind
from reporting import services
from reporting.models import SectionKind
from reporting.services import SectionInput
from tasks.models import Area, StatusEvent
from tasks.queries import TaskFilter, task_stats
from tasks.timeliness import Status

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = date.fromisoformat


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(D(day), time(hour, minute), tzinfo=TZ)


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str
    title: str
    starts_on: date
    ends_on: date
    opens_at: datetime
    due_at: datetime
    month_label: str  # how the texts name the period: "tháng 7/2025", "Quý III/2025"


def _month(number: int) -> PeriodSpec:
    """A monthly report: open from the 20th, due on the 25th at 17:00 (figures estimated to
    the end of the month), as the province's monthly reports are."""
    first = date(2025, number, 1)
    last = date(2025, number + 1, 1) - timedelta(days=1)
    return PeriodSpec(
        code=f"2025-{number:02d}",
        kind=PeriodKind.MONTH,
        title=f"Tháng {number}/2025",
        starts_on=first,
        ends_on=last,
        opens_at=at(f"2025-{number:02d}-20", 7),
        due_at=at(f"2025-{number:02d}-25", 17),
        month_label=f"tháng {number}/2025",
    )


QUARTER = PeriodSpec(
    code="2025-Q3",
    kind=PeriodKind.QUARTER,
    title="Quý III/2025",
    starts_on=D("2025-07-01"),
    ends_on=D("2025-09-30"),
    opens_at=at("2025-09-25", 7),
    due_at=at("2025-10-05", 17),
    month_label="Quý III/2025",
)
PERIODS = (_month(7), _month(8), _month(9), QUARTER)


class Fate(StrEnum):
    """Where a unit's report ends up."""

    MISSING = "missing"  # no report at all
    DRAFT = "draft"
    SUBMITTED = "submitted"  # awaiting the unit's head
    APPROVED = "approved"  # awaiting the standing office
    RETURNED_BY_HEAD = "returned_by_head"
    RETURNED_BY_OFFICE = "returned_by_office"
    RECEIVED = "received"


F = Fate
# Every unit not named here is received; the late ones first submitted after the due time.
FATES: dict[str, dict[str, Fate]] = {
    "2025-Q3": {
        "16681": F.MISSING,  # not started: the browser test fills and submits it
        "16819": F.MISSING, "16885": F.MISSING, "17242": F.MISSING, "17728": F.MISSING,
        "16936": F.DRAFT, "SDTTG": F.DRAFT,
        "17176": F.SUBMITTED, "17560": F.SUBMITTED,
        "17416": F.APPROVED, "STP": F.APPROVED, "TTT": F.APPROVED,
        "16969": F.RETURNED_BY_HEAD, "SCT": F.RETURNED_BY_OFFICE,
    },
    "2025-09": {
        "16885": F.SUBMITTED,
        "17242": F.APPROVED, "17728": F.APPROVED, "SDTTG": F.APPROVED,
    },
}  # fmt: skip
LATE: dict[str, frozenset[str]] = {
    "2025-07": frozenset({"16819", "16885", "17242", "17728", "SDTTG"}),
    "2025-08": frozenset({"16819", "16885", "17728", "16936"}),
    "2025-09": frozenset({"16819", "16936", "17728"}),
    "2025-Q3": frozenset(
        {"16777", "16849", "17044", "17278", "17335", "17488", "17818", "17866", "17989"}
        | {"BNC-TU", "SVHTTDL"}
    ),
}
RETURN_COMMENTS = {
    F.RETURNED_BY_HEAD: (
        "Đề nghị bổ sung kết quả triển khai phong trào “Bình dân học vụ số” (số tổ công nghệ số "
        "cộng đồng, số người dân được hướng dẫn) và nêu rõ khó khăn về nhân lực trước khi trình."
    ),
    F.RETURNED_BY_OFFICE: (
        "Đề nghị đơn vị bổ sung số, ngày văn bản minh chứng cho các nhiệm vụ đã hoàn thành và "
        "tách riêng phần đề xuất, kiến nghị theo từng lĩnh vực."
    ),
}

# --- texts ------------------------------------------------------------------------------------
# (area code, text); a unit takes the entry at its position in the tree, so neighbours differ.
COMMUNE_DIFFICULTIES = (
    ("NNL", "Cán bộ phụ trách chuyển đổi số của xã chủ yếu kiêm nhiệm, chưa được đào tạo chuyên "
            "sâu về công nghệ thông tin."),
    ("HTCN", "Hạ tầng viễn thông tại một số thôn, bản vùng sâu chưa ổn định, còn điểm lõm sóng "
             "di động, ảnh hưởng đến việc tiếp cận dịch vụ công trực tuyến."),
    ("NTS", "Một bộ phận người dân, nhất là người cao tuổi, còn lúng túng khi nộp hồ sơ trực "
            "tuyến và thanh toán không dùng tiền mặt."),
    ("TCKP", "Kinh phí cho chuyển đổi số cấp xã còn hạn chế, chưa bố trí được nguồn riêng để "
             "thay thế thiết bị đã cũ."),
)  # fmt: skip
COMMUNE_PROPOSALS = (
    ("NNL", "Đề nghị tỉnh tổ chức các lớp bồi dưỡng kỹ năng số cho cán bộ, công chức cấp xã và "
            "thành viên tổ công nghệ số cộng đồng."),
    ("HTCN", "Đề nghị các doanh nghiệp viễn thông sớm phủ sóng các điểm lõm tại thôn, bản vùng "
             "cao."),
    ("TCKP", "Đề nghị tỉnh hỗ trợ kinh phí mua sắm bổ sung thiết bị cho Bộ phận Một cửa cấp xã."),
    ("CSDL", "Đề nghị Sở Khoa học và Công nghệ hướng dẫn thống nhất việc số hóa hồ sơ, kết quả "
             "giải quyết thủ tục hành chính để tái sử dụng dữ liệu."),
)  # fmt: skip
AGENCY_DIFFICULTIES = (
    ("CSDL", "Dữ liệu chuyên ngành còn phân tán ở nhiều hệ thống, chưa được chuẩn hóa để kết nối, "
             "chia sẻ qua Kho dữ liệu dùng chung của tỉnh."),
    ("NNL", "Nhân lực công nghệ thông tin của cơ quan còn mỏng, chủ yếu kiêm nhiệm."),
    ("TCKP", "Thủ tục đầu tư, thuê dịch vụ công nghệ thông tin kéo dài, ảnh hưởng đến tiến độ "
             "một số dự án."),
    ("ANM", "Yêu cầu bảo đảm an toàn thông tin theo cấp độ ngày càng cao trong khi thiết bị bảo "
            "mật chuyên dụng còn thiếu."),
)  # fmt: skip
AGENCY_PROPOSALS = (
    ("CSDL", "Đề nghị UBND tỉnh sớm phê duyệt chủ trương đầu tư các cơ sở dữ liệu chuyên ngành."),
    ("TCKP", "Đề nghị Sở Tài chính ưu tiên bố trí kinh phí năm 2026 cho các nhiệm vụ chuyển đổi "
             "số chuyển tiếp."),
    ("NNL", "Đề nghị Sở Nội vụ mở lớp bồi dưỡng chuyên sâu về an toàn thông tin cho cán bộ "
            "chuyên trách."),
    ("CDDH", "Đề nghị Ban Chỉ đạo tỉnh tăng cường kiểm tra, đôn đốc các nhiệm vụ chậm tiến độ."),
)  # fmt: skip
MONTHLY_NOTES = (
    ("NTNT", "Tiếp tục tuyên truyền Nghị quyết số 57-NQ/TW trên trang thông tin điện tử và các "
             "nhóm Zalo của đơn vị."),
    ("NTS", "Duy trì tiếp nhận, giải quyết hồ sơ thủ tục hành chính trực tuyến, không để hồ sơ "
            "quá hạn."),
    ("CDDH", "Giao ban định kỳ về chuyển đổi số, phân công rõ người, rõ việc, rõ thời hạn."),
    ("ANM", "Rà soát, cập nhật phần mềm phòng, chống mã độc trên máy tính của cơ quan."),
)  # fmt: skip
KH02_SOURCE, BDHVS_TASK = "KH02-GD1", "BDHVS-001"
COMMUNE_TYPES = (UnitType.COMMUNE, UnitType.WARD)


def _vn(day: date) -> str:
    return f"{day:%d/%m/%Y}"


@dataclass
class _Facts:
    """The task data the texts quote: each unit's status events, by task."""

    events: dict[str, list[StatusEvent]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, units: list[Unit]) -> _Facts:
        facts = cls()
        rows = StatusEvent.objects.filter(assignment__unit__in=units).select_related(
            "assignment__unit", "assignment__task__source", "assignment__task__area"
        )
        for event in rows.order_by("effective_date", "id"):
            facts.events[event.assignment.unit.code].append(event)
        return facts

    def kh02_done(self, unit: Unit, day: date) -> tuple[int, date | None]:
        """How many Plan 02 phase 1 tasks the commune had completed by `day`, and when the last."""
        done = [
            e.effective_date
            for e in self.events[unit.code]
            if e.assignment.task.source.code == KH02_SOURCE
            and e.status == Status.COMPLETED
            and e.effective_date <= day
        ]
        return len(done), max(done, default=None)

    def bdhvs(self, unit: Unit, day: date) -> StatusEvent | None:
        latest = None
        for event in self.events[unit.code]:
            if event.assignment.task.code == BDHVS_TASK and event.effective_date <= day:
                latest = event
        return latest

    def completed_in(self, unit: Unit, first: date, last: date) -> list[StatusEvent]:
        return [
            e
            for e in self.events[unit.code]
            if e.status == Status.COMPLETED and first <= e.effective_date <= last
        ]


@dataclass
class _Loader:
    actor: User
    office: User
    units: list[Unit]
    reporters: dict[str, User]  # by unit code
    heads: dict[str, User]
    areas: dict[str, Area]
    facts: _Facts
    created: int = 0

    @classmethod
    def start(cls, actor: User) -> _Loader:
        units = list(
            Unit.objects.filter(unit_type__in=REPORTING_TYPES, active_to__isnull=True).order_by(
                "path"
            )
        )
        accounts = User.objects.filter(is_active=True, unit__in=units).select_related("unit")
        return cls(
            actor=actor,
            office=User.objects.get(username="thuongtruc"),
            units=units,
            reporters={u.unit.code: u for u in accounts.filter(username__startswith="bc.")},
            heads={u.unit.code: u for u in accounts.filter(username__startswith="ld.")},
            areas=Area.objects.in_bulk(field_name="code"),
            facts=_Facts.load(units),
        )

    def period(self, spec: PeriodSpec) -> None:
        if Period.objects.filter(code=spec.code).exists():
            return
        period = services.create_period(
            actor=self.actor, code=spec.code, kind=spec.kind, title=spec.title,
            starts_on=spec.starts_on, ends_on=spec.ends_on, opens_at=spec.opens_at,
            due_at=spec.due_at, units=self.units,
        )  # fmt: skip
        for index, unit in enumerate(self.units):
            fate = FATES.get(spec.code, {}).get(unit.code, Fate.RECEIVED)
            reporter, head = self.reporters.get(unit.code), self.heads.get(unit.code)
            if fate is Fate.MISSING or reporter is None or head is None:
                continue
            self.report(spec, period, unit, index, fate, reporter, head)
        if spec.kind == PeriodKind.MONTH:  # past months are closed; the quarter stays open
            services.close_period(actor=self.actor, period=period)

    def report(
        self,
        spec: PeriodSpec,
        period: Period,
        unit: Unit,
        index: int,
        fate: Fate,
        reporter: User,
        head: User,
    ) -> None:
        report = services.start_report(actor=reporter, unit=unit, period=period)
        self.created += 1
        report = services.save_report(
            actor=reporter, report=report, version=report.version,
            sections=self.sections(spec, unit, index),
        )  # fmt: skip
        if fate is Fate.DRAFT:
            return
        submitted = _submitted_at(spec, index, unit.code in LATE.get(spec.code, ()))
        approved = submitted + timedelta(hours=2 + index % 3)  # the head's answer
        received = approved + timedelta(days=1, hours=index % 4)  # the standing office's
        report = services.submit_report(actor=reporter, report=report, at=submitted)
        if fate is Fate.SUBMITTED:
            return
        if fate is Fate.RETURNED_BY_HEAD:
            comment = RETURN_COMMENTS[fate]
            services.return_report(actor=head, report=report, comment=comment, at=approved)
            return
        report = services.approve_report(actor=head, report=report, at=approved)
        if fate is Fate.RETURNED_BY_OFFICE:
            comment = RETURN_COMMENTS[fate]
            services.return_report(actor=self.office, report=report, comment=comment, at=received)
        elif fate is Fate.RECEIVED:
            services.receive_report(actor=self.office, report=report, at=received)

    def sections(self, spec: PeriodSpec, unit: Unit, index: int) -> list[SectionInput]:
        commune = unit.unit_type in COMMUNE_TYPES
        if spec.kind == PeriodKind.MONTH:
            results = (
                self.commune_results(spec, unit) if commune else self.agency_results(spec, unit)
            )
            note = MONTHLY_NOTES[(index + spec.ends_on.month) % len(MONTHLY_NOTES)]
            return [*results[:1], self.section(SectionKind.RESULTS, note)]
        difficulties = COMMUNE_DIFFICULTIES if commune else AGENCY_DIFFICULTIES
        proposals = COMMUNE_PROPOSALS if commune else AGENCY_PROPOSALS
        results = self.commune_results(spec, unit) if commune else self.agency_results(spec, unit)
        return [
            *results,
            self.section(SectionKind.DIFFICULTIES, difficulties[index % len(difficulties)]),
            self.section(SectionKind.PROPOSALS, proposals[(index // 2) % len(proposals)]),
        ]

    def section(self, kind: str, entry: tuple[str, str]) -> SectionInput:
        area, text = entry
        return SectionInput(kind=kind, text=text, area=self.areas.get(area))

    def commune_results(self, spec: PeriodSpec, unit: Unit) -> list[SectionInput]:
        day, label = spec.ends_on, spec.month_label
        done, last = self.facts.kh02_done(unit, day)
        if done == 16 and last is not None:
            kh02 = (
                f"Hoàn thành 16/16 nhiệm vụ giai đoạn 1 theo Kế hoạch số 02-KH/BCĐTW (xong ngày "
                f"{_vn(last)}): Trung tâm phục vụ hành chính công của {unit.name} đã kết nối mạng "
                "truyền số liệu chuyên dùng và Internet tốc độ cao, được trang bị máy tính, máy "
                "quét, máy in, thiết bị lấy số thứ tự và camera giám sát."
            )
        else:
            kh02 = (
                f"Đến hết {label}, hoàn thành {done}/16 nhiệm vụ giai đoạn 1 theo Kế hoạch số "
                "02-KH/BCĐTW về hạ tầng, thiết bị tại Trung tâm phục vụ hành chính công; các "
                "nhiệm vụ còn lại đang triển khai, bảo đảm xong trước ngày 15/9/2025."
            )
        sections = [self.section(SectionKind.RESULTS, ("HTCN", kh02))]
        event = self.facts.bdhvs(unit, day)
        if event is not None and event.status == Status.COMPLETED:
            assert event.evidence_date is not None
            text = (
                "Ban hành Kế hoạch triển khai phong trào “Bình dân học vụ số” trên địa bàn (văn "
                f"bản số {event.evidence_number} ngày {_vn(event.evidence_date)}); thành lập tổ "
                "công nghệ số cộng đồng tại các thôn, khối, xóm."
            )
            sections.append(self.section(SectionKind.RESULTS, ("NNL", text)))
        elif event is not None:
            text = (
                "Đang dự thảo Kế hoạch triển khai phong trào “Bình dân học vụ số” (ước đạt "
                f"{event.progress}%), dự kiến ban hành trong Quý IV/2025."
            )
            sections.append(self.section(SectionKind.RESULTS, ("NNL", text)))
        return sections

    def agency_results(self, spec: PeriodSpec, unit: Unit) -> list[SectionInput]:
        counts = task_stats(as_of=spec.ends_on, flt=TaskFilter(unit=unit)).counts
        if counts["total"] == 0:
            text = (
                f"Trong {spec.month_label}, {unit.name} tiếp tục quán triệt, triển khai Nghị quyết "
                "số 57-NQ/TW và các chương trình của Ban Chỉ đạo tỉnh trong cơ quan."
            )
            return [self.section(SectionKind.RESULTS, ("CDDH", text))]
        others = counts["total"] - counts["completed"] - counts["on_time"]
        text = (
            f"Đến hết {spec.month_label}, {unit.name} được giao {counts['total']} nhiệm vụ: hoàn "
            f"thành {counts['completed']}, đang thực hiện trong hạn {counts['on_time']}"
            + (f", chậm hoặc tạm dừng {others}" if others else "")
            + "."
        )
        sections = [self.section(SectionKind.RESULTS, ("CDDH", text))]
        for event in self.facts.completed_in(unit, spec.starts_on, spec.ends_on)[:2]:
            task = event.assignment.task
            proof = event.evidence_number or ""
            if proof and event.evidence_date:
                proof = f" (văn bản số {proof} ngày {_vn(event.evidence_date)})"
            sections.append(
                SectionInput(
                    kind=SectionKind.RESULTS,
                    text=f"Hoàn thành: {task.title}{proof}.",
                    area=task.area,
                )
            )
        return sections


def _submitted_at(spec: PeriodSpec, index: int, late: bool) -> datetime:
    """On time: in the five days before the due date, in working hours; late: one to four days
    after it."""
    due_day = spec.due_at.date()
    offset = 1 + index % 4 if late else -(1 + index % 5)
    moment = datetime.combine(due_day + timedelta(days=offset), time(8 + index % 8, index * 7 % 60))
    return moment.replace(tzinfo=TZ)


def load_reports(actor: User) -> int:
    """Create the demo periods that do not exist yet with their units' reports; returns how many
    reports were created. Needs the demo accounts and tasks (load_accounts, load_tasks)."""
    with transaction.atomic():
        loader = _Loader.start(actor)
        for spec in PERIODS:
            loader.period(spec)
    return loader.created
