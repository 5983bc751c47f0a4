"""The demo alive on the day it is loaded: the current month's and quarter's reports under way,
tasks due in the coming weeks, reminders and notifications — so that whoever opens the demo
today finds work to do, not a history that stopped in 2025.

Everything is relative to `today` (the day `load_demo` runs; tests freeze the clock, so the
result is deterministic) and written through the services as the people who would do it:

* the standing office opens this month's report (due in three days; with the data dates and form
  of the monthly schedule when demo.schedules plans this month) and this quarter's (due in
  twelve), for every reporting unit — due dates this close bend the province's calendar for the
  demo's sake;
* in each, the units take their fates by their place in the tree: most received or on their
  way, some waiting for their head or for the standing office, two returned with a comment, some
  drafts, the rest not started (Phường Thành Vinh, 16681, among them: its reporter finds the
  month due on the home page). What happened before today is recorded with its moment (`at=`,
  history: nobody is told); what happens today is done now, so the next one to act is told;
* a plan of the Steering Committee issued ten days ago gives six agencies and every commune tasks
  due within the next 30 days, some already under way;
* the hourly reminder job runs once: the units that have not submitted this month's report are
  reminded that it is due in three days.

The Q3/2025 history (demo.reports and the others) is left exactly as it is: nothing here is dated
before the periods it creates, and a period that already exists is not touched. Run again the
same day, it adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from org.models import REPORTING_TYPES, Unit, UnitType, User
from periods.calendar import PlannedPeriod, period_dates
from periods.models import Period, PeriodKind
from reporting import services
from reporting.models import ReportForm, Schedule, SectionKind, UnitReport
from reporting.reminders import send_due_reminders
from reporting.schedules import planned
from reporting.services import SectionInput
from tasks import services as task_services
from tasks.models import Area, Assignment, Source, Task
from tasks.timeliness import Status

COMMUNES = (UnitType.COMMUNE, UnitType.WARD)
ROMAN = ("I", "II", "III", "IV")


class Fate(StrEnum):
    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the unit's head (since yesterday)
    SUBMITTED_NOW = "submitted_now"  # today: the head is told
    APPROVED = "approved"  # waiting for the standing office (since yesterday)
    APPROVED_NOW = "approved_now"  # today: the standing office is told
    RETURNED_BY_HEAD = "returned_by_head"  # today, with a comment
    RETURNED_BY_OFFICE = "returned_by_office"  # today, with a comment
    RECEIVED = "received"


# A unit's fate by its place in the tree (agencies first, then communes), one list per period:
# the first entries take the listed fates, the rest are not started. 16681 is not started in
# either (not in the first places of the tree).
MONTH_FATES = (
    [Fate.RECEIVED] * 12
    + [Fate.APPROVED] * 3
    + [Fate.APPROVED_NOW] * 2
    + [Fate.SUBMITTED] * 2
    + [Fate.SUBMITTED_NOW] * 2
    + [Fate.RETURNED_BY_HEAD, Fate.RETURNED_BY_OFFICE]
    + [Fate.DRAFT] * 14
)
QUARTER_FATES = [Fate.DRAFT] * 8 + [Fate.SUBMITTED] * 2 + [Fate.APPROVED] * 1
MONTH_DUE, QUARTER_DUE = 3, 12  # days from today
OPENED = 6  # days before today

RETURN_COMMENTS = {
    Fate.RETURNED_BY_HEAD: "Đề nghị bổ sung số liệu hồ sơ trực tuyến của tháng và nêu rõ các "
    "nhiệm vụ còn chậm, lý do chậm trước khi trình lại.",
    Fate.RETURNED_BY_OFFICE: "Đề nghị đơn vị ghi rõ số, ngày văn bản minh chứng của các nhiệm "
    "vụ đã hoàn thành trong tháng.",
}
RESULTS = (
    ("CDDH", "Ban hành kế hoạch triển khai các nhiệm vụ chuyển đổi số trong tháng; phân công rõ "
             "người, rõ việc, rõ thời hạn."),
    ("NTS", "Tiếp nhận và giải quyết hồ sơ thủ tục hành chính trực tuyến đúng hạn, không có hồ sơ "
            "quá hạn."),
    ("NNL", "Tổ công nghệ số cộng đồng tiếp tục hướng dẫn người dân sử dụng dịch vụ công trực "
            "tuyến và thanh toán không dùng tiền mặt."),
)  # fmt: skip
DIFFICULTIES = (
    ("HTCN", "Thiết bị tại Bộ phận Một cửa đã cũ, đường truyền có lúc chập chờn."),
    ("NNL", "Cán bộ phụ trách chuyển đổi số còn kiêm nhiệm nhiều việc."),
)  # fmt: skip
PROPOSALS = (
    ("TCKP", "Đề nghị tỉnh hỗ trợ kinh phí thay thế thiết bị cho Bộ phận Một cửa."),
    ("NNL", "Đề nghị mở lớp bồi dưỡng kỹ năng số cho cán bộ phụ trách."),
)  # fmt: skip

# (code suffix, title, lead agency, area, days to the deadline, progress of the lead agency or
# None: not started). The first is every commune's, led by Sở Nội vụ.
PLAN_SOURCE = "KH-BCD-{code}"
COMMUNE_TASK = (
    "01", "Rà soát, cập nhật dữ liệu cán bộ, công chức cấp xã trên Hệ thống quản lý cán bộ, "
    "công chức của tỉnh", "SNV", "CSDL", 20,
)  # fmt: skip
AGENCY_TASKS = (
    ("02", "Hoàn thành kết nối Hệ thống thông tin giải quyết thủ tục hành chính với Cổng dịch "
           "vụ công quốc gia cho các thủ tục mới công bố", "TTPVHCC", "NTS", 5, 80),
    ("03", "Báo cáo đánh giá mức độ an toàn thông tin các hệ thống cấp độ 3 của tỉnh", "SKHCN",
           "ANM", 9, 30),
    ("04", "Trình UBND tỉnh phân bổ kinh phí chuyển đổi số năm sau cho các sở, ngành và xã",
           "STC", "TCKP", 14, 10),
    ("05", "Tổ chức lớp bồi dưỡng kỹ năng số cho lãnh đạo cấp xã (đợt 2)", "SNV", "NNL", 21,
           None),
    ("06", "Số hóa hồ sơ người có công đang quản lý tại các cơ sở y tế", "SYT", "CSDL", 26, 45),
    ("07", "Xây dựng chuyên mục Nghị quyết 57 trên Cổng thông tin điện tử tỉnh", "VP-UBND",
           "NTNT", 28, 60),
)  # fmt: skip


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@dataclass
class _People:
    office: User
    reporters: dict[str, User]
    heads: dict[str, User]

    @classmethod
    def load(cls) -> _People:
        accounts = User.objects.filter(is_active=True).select_related("unit")
        return cls(
            office=accounts.get(username="thuongtruc"),
            reporters={u.unit.code: u for u in accounts.filter(username__startswith="bc.")},
            heads={u.unit.code: u for u in accounts.filter(username__startswith="ld.")},
        )


def load_today(actor: User, today: date | None = None) -> int:
    """This month's and quarter's periods with their reports, the plan's tasks and the
    reminders, as of `today` (default: the local date); returns how many unit reports were
    created (0 when today's periods exist already)."""
    today = today or timezone.localdate()
    month, quarter = _codes(today)
    if Period.objects.filter(code__in=[month, quarter]).exists():
        return 0
    units = list(
        Unit.objects.filter(unit_type__in=REPORTING_TYPES, active_to__isnull=True).order_by("path")
    )
    people = _People.load()
    with transaction.atomic():
        _plan(actor, people, units, today)  # task updates first: submitting seals the month
        created = _period(actor, people, units, today, month, PeriodKind.MONTH, MONTH_DUE)
        created += _period(actor, people, units, today, quarter, PeriodKind.QUARTER, QUARTER_DUE)
    send_due_reminders(now=timezone.now())
    return created


def _codes(today: date) -> tuple[str, str]:
    return f"{today:%Y-%m}", f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _title(code: str, kind: str) -> str:
    year, part = code.split("-")
    if kind == PeriodKind.MONTH:
        return f"Tháng {int(part)}/{year}"
    return f"Quý {ROMAN[int(part[1]) - 1]}/{year}"


def _period(
    actor: User,
    people: _People,
    units: Sequence[Unit],
    today: date,
    code: str,
    kind: str,
    due_in: int,
) -> int:
    starts_on, ends_on = period_dates(code)
    form = None
    scheduled = _scheduled(code, today)
    if scheduled is not None:  # the schedule's data dates and form (only its due date bends)
        plan, form = scheduled
        starts_on, ends_on = plan.starts_on, plan.ends_on
    period = services.create_period(
        actor=people.office, code=code, kind=kind, title=_title(code, kind),
        starts_on=starts_on, ends_on=ends_on, opens_at=at(today - timedelta(days=OPENED), 7),
        due_at=at(today + timedelta(days=due_in), 17), units=units, form=form,
    )  # fmt: skip
    fates = MONTH_FATES if kind == PeriodKind.MONTH else QUARTER_FATES
    created = 0
    for index, unit in enumerate(_order(units)):
        fate = fates[index] if index < len(fates) else Fate.MISSING
        reporter, head = people.reporters.get(unit.code), people.heads.get(unit.code)
        if fate is Fate.MISSING or reporter is None or head is None:
            continue
        _report(people, period, unit, index, fate, reporter, head, today)
        created += 1
    return created


def _scheduled(code: str, today: date) -> tuple[PlannedPeriod, ReportForm] | None:
    """The plan of an active schedule for the period `code` (demo.schedules' monthly one), so
    that the period is the one the schedule would have made, but open today."""
    now = at(today, 12)
    for schedule in Schedule.objects.filter(active=True).select_related("form"):
        for plan in planned(schedule, now):
            if plan.code == code:
                return plan, schedule.form
    return None


def _order(units: Sequence[Unit]) -> list[Unit]:
    """Agencies and communes taken in turn, so that both kinds show every state; 16681 last."""
    agencies = [u for u in units if u.unit_type not in COMMUNES]
    communes = [u for u in units if u.unit_type in COMMUNES and u.code != "16681"]
    turns = max(len(agencies), len(communes))
    mixed = [u for i in range(turns) for u in (agencies[i : i + 1] + communes[i : i + 1])]
    return mixed + [u for u in units if u.code == "16681"]


def _report(
    people: _People,
    period: Period,
    unit: Unit,
    index: int,
    fate: Fate,
    reporter: User,
    head: User,
    today: date,
) -> UnitReport:
    report = services.start_report(actor=reporter, unit=unit, period=period)
    report = services.save_report(
        actor=reporter, report=report, version=report.version, sections=_sections(index)
    )
    if fate is Fate.DRAFT:
        return report
    yesterday = today - timedelta(days=1)
    now_moves = {Fate.SUBMITTED_NOW, Fate.RETURNED_BY_HEAD}
    submitted_at = None if fate in now_moves else at(yesterday - timedelta(days=index % 3), 9)
    report = services.submit_report(actor=reporter, report=report, at=submitted_at)
    if fate in (Fate.SUBMITTED, Fate.SUBMITTED_NOW):
        return report
    if fate is Fate.RETURNED_BY_HEAD:
        return services.return_report(actor=head, report=report, comment=RETURN_COMMENTS[fate])
    approved_at = None if fate is Fate.APPROVED_NOW else at(yesterday, 15)
    report = services.approve_report(actor=head, report=report, at=approved_at)
    if fate is Fate.RETURNED_BY_OFFICE:
        comment = RETURN_COMMENTS[fate]
        return services.return_report(actor=people.office, report=report, comment=comment)
    if fate is Fate.RECEIVED:
        return services.receive_report(actor=people.office, report=report, at=at(yesterday, 16))
    return report


def _sections(index: int) -> list[SectionInput]:
    areas = Area.objects.in_bulk(field_name="code")

    def section(kind: str, entry: tuple[str, str]) -> SectionInput:
        return SectionInput(kind=kind, text=entry[1], area=areas.get(entry[0]))

    return [
        section(SectionKind.RESULTS, RESULTS[index % len(RESULTS)]),
        section(SectionKind.RESULTS, RESULTS[(index + 1) % len(RESULTS)]),
        section(SectionKind.DIFFICULTIES, DIFFICULTIES[index % len(DIFFICULTIES)]),
        section(SectionKind.PROPOSALS, PROPOSALS[index % len(PROPOSALS)]),
    ]


def _plan(actor: User, people: _People, units: Sequence[Unit], today: date) -> None:
    """The Steering Committee's plan of ten days ago: a task for every commune and six for
    agencies, due within 30 days; a third of the communes and most agencies have started."""
    issued = today - timedelta(days=10)
    code = f"{today:%Y%m}"
    source, _created = Source.objects.get_or_create(
        code=PLAN_SOURCE.format(code=code),
        defaults={
            "name": f"Kế hoạch triển khai nhiệm vụ trọng tâm tháng {today.month}/{today.year} "
            "của Ban Chỉ đạo tỉnh",
            "number": f"{today.month:02d}-KH/BCĐ",
            "issued_on": issued,
            "issuer": "Ban Chỉ đạo tỉnh Nghệ An",
        },
    )  # a reference list without a service yet, as in demo.tasks
    by_code = {u.code: u for u in units}
    areas = Area.objects.in_bulk(field_name="code")
    suffix, title, lead, area, days = COMMUNE_TASK
    communes = [u for u in units if u.unit_type in COMMUNES]
    task = _task(actor, code, suffix, title, by_code[lead], areas[area], source, today, days,
                 communes)  # fmt: skip
    for number, assignment in enumerate(task.assignments.select_related("unit").order_by("pk")):
        if number % 3 == 0:
            _update(people, assignment, today - timedelta(days=2 + number % 4), 20 + number % 50)
    for suffix, title, lead, area, days, progress in AGENCY_TASKS:
        task = _task(actor, code, suffix, title, by_code[lead], areas[area], source, today, days,
                     [by_code[lead]])  # fmt: skip
        if progress is not None:
            _update(people, task.assignments.get(), today - timedelta(days=3), progress)


def _task(
    actor: User,
    code: str,
    suffix: str,
    title: str,
    lead: Unit,
    area: Area,
    source: Source,
    today: date,
    days: int,
    assignees: Sequence[Unit],
) -> Task:
    return task_services.create_task(
        actor=actor, lead_unit=lead, assignees=assignees, code=f"KH{code}-{suffix}",
        title=title, source=source, area=area, year=today.year,
        start_date=source.issued_on, deadline=today + timedelta(days=days),
    )  # fmt: skip


def _update(people: _People, assignment: Assignment, day: date, progress: int) -> None:
    reporter = people.reporters.get(assignment.unit.code)
    if reporter is None:
        return
    task_services.record_status(
        actor=reporter, assignment=assignment, status=Status.IN_PROGRESS, effective_date=day,
        progress=progress, note=f"Đang triển khai, ước đạt {progress}%.",
    )  # fmt: skip
