"""Report forms, schedules and the job that creates their periods; quick reports without the
head's approval and their answers as a grid."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from org.models import UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from periods.holidays_vn import PUBLIC_HOLIDAYS
from periods.models import Frequency, Holiday, Period, PeriodKind
from reporting import queries, schedules, services
from reporting.models import PeriodSetup, ReportForm, ReportState, Schedule, SectionKind
from reporting.queries import answer_grid, board, grid_workbook
from reporting.schedules import FormInput, ScheduleInput
from reporting.tests.conftest import answer, element, report_form, schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 10, 2, 9, 0, tzinfo=TZ)  # the test clock


@pytest.fixture
def holidays(db: None) -> None:
    Holiday.objects.bulk_create(
        Holiday(day=day, name=name, kind=kind) for day, name, kind in PUBLIC_HOLIDAYS[2025]
    )


# --- report forms ------------------------------------------------------------------------------


def test_a_form_checks_what_it_asks(people: People) -> None:
    monthly = element(people, "HS_THANG", kind=PeriodKind.MONTH)
    with pytest.raises(ValidationError) as refused:
        report_form(
            people, "bad code", elements=[element(people, "SO_HO")], every_element=False,
            questions="Có thiệt hại không?",
        )  # fmt: skip
    assert refused.value.message_dict == {
        "code": ["Mã chỉ gồm chữ in hoa không dấu, chữ số và dấu “-”."],
        "elements": ["Số liệu báo cáo theo loại kỳ khác: SO_HO."],
        "questions": ["Chỉ báo cáo nhanh mới có câu hỏi."],
    }
    with pytest.raises(ValidationError) as empty:
        report_form(people, sections=[], every_element=False)
    assert "sections" in empty.value.message_dict
    form = report_form(people, every_element=False, elements=[monthly])
    assert list(form.elements.all()) == [monthly]
    assert {h.history_user for h in form.history.all()} == {people.standing}
    with pytest.raises(ValidationError) as taken:
        report_form(people)
    assert taken.value.message_dict == {"code": ["Mã “BC-THANG” đã được dùng."]}
    assert not ReportForm.objects.exclude(pk=form.pk).exists()


@pytest.mark.parametrize("person", ["reporter", "head", "communes_admin", "province_viewer"])
def test_only_the_standing_office_sets_forms_and_schedules(people: People, person: str) -> None:
    form = report_form(people)
    actor = getattr(people, person)
    data = FormInput("X", "X", PeriodKind.MONTH, [SectionKind.RESULTS], True, [])
    with pytest.raises(PermissionDenied):
        schedules.save_report_form(actor=actor, data=data)
    plan = ScheduleInput("X", "X", Frequency.MONTHLY, form, date(2025, 8, 1), due_day=18)
    with pytest.raises(PermissionDenied):
        schedules.save_schedule(actor=actor, data=plan)
    kept = schedule(people, form)
    with pytest.raises(PermissionDenied):
        schedules.set_schedule_active(actor=actor, schedule=kept, active=False)
    assert list(ReportForm.objects.values_list("code", flat=True)) == ["BC-THANG"]
    assert list(Schedule.objects.values_list("code", "active")) == [("THANG", True)]


# --- schedules ---------------------------------------------------------------------------------


def test_a_schedule_checks_its_rhythm(people: People, tree: Tree) -> None:
    monthly = report_form(people)
    quick = report_form(people, "NHANH", kind=PeriodKind.QUICK, sections=[], questions="Có?")
    with pytest.raises(ValidationError) as refused:
        schedule(
            people, quick, due_day=None, cutoff_day=30, ends_on=date(2025, 7, 1), unit_types=[]
        )
    assert refused.value.message_dict == {
        "form": ["Mẫu báo cáo dành cho loại kỳ khác với tần suất này."],
        "cutoff_day": ["Ngày chốt số liệu từ 1 đến 28 (1: theo tháng dương lịch)."],
        "due_day": ["Chọn một cách tính hạn nộp: ngày trong tháng, hoặc số ngày làm việc."],
        "ends_on": ["Ngày kết thúc trước ngày bắt đầu."],
        "unit_types": ["Chưa chọn đơn vị nào phải báo cáo."],
    }
    first = schedule(people, monthly)
    with pytest.raises(ValidationError) as twice:
        schedule(people, monthly, code="THANG-2")
    assert twice.value.message_dict == {
        "frequency": ["Đã có lịch “Lịch THANG” cùng tần suất đang áp dụng."]
    }
    schedules.set_schedule_active(actor=people.standing, schedule=first, active=False)
    second = schedule(people, monthly, code="THANG-2")
    with pytest.raises(ValidationError):  # two monthly schedules would make the same periods
        schedules.set_schedule_active(actor=people.standing, schedule=first, active=True)
    assert second.active and not Schedule.objects.get(pk=first.pk).active
    # a quick schedule has no cut-off and no due day, whatever was typed
    storm = schedule(
        people, quick, code="BAO", frequency=Frequency.DAILY, due_time=time(16), cutoff_day=15
    )
    assert (storm.cutoff_day, storm.due_day, storm.due_working_days) == (1, None, None)


def test_the_job_creates_each_period_once_with_its_dates_units_and_form(
    people: People, tree: Tree, holidays: None, django_assert_max_num_queries
) -> None:
    form = report_form(people)
    closed = make_unit(tree.communes, "16700", UnitType.COMMUNE, active_to=date(2025, 6, 30))
    monthly = schedule(people, form, due_day=None, due_working_days=3, closes_days_after=10)
    created = schedules.create_due_periods(now=NOW)
    # Data from the 15th of the month before to the 14th: August, September, October begun.
    assert [p.code for p in created] == ["2025-08", "2025-09", "2025-10"]
    september = Period.objects.get(code="2025-09")
    assert (september.starts_on, september.ends_on) == (date(2025, 8, 15), date(2025, 9, 14))
    assert september.title == "Tháng 9/2025"
    # three working days after Sunday 14 September: 15, 16, 17
    assert september.due_at == datetime(2025, 9, 17, 17, tzinfo=TZ)
    assert september.opens_at == datetime(2025, 9, 12, tzinfo=TZ)
    assert september.closes_at == datetime(2025, 9, 27, 17, tzinfo=TZ)
    assert set(september.required_units.all()) == {tree.commune, tree.other_commune}
    assert closed not in september.required_units.all()
    assert PeriodSetup.objects.get(period=september).form == form
    assert september.setup.schedule == monthly
    # schedules, their blocs and units, the year's holidays, the existing codes
    with django_assert_max_num_queries(5):
        assert schedules.create_due_periods(now=NOW) == []
    assert Period.objects.count() == 3


def test_the_job_leaves_a_period_made_by_hand_and_catches_up(people: People, tree: Tree) -> None:
    made = services.create_period(
        actor=people.standing, code="2025-09", kind=PeriodKind.MONTH, title="Tháng 9 (tay)",
        starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 30),
        opens_at=NOW, due_at=NOW + timedelta(days=1), units=[tree.commune],
    )  # fmt: skip
    schedule(people, report_form(people), cutoff_day=1, due_day=25)
    created = schedules.create_due_periods(now=NOW)
    assert [p.code for p in created] == ["2025-08", "2025-10"]
    assert Period.objects.get(code="2025-09") == made and made.title == "Tháng 9 (tay)"
    later = NOW + timedelta(days=70)  # a month missed: both caught up
    assert [p.code for p in schedules.create_due_periods(now=later)] == ["2025-11", "2025-12"]


def test_the_job_skips_a_period_another_run_just_made(people: People, tree: Tree) -> None:
    monthly = schedule(people, report_form(people), cutoff_day=1, due_day=25)
    plan = schedules.planned(monthly, NOW)[0]
    schedules.new_period(plan, units=[], questions=[])  # the other run's
    assert schedules._create(monthly, plan) is None
    assert Period.objects.filter(code=plan.code).count() == 1


def test_a_stopped_or_ended_schedule_creates_nothing(people: People, tree: Tree) -> None:
    form = report_form(people)
    stopped = schedule(people, form, cutoff_day=1, due_day=25, ends_on=date(2025, 8, 31))
    assert [p.code for p in schedules.create_due_periods(now=NOW)] == ["2025-08"]
    schedules.set_schedule_active(actor=people.standing, schedule=stopped, active=False)
    assert schedules.create_due_periods(now=NOW + timedelta(days=60)) == []


def test_create_periods_command(people: People, tree: Tree) -> None:
    schedule(people, report_form(people), cutoff_day=1, due_day=25)
    out = io.StringIO()
    call_command("create_periods", "--now", stdout=out)
    assert out.getvalue().strip() == "Periods created: 3. (2025-08, 2025-09, 2025-10)"
    call_command("create_periods", "--now", stdout=out)
    assert out.getvalue().strip().endswith("Periods created: 0.")
    call_command("create_periods", stdout=out)  # queued; the test backend runs it at once
    assert "Period job queued" in out.getvalue()


def test_upcoming_shows_the_next_periods_not_yet_made(people: People, tree: Tree) -> None:
    monthly = schedule(people, report_form(people), cutoff_day=1, due_day=25)
    schedules.create_due_periods(now=NOW)
    assert [p.code for p in schedules.upcoming(monthly, NOW)] == [
        "2025-11", "2025-12", "2026-01", "2026-02",
    ]  # fmt: skip


# --- what a period asks: its form on the report page ------------------------------------------


def test_the_report_page_asks_what_the_form_asks(people: People, tree: Tree) -> None:
    asked = element(people, "HS_TONG", kind=PeriodKind.MONTH)
    element(people, "HS_KHAC", kind=PeriodKind.MONTH)
    form = report_form(people, sections=[SectionKind.DIFFICULTIES], every_element=False,
                       elements=[asked])  # fmt: skip
    schedule(people, form, cutoff_day=1, due_day=25)
    (august, *_rest) = schedules.create_due_periods(now=NOW)
    elements, _stored = queries.figure_elements(tree.commune, august)
    assert [e.code for e in elements] == ["HS_TONG"]
    assert queries.asked_kinds(august) == [SectionKind.DIFFICULTIES]
    plain = services.create_period(
        actor=people.standing, code="2025-07", kind=PeriodKind.MONTH, title="Tháng 7/2025",
        starts_on=date(2025, 7, 1), ends_on=date(2025, 7, 31),
        opens_at=NOW, due_at=NOW + timedelta(days=1), units=[tree.commune],
    )  # fmt: skip
    assert [e.code for e in queries.figure_elements(tree.commune, plain)[0]] == [
        "HS_KHAC", "HS_TONG",
    ]  # fmt: skip
    assert queries.asked_kinds(plain) == [
        SectionKind.RESULTS, SectionKind.DIFFICULTIES, SectionKind.PROPOSALS,
    ]  # fmt: skip


def test_a_form_of_another_kind_is_refused_for_a_period(people: People, tree: Tree) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_period(
            actor=people.standing, code="2025-Q3", kind=PeriodKind.QUARTER, title="Quý",
            starts_on=date(2025, 7, 1), ends_on=date(2025, 9, 30), opens_at=NOW,
            due_at=NOW + timedelta(days=1), units=[tree.commune], form=report_form(people),
        )  # fmt: skip
    assert refused.value.message_dict == {"form": ["Mẫu báo cáo dành cho loại kỳ khác."]}
    assert not Period.objects.exists()


def test_a_period_dated_by_its_cutoff_is_accepted_by_hand(people: People, tree: Tree) -> None:
    period = services.create_period(
        actor=people.standing, code="2025-09", kind=PeriodKind.MONTH, title="Tháng 9/2025",
        starts_on=date(2025, 8, 15), ends_on=date(2025, 9, 14),
        opens_at=NOW, due_at=NOW + timedelta(days=1), units=[tree.commune],
    )  # fmt: skip
    assert period.starts_on == date(2025, 8, 15)


# --- quick reports -----------------------------------------------------------------------------


def test_a_quick_report_goes_to_the_office_without_the_head(
    people: People, tree: Tree, storm: Period
) -> None:
    report = answer(people.reporter, storm, tree.commune, 12, "Sập 12 nhà", "Lương thực")
    sent = services.submit_report(actor=people.reporter, report=report)
    assert sent.state == ReportState.RECEIVED and sent.first_submitted_at is not None
    assert [(t.from_state, t.to_state) for t in sent.transitions.all()] == [
        (ReportState.DRAFT, ReportState.RECEIVED)
    ]
    with pytest.raises(services.WrongState):  # nothing for the head to approve
        services.approve_report(actor=people.head, report=sent)
    reopened = services.reopen_report(actor=people.standing, report=sent, comment="Bổ sung số hộ")
    assert reopened.state == ReportState.RETURNED


def test_the_grid_shows_answers_totals_and_who_has_not_answered(
    people: People, tree: Tree, storm: Period, django_assert_max_num_queries
) -> None:
    sent = answer(people.reporter, storm, tree.commune, 12, "Sập 12 nhà", "Lương thực")
    services.submit_report(actor=people.reporter, report=sent)
    draft = answer(people.other_reporter, storm, tree.other_commune, 5, "Chưa rõ", "")
    rows = board(storm)
    with django_assert_max_num_queries(4):
        grid = answer_grid(storm, rows)
    assert [q.text for q in grid.questions] == ["Thiệt hại chính?", "Cần hỗ trợ gì?"]
    assert [e.code for e in grid.elements] == ["SO_HO"]  # the form's, not every quick element
    commune, other = grid.rows
    assert (commune.answered, commune.answers, commune.values) == (
        True, ["Sập 12 nhà", "Lương thực"], [Decimal(12)],
    )  # fmt: skip
    # a draft is not an answer yet: nothing of it is shown or counted
    assert (other.answered, other.answers, other.values) == (False, ["", ""], [None])
    assert grid.totals == [Decimal(12)] and grid.answer_counts == [1, 1]
    assert grid.missing == [tree.other_commune] and grid.answered == 1
    services.submit_report(actor=people.other_reporter, report=draft)
    grid = answer_grid(storm, board(storm))
    assert grid.totals == [Decimal(17)] and grid.missing == [] and grid.answer_counts == [2, 1]
    sheet = load_workbook(io.BytesIO(grid_workbook(storm, grid))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == ("Mã đơn vị", "Đơn vị", "Trạng thái", "Thiệt hại chính?", "Cần hỗ trợ gì?",
                        "Tên SO_HO")  # fmt: skip
    assert lines[1][:1] == ("16681",) and lines[1][3:] == ("Sập 12 nhà", "Lương thực", 12)
    assert lines[-1] == (None, "Toàn tỉnh", "Đã trả lời 2/2 đơn vị", 2, 1, 17)
