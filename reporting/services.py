"""Every write to periods and unit reports. The workflow is a table of explicit moves; a move from
a state it does not start from is refused, and every move is stored as a Transition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import Unit, User
from periods import calendar
from periods.models import Period, PeriodKind
from reporting.jobs import notify_returned
from reporting.models import Attachment, Question, ReportState, Section, Transition, UnitReport
from tasks.models import Area

S = ReportState


class WrongState(ValidationError):
    """The move does not start from the report's current state; nothing was changed."""


class StaleReport(Exception):
    """Someone saved the report after this form was opened; nothing was written."""


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    action: Action
    needs_comment: bool = False
    # The unit's own steps are taken by its own people: nobody submits or approves for it.
    own_unit: bool = False


MOVES = {
    "submit": Move(frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, Action.REPORT, own_unit=True),
    "approve": Move(frozenset({S.SUBMITTED}), S.APPROVED, Action.APPROVE, own_unit=True),
    "return_to_unit": Move(
        frozenset({S.SUBMITTED}), S.RETURNED, Action.APPROVE, needs_comment=True, own_unit=True
    ),
    "receive": Move(frozenset({S.APPROVED}), S.RECEIVED, Action.MANAGE_PROGRAMME),
    "return_from_office": Move(frozenset({S.APPROVED}), S.RETURNED, Action.MANAGE_PROGRAMME, True),
    "reopen": Move(frozenset({S.RECEIVED}), S.RETURNED, Action.MANAGE_PROGRAMME, True),
}


@dataclass(frozen=True)
class SectionInput:
    kind: str
    text: str
    area: Area | None = None
    question: Question | None = None


# --- periods ---------------------------------------------------------------------------------


@transaction.atomic
def create_period(
    *,
    actor: User,
    code: str,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    opens_at: datetime,
    due_at: datetime,
    units: Sequence[Unit],
    questions: Sequence[str] = (),
    closes_at: datetime | None = None,
) -> Period:
    if not access.has_anywhere(actor, Action.MANAGE_PROGRAMME):
        raise PermissionDenied
    for unit in units:
        access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    closed = [u.code for u in units if not u.is_active]
    if closed:
        message = _("Đơn vị đã ngừng hoạt động: %(codes)s.") % {"codes": ", ".join(closed)}
        raise ValidationError({"units": message})
    _check_period(code, kind, starts_on, ends_on, opens_at, due_at)
    if closes_at is not None and closes_at < due_at:
        raise ValidationError({"closes_at": _("Ngày đóng kỳ trước hạn nộp.")})
    period = Period.objects.create(
        code=code, kind=kind, title=title, starts_on=starts_on, ends_on=ends_on,
        opens_at=opens_at, due_at=due_at, closes_at=closes_at,
    )  # fmt: skip
    period.required_units.set(units)
    Question.objects.bulk_create(
        Question(period=period, order=i, text=t) for i, t in enumerate(questions)
    )
    return period


