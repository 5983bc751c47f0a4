"""Report forms and recurring schedules: what a period asks, and the periodic job that creates a
schedule's periods (`manage.py create_periods`, hourly).

The job is idempotent: it creates each period a schedule asks for by now (periods.calendar
.planned_periods) whose code does not exist yet, each in its own transaction; a run that meets
a period created meanwhile by another run (the code is unique) skips it. A missed run is caught
up by the next; a period the standing office created by hand under the same code is left as it
is. The units a period asks are those of the schedule's choice in activity at the end of the
period's data (periods.queries.units_asked); a later merge or split is applied to the periods
still running by reporting.receivers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import DataElement
from org import access
from org.access import Action
from org.models import REPORTING_TYPES, Unit, User
from periods import calendar
from periods.calendar import FREQUENCY_KIND, MAX_CUTOFF_DAY, PlannedPeriod
from periods.models import Period, PeriodKind
from periods.queries import units_asked
from reporting.models import TEXT_KINDS, PeriodSetup, Question, ReportForm, Schedule

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]*")
MAX_OPEN_DAYS = 60
MAX_DUE_WORKING_DAYS = 60
MAX_DUE_MONTH_OFFSET = 3


def _check_code(code: str, model: type[ReportForm | Schedule], pk: int | None) -> dict[str, str]:
    if not CODE.fullmatch(code):
        return {"code": _("Mã chỉ gồm chữ in hoa không dấu, chữ số và dấu “-”.")}
    taken = model.objects.filter(code=code)
    if (taken.exclude(pk=pk) if pk is not None else taken).exists():
        return {"code": _("Mã “%(code)s” đã được dùng.") % {"code": code}}
    return {}


def _save(actor: User, row: ReportForm | Schedule) -> None:
    row._history_user = actor  # type: ignore[union-attr]
    row.save()


# --- report forms ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormInput:
    code: str
    name: str
    kind: str
    sections: Sequence[str]
    every_element: bool
    elements: Sequence[DataElement]
    questions: str = ""


@transaction.atomic
def save_report_form(*, actor: User, data: FormInput, form: ReportForm | None = None) -> ReportForm:
    """Create (no `form`) or change a report form. A changed form asks its new parts from then
    on; the periods already created keep their own questions (copied when they were created)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    form = form or ReportForm()
    errors = _check_code(data.code, ReportForm, form.pk)
    wrong_kind = [e.code for e in data.elements if e.period_kind != data.kind]
    if wrong_kind:
        errors["elements"] = _("Số liệu báo cáo theo loại kỳ khác: %(codes)s.") % {
            "codes": ", ".join(wrong_kind)
        }
    questions = [line.strip() for line in data.questions.splitlines() if line.strip()]
    if questions and data.kind != PeriodKind.QUICK:
        errors["questions"] = _("Chỉ báo cáo nhanh mới có câu hỏi.")
    sections = [kind for kind in TEXT_KINDS if kind in data.sections]
    if not (sections or questions or data.every_element or data.elements):
        errors["sections"] = _("Mẫu báo cáo chưa hỏi gì: chọn phần nội dung, số liệu hoặc câu hỏi.")
    if errors:
        raise ValidationError(errors)
    form.code, form.name, form.kind = data.code, data.name.strip(), data.kind
    form.sections = [str(kind) for kind in sections]
    form.every_element = data.every_element
    form.questions = "\n".join(questions)
    _save(actor, form)
    form.elements.set([] if data.every_element else data.elements)
    return form


# --- schedules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleInput:
    code: str
    name: str
    frequency: str
    form: ReportForm
    starts_on: date
    ends_on: date | None = None
    cutoff_day: int = 1
    due_day: int | None = None
    due_month_offset: int = 0
    due_working_days: int | None = None
    due_time: time = time(17)
    opens_days_before: int = 5
    closes_days_after: int | None = None
    unit_types: Sequence[str] = ()
    blocs: Sequence[Unit] = ()
    units: Sequence[Unit] = ()


