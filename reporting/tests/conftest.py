"""Shared fixtures of the reporting tests: the small province, and a quick report (a daily storm
report made by its schedule) with helpers to set up forms and schedules."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators import services as indicator_services
from indicators.models import DataElement, ValueType
from org.models import UnitType
from org.tests.conftest import People, Tree, people, tree  # noqa: F401  (shared fixtures)
from periods.models import Frequency, Period, PeriodKind
from reporting import schedules, services
from reporting.models import ReportForm, Schedule, SectionKind, UnitReport
from reporting.schedules import FormInput, ScheduleInput
from reporting.services import SectionInput

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNES = [UnitType.COMMUNE, UnitType.WARD]


def element(office: People, code: str, kind: str = PeriodKind.QUICK, **more) -> DataElement:
    return indicator_services.create_element(
        actor=office.standing, code=code, name=f"Tên {code}", value_type=ValueType.COUNT,
        period_kind=kind, unit_types=COMMUNES, **more,
    )  # fmt: skip


def report_form(office: People, code: str = "BC-THANG", **fields) -> ReportForm:
    values = {
        "code": code, "name": f"Mẫu {code}", "kind": PeriodKind.MONTH,
        "sections": [SectionKind.RESULTS, SectionKind.DIFFICULTIES], "every_element": True,
        "elements": [],
    } | fields  # fmt: skip
    return schedules.save_report_form(actor=office.standing, data=FormInput(**values))


def schedule(office: People, form: ReportForm, code: str = "THANG", **fields) -> Schedule:
    values = {
        "code": code, "name": f"Lịch {code}", "frequency": Frequency.MONTHLY, "form": form,
        "starts_on": date(2025, 8, 1), "cutoff_day": 15, "due_day": 18,
        "unit_types": COMMUNES,
    } | fields  # fmt: skip
    return schedules.save_schedule(actor=office.standing, data=ScheduleInput(**values))


@pytest.fixture
def storm(people: People, tree: Tree) -> Period:  # noqa: F811
    houses = element(people, "SO_HO")
    element(people, "SO_NGUOI")
    form = report_form(
        people, "BAO", kind=PeriodKind.QUICK, sections=[], every_element=False,
        elements=[houses], questions="Thiệt hại chính?\nCần hỗ trợ gì?",
    )  # fmt: skip
    schedule(
        people, form, code="BAO-10", frequency=Frequency.DAILY, due_time=time(16),
        starts_on=date(2025, 10, 1), unit_types=COMMUNES,
    )  # fmt: skip
    with time_machine.travel(datetime(2025, 10, 2, 0, 5, tzinfo=TZ), tick=False):
        created = schedules.create_due_periods(now=datetime(2025, 10, 2, 0, 5, tzinfo=TZ))
    assert [p.code for p in created] == ["BAO-10-20251002", "BAO-10-20251003"]
    return created[0]


def answer(unit_reporter, period: Period, unit, houses: int, *texts: str) -> UnitReport:
    report = services.start_report(actor=unit_reporter, unit=unit, period=period)
    questions = list(period.questions.all())
    services.save_report(
        actor=unit_reporter, report=report, version=report.version,
        sections=[
            SectionInput(SectionKind.ANSWER, t, question=q)
            for q, t in zip(questions, texts, strict=True)
        ],
    )  # fmt: skip
    services.record_report_figures(
        actor=unit_reporter, report=report, values={"SO_HO": Decimal(houses)}
    )
    return report