def _check_period(
    code: str, kind: str, starts_on: date, ends_on: date, opens_at: datetime, due_at: datetime
) -> None:
    errors = {}
    if not calendar.is_valid_code(kind, code):
        errors["code"] = _("Mã kỳ “%(code)s” không đúng dạng của loại kỳ.") % {"code": code}
    elif kind != PeriodKind.QUICK and (starts_on, ends_on) != calendar.period_dates(code):
        first, last = (date_format(d, "SHORT_DATE_FORMAT") for d in calendar.period_dates(code))
        message = _("Kỳ “%(code)s” là từ %(first)s đến %(last)s.")
        errors["starts_on"] = message % {"code": code, "first": first, "last": last}
    if Period.objects.filter(code=code).exists():
        errors["code"] = _("Đã có kỳ báo cáo “%(code)s”.") % {"code": code}
    if ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc trước ngày bắt đầu.")
    if due_at < opens_at:
        errors["due_at"] = _("Hạn nộp trước ngày mở nhận báo cáo.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def close_period(*, actor: User, period: Period) -> Period:
    """Stop taking reports and reminders for the period from now on."""
    if not access.has_anywhere(actor, Action.MANAGE_PROGRAMME):
        raise PermissionDenied
    period = Period.objects.select_for_update().get(pk=period.pk)
    now = timezone.now()
    if calendar.is_closed(period, now):
        raise ValidationError(_("Kỳ báo cáo đã đóng."))
    period.closes_at = now
    period.save(update_fields=["closes_at"])
    return period


def _check_own(actor: User, unit: Unit) -> None:
    """A report is written by its unit's own reporters (the standing office reads and receives)."""
    access.authorize(actor, Action.REPORT, unit)
    if actor.unit_id != unit.pk:
        raise PermissionDenied


def _check_open(period: Period) -> None:
    if calendar.is_closed(period, timezone.now()):
        raise ValidationError(_("Kỳ báo cáo đã đóng; không nhận thêm báo cáo."))


# --- reports ---------------------------------------------------------------------------------


@transaction.atomic
def start_report(*, actor: User, unit: Unit, period: Period) -> UnitReport:
    """The unit's report for the period, created as a draft the first time."""
    _check_own(actor, unit)
    _check_open(period)
    if not period.required_units.filter(pk=unit.pk).exists():
        raise ValidationError(_("Đơn vị không phải báo cáo kỳ này."))
    report, _created = UnitReport.objects.get_or_create(unit=unit, period=period)
    return report


@transaction.atomic
def save_report(
    *, actor: User, report: UnitReport, version: int, sections: Sequence[SectionInput]
) -> UnitReport:
    """Replace the report's text. A form opened before someone else's save is refused."""
    report = _editable(actor, report)
    fresh = UnitReport.objects.filter(pk=report.pk, version=version)
    if not fresh.update(version=F("version") + 1):
        raise StaleReport
    report.sections.all().delete()
    Section.objects.bulk_create(
        Section(report=report, kind=s.kind, area=s.area, question=s.question, text=s.text, order=i)
        for i, s in enumerate(sections)
        if s.text.strip()
    )
    return UnitReport.objects.get(pk=report.pk)


def _move(
    actor: User, report: UnitReport, name: str, comment: str = "", at: datetime | None = None
) -> UnitReport:
    """`at` records when a move really happened, for history loaded from earlier records (the
    demo, a migration from spreadsheets); pages never pass it."""
    move = MOVES[name]
    access.authorize(actor, move.action, report.unit)
    if move.own_unit and actor.unit_id != report.unit_id:
        raise PermissionDenied
    report = UnitReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if move.own_unit:
        _check_open(report.period)
    if report.state not in move.sources:
        message = _("Không thể thực hiện khi báo cáo đang ở trạng thái “%(state)s”.")
        raise WrongState(message % {"state": report.get_state_display()})
    if move.needs_comment and not comment.strip():
        raise ValidationError({"comment": _("Phải ghi ý kiến khi trả lại hoặc mở lại báo cáo.")})
    now = at or timezone.now()
    step = Transition.objects.create(
        report=report,
        from_state=report.state,
        to_state=move.target,
        actor=actor,
        comment=comment,
        at=now,
    )
    report.state = move.target
    if move.target == S.SUBMITTED and report.first_submitted_at is None:
        report.first_submitted_at = now
    report.version += 1  # a state change also invalidates open forms
    report.save(update_fields=["state", "first_submitted_at", "version"])
    if move.target == S.RETURNED:
        transaction.on_commit(partial(notify_returned.enqueue, step.pk))
    return report


@transaction.atomic
def submit_report(*, actor: User, report: UnitReport, at: datetime | None = None) -> UnitReport:
    return _move(actor, report, "submit", at=at)


@transaction.atomic
def approve_report(*, actor: User, report: UnitReport, at: datetime | None = None) -> UnitReport:
    return _move(actor, report, "approve", at=at)


@transaction.atomic
def receive_report(*, actor: User, report: UnitReport, at: datetime | None = None) -> UnitReport:
    return _move(actor, report, "receive", at=at)


@transaction.atomic
def return_report(
    *, actor: User, report: UnitReport, comment: str, at: datetime | None = None
) -> UnitReport:
    """Back to the unit with a comment: by its head before approval, by the office after it."""
    # Decided on the stored state (locked for this transaction), not on the caller's copy.
    stored = (
        UnitReport.objects.select_for_update().values_list("state", flat=True).get(pk=report.pk)
    )
    name = "return_to_unit" if stored == S.SUBMITTED else "return_from_office"
    return _move(actor, report, name, comment, at)


@transaction.atomic
def reopen_report(
    *, actor: User, report: UnitReport, comment: str, at: datetime | None = None
) -> UnitReport:
    return _move(actor, report, "reopen", comment, at)


# --- attachments -----------------------------------------------------------------------------


def _editable(actor: User, report: UnitReport) -> UnitReport:
    """The report as stored now (not as the caller last saw it), if the actor may edit it."""
    _check_own(actor, report.unit)
    report = UnitReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    _check_open(report.period)
    if report.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            _("Báo cáo đã nộp; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
        )
    return report


@transaction.atomic
def add_attachment(*, actor: User, report: UnitReport, upload: UploadedFile) -> Attachment:
    """Attach a checked file (type from its content, size limit, generated name)."""
    report = _editable(actor, report)
    try:
        original = checked_upload(upload)
    except forms.ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return Attachment.objects.create(
        report=report, file=upload, original_name=original, size=upload.size or 0,
        uploaded_by=actor,
    )  # fmt: skip


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    _editable(actor, attachment.report)  # checks the report's stored state, not a cached one
    attachment.file.delete(save=False)
    attachment.delete()