def _schedule_errors(data: ScheduleInput, pk: int | None) -> dict[str, str]:
    errors = _check_code(data.code, Schedule, pk)
    kind = FREQUENCY_KIND[data.frequency]
    if data.form.kind != kind:
        errors["form"] = _("Mẫu báo cáo dành cho loại kỳ khác với tần suất này.")
    if kind != PeriodKind.QUICK:
        if not 1 <= data.cutoff_day <= MAX_CUTOFF_DAY:
            errors["cutoff_day"] = _("Ngày chốt số liệu từ 1 đến 28 (1: theo tháng dương lịch).")
        errors |= _due_errors(data)
        same = Schedule.objects.filter(frequency=data.frequency, active=True)
        same = same.exclude(pk=pk) if pk is not None else same
        if same.exists():
            errors["frequency"] = _("Đã có lịch “%(name)s” cùng tần suất đang áp dụng.") % {
                "name": same.first()
            }
    if not 0 <= data.opens_days_before <= MAX_OPEN_DAYS:
        errors["opens_days_before"] = _("Mở nhận báo cáo trước hạn từ 0 đến 60 ngày.")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if not (data.unit_types or data.blocs or data.units):
        errors["unit_types"] = _("Chưa chọn đơn vị nào phải báo cáo.")
    if set(data.unit_types) - REPORTING_TYPES:
        errors["unit_types"] = _("Loại đơn vị không báo cáo.")
    return errors


def _due_errors(data: ScheduleInput) -> dict[str, str]:
    if (data.due_day is None) == (data.due_working_days is None):
        return {
            "due_day": _("Chọn một cách tính hạn nộp: ngày trong tháng, hoặc số ngày làm việc.")
        }
    if data.due_day is not None and not 1 <= data.due_day <= 31:
        return {"due_day": _("Ngày trong tháng từ 1 đến 31.")}
    if data.due_working_days is not None and not 1 <= data.due_working_days <= MAX_DUE_WORKING_DAYS:
        return {"due_working_days": _("Số ngày làm việc từ 1 đến 60.")}
    if not 0 <= data.due_month_offset <= MAX_DUE_MONTH_OFFSET:
        return {"due_month_offset": _("Tháng của hạn nộp: từ 0 đến 3 tháng sau ngày chốt.")}
    return {}


@transaction.atomic
def save_schedule(
    *, actor: User, data: ScheduleInput, schedule: Schedule | None = None
) -> Schedule:
    """Create (no `schedule`) or change a recurring schedule. A change applies to the periods
    created from then on; those already created keep their dates and units."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    for unit in [*data.blocs, *data.units]:
        access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    schedule = schedule or Schedule()
    errors = _schedule_errors(data, schedule.pk)
    if errors:
        raise ValidationError(errors)
    quick = FREQUENCY_KIND[data.frequency] == PeriodKind.QUICK
    fields = {
        "code": data.code,
        "name": data.name.strip(),
        "frequency": data.frequency,
        "form": data.form,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        # A quick report's slot is its own day or hour: no cut-off, no due day.
        "cutoff_day": 1 if quick else data.cutoff_day,
        "due_day": None if quick else data.due_day,
        "due_month_offset": 0 if quick else data.due_month_offset,
        "due_working_days": None if quick else data.due_working_days,
        "due_time": data.due_time,
        "opens_days_before": data.opens_days_before,
        "closes_days_after": data.closes_days_after,
        "unit_types": sorted(data.unit_types),
    }
    for name, value in fields.items():
        setattr(schedule, name, value)
    _save(actor, schedule)
    schedule.blocs.set(data.blocs)
    schedule.units.set(data.units)
    return schedule


@transaction.atomic
def set_schedule_active(*, actor: User, schedule: Schedule, active: bool) -> Schedule:
    """Stop (or resume) a schedule: no period is created while it is stopped; those created stay."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    if active:
        errors = _schedule_errors(_input_of(schedule), schedule.pk)
        if "frequency" in errors:
            raise ValidationError(errors["frequency"])
    schedule.active = active
    _save(actor, schedule)
    return schedule


