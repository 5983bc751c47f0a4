"""The demo's reporting calendar for 2026, through the same services as the pages: Vietnam's
public holidays for 2025 and 2026, the monthly report form and its schedule (data cut off on the
15th as Decree 09/2019/NĐ-CP sets, due on the 18th, moved past days off), and a quick report
form the standing office can use in a crunch. Nothing already there is changed."""

from __future__ import annotations

from datetime import date

from org.models import UnitType, User
from periods.models import Frequency, PeriodKind
from periods.services import load_public_holidays
from reporting.models import TEXT_KINDS, ReportForm, Schedule
from reporting.schedules import FormInput, ScheduleInput, save_report_form, save_schedule

MONTHLY = FormInput(
    code="BC-THANG",
    name="Báo cáo tháng về Nghị quyết 57",
    kind=PeriodKind.MONTH,
    sections=list(TEXT_KINDS),
    every_element=True,
    elements=[],
)
QUICK = FormInput(
    code="BC-NHANH",
    name="Báo cáo nhanh",
    kind=PeriodKind.QUICK,
    sections=[],
    every_element=False,
    elements=[],
    questions=(
        "Tình hình hạ tầng mạng, dịch vụ công trực tuyến trên địa bàn hiện nay?\n"
        "Khó khăn cần cơ quan thường trực hỗ trợ ngay?"
    ),
)


def load_schedules(actor: User) -> int:
    """Returns how many holidays, forms and schedules were added."""
    added = load_public_holidays(actor=actor, years=[2025, 2026])
    forms = {}
    for data in (MONTHLY, QUICK):
        existing = ReportForm.objects.filter(code=data.code).first()
        forms[data.code] = existing or save_report_form(actor=actor, data=data)
        added += existing is None
    if not Schedule.objects.filter(code="THANG-2026").exists():
        save_schedule(
            actor=actor,
            data=ScheduleInput(
                code="THANG-2026",
                name="Báo cáo tháng năm 2026",
                frequency=Frequency.MONTHLY,
                form=forms[MONTHLY.code],
                starts_on=date(2026, 1, 1),
                cutoff_day=15,
                due_day=18,
                opens_days_before=5,
                unit_types=[
                    UnitType.PARTY_AGENCY, UnitType.DEPARTMENT, UnitType.SECTOR, UnitType.FRONT,
                    UnitType.COMMUNE, UnitType.WARD,
                ],
            ),
        )  # fmt: skip
        added += 1
    return added