def _input_of(schedule: Schedule) -> ScheduleInput:
    return ScheduleInput(
        code=schedule.code,
        name=schedule.name,
        frequency=schedule.frequency,
        form=schedule.form,
        starts_on=schedule.starts_on,
        ends_on=schedule.ends_on,
        cutoff_day=schedule.cutoff_day,
        due_day=schedule.due_day,
        due_month_offset=schedule.due_month_offset,
        due_working_days=schedule.due_working_days,
        due_time=schedule.due_time,
        opens_days_before=schedule.opens_days_before,
        closes_days_after=schedule.closes_days_after,
        unit_types=schedule.unit_types,
        blocs=list(schedule.blocs.all()),
        units=list(schedule.units.all()),
    )


# --- the periodic job --------------------------------------------------------------------------


def planned(schedule: Schedule, now: datetime) -> list[PlannedPeriod]:
    """The periods the schedule asks for by `now` (created or not)."""
    return calendar.planned_periods(
        schedule.cadence, first_day=schedule.starts_on, last_day=schedule.ends_on, now=now
    )


def new_period(
    plan: calendar.PlannedPeriod,
    *,
    units: Iterable[Unit],
    questions: Sequence[str],
    form: ReportForm | None = None,
    schedule: Schedule | None = None,
) -> Period:
    """Write a checked period: its required units, its questions, its setup (form, schedule).
    Called by reporting.services.create_period and by the job below."""
    period = Period.objects.create(
        code=plan.code, kind=plan.kind, title=plan.title, starts_on=plan.starts_on,
        ends_on=plan.ends_on, opens_at=plan.opens_at, due_at=plan.due_at, closes_at=plan.closes_at,
    )  # fmt: skip
    period.required_units.set(units)
    Question.objects.bulk_create(
        Question(period=period, order=i, text=t) for i, t in enumerate(questions)
    )
    if form is not None or schedule is not None:
        PeriodSetup.objects.create(period=period, form=form, schedule=schedule)
    return period


PREVIEW_HORIZON = timedelta(days=400)


def upcoming(schedule: Schedule, now: datetime, count: int = 4) -> list[PlannedPeriod]:
    """The next periods the schedule will create (not created yet), with their dates: what the
    schedule's page shows so the office can check the cut-off and the deadlines."""
    first = max(schedule.starts_on, timezone.localdate(now))
    later = now if schedule.kind == PeriodKind.QUICK else now + PREVIEW_HORIZON
    plans = calendar.planned_periods(
        schedule.cadence, first_day=first, last_day=schedule.ends_on, now=later
    )
    existing = set(
        Period.objects.filter(code__in=[p.code for p in plans]).values_list("code", flat=True)
    )
    return [p for p in plans if p.code not in existing][:count]


def create_due_periods(*, now: datetime) -> list[Period]:
    """Create the periods every active schedule asks for by `now` that do not exist yet;
    returns those created (see the module for why running it again creates nothing)."""
    created: list[Period] = []
    schedules = Schedule.objects.filter(active=True).select_related("form")
    for schedule in schedules.prefetch_related("blocs", "units"):
        plans = planned(schedule, now)
        existing = set(
            Period.objects.filter(code__in=[p.code for p in plans]).values_list("code", flat=True)
        )
        for plan in plans:
            if plan.code not in existing and (period := _create(schedule, plan)) is not None:
                created.append(period)
    return created


def _create(schedule: Schedule, plan: PlannedPeriod) -> Period | None:
    units = units_asked(
        unit_types=schedule.unit_types,
        blocs=schedule.blocs.all(),
        units=schedule.units.all(),
        on=plan.ends_on,
    )
    try:
        with transaction.atomic():
            return new_period(
                plan,
                units=units,
                questions=schedule.form.question_list,
                form=schedule.form,
                schedule=schedule,
            )
    except IntegrityError:  # another run created it meanwhile
        return None
