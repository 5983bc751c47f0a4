"""Every write to periods and unit reports, and to the figures a unit reports for a period. The
workflow is a table of explicit moves; a move from a state it does not start from is refused, and
every move is stored as a Transition.

Figures are locked with the report: whoever writes a unit's figures for a period (the report page,
the XLSX import, any later API) goes through `check_figures_editable`, which asks periods.seals,
the one rule (task statuses ask it too). Each move keeps the unit's Seal for the period: on once
the report leaves the unit, off once it is returned or reopened."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import imports as figure_imports
from indicators import services as indicator_services
from indicators.models import DataValue
from indicators.validation import Violation
from nq57 import limits
from nq57.uploads import checked_upload
from org import access
from org.access import Action
from org.models import Unit, User
from periods import calendar, seals
from periods.models import Period, PeriodKind
from reporting.jobs import notify_step
from reporting.models import (
    EDITABLE_STATES,
    Attachment,
    Question,
    ReportForm,
    ReportState,
    Section,
    Transition,
    UnitReport,
)
from reporting.schedules import new_period
from tasks.models import Area


class WrongState(ValidationError):
    """The move does not start from the report's current state; nothing was changed."""


class StaleReport(Exception):
    """Someone saved the report after this form was opened; nothing was written."""


class StaleFigures(ValidationError):
    """Figures changed by someone else since the form was opened, which this save would have
    overwritten without knowing; nothing was written. `current`: element code → stored value."""

    def __init__(self, current: Mapping[str, Decimal | None]) -> None:
        super().__init__(_("Số liệu vừa được người khác lưu."))
        self.current = dict(current)


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    action: Action
    needs_comment: bool = False
    # The unit's own steps are taken by its own people: nobody submits or approves for it.
    own_unit: bool = False
    # Where the move goes for a quick report, when elsewhere: a quick report needs no approval
    # by the unit's head, its answer goes straight to the standing office.
    quick_target: str | None = None

    def target_for(self, period: Period) -> str:
        if self.quick_target is not None and period.kind == PeriodKind.QUICK:
            return self.quick_target
        return self.target


MOVES = {
    "submit": Move(
        EDITABLE_STATES,
        ReportState.SUBMITTED,
        Action.REPORT,
        own_unit=True,
        quick_target=ReportState.RECEIVED,
    ),
    "approve": Move(
        frozenset({ReportState.SUBMITTED}), ReportState.APPROVED, Action.APPROVE, own_unit=True
    ),
    "return_to_unit": Move(
        frozenset({ReportState.SUBMITTED}),
        ReportState.RETURNED,
        Action.APPROVE,
        needs_comment=True,
        own_unit=True,
    ),
    "receive": Move(
        frozenset({ReportState.APPROVED}), ReportState.RECEIVED, Action.MANAGE_PROGRAMME
    ),
    "return_from_office": Move(
        frozenset({ReportState.APPROVED}), ReportState.RETURNED, Action.MANAGE_PROGRAMME, True
    ),
    "reopen": Move(
        frozenset({ReportState.RECEIVED}), ReportState.RETURNED, Action.MANAGE_PROGRAMME, True
    ),
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
    form: ReportForm | None = None,
) -> Period:
    """A period by hand. Its dates are its code's, calendar or from a data cut-off day; with a
    form, it asks what the form asks (its questions when none are given)."""
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    for unit in units:
        access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    closed = [u.code for u in units if not u.is_active]
    if closed:
        message = _("Đơn vị đã ngừng hoạt động: %(codes)s.") % {"codes": ", ".join(closed)}
        raise ValidationError({"units": message})
    _check_period(code, kind, starts_on, ends_on, opens_at, due_at)
    if closes_at is not None and closes_at < due_at:
        raise ValidationError({"closes_at": _("Ngày đóng kỳ trước hạn nộp.")})
    if form is not None and form.kind != kind:
        raise ValidationError({"form": _("Mẫu báo cáo dành cho loại kỳ khác.")})
    plan = calendar.PlannedPeriod(
        code, kind, title, starts_on, ends_on, opens_at, due_at, closes_at
    )
    questions = list(questions) or (form.question_list if form is not None else [])
    return new_period(plan, units=units, questions=questions, form=form)


def _check_period(
    code: str, kind: str, starts_on: date, ends_on: date, opens_at: datetime, due_at: datetime
) -> None:
    errors = {}
    if not calendar.is_valid_code(kind, code):
        errors["code"] = _("Mã kỳ “%(code)s” không đúng dạng của loại kỳ.") % {"code": code}
    elif kind != PeriodKind.QUICK and not calendar.dates_match(code, starts_on, ends_on):
        first, last = (date_format(d, "SHORT_DATE_FORMAT") for d in calendar.period_dates(code))
        message = _(
            "Kỳ “%(code)s” là từ %(first)s đến %(last)s, hoặc lùi theo ngày chốt số liệu "
            "(ví dụ từ ngày 15 tháng trước đến ngày 14)."
        )
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
    access.authorize_everywhere(actor, Action.MANAGE_PROGRAMME)
    period = Period.objects.select_for_update().get(pk=period.pk)
    now = timezone.now()
    if calendar.is_closed(period, now):
        raise ValidationError(_("Kỳ báo cáo đã đóng."))
    period.closes_at = now
    period.save(update_fields=["closes_at"])
    return period


def _check_open(period: Period) -> None:
    if calendar.is_closed(period, timezone.now()):
        raise ValidationError(_("Kỳ báo cáo đã đóng; không nhận thêm báo cáo."))


# --- reports ---------------------------------------------------------------------------------


@transaction.atomic
def start_report(*, actor: User, unit: Unit, period: Period) -> UnitReport:
    """The unit's report for the period, created as a draft the first time."""
    access.authorize_own(actor, Action.REPORT, unit)
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
    limits.check_lengths(
        **{f"section_{i}": (s.text, limits.TEXT_MAX) for i, s in enumerate(sections)}
    )
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
    demo, a migration from spreadsheets); pages never pass it. A move made now tells who acts
    next, or the unit, once committed (reporting.jobs.notify_step)."""
    move = MOVES[name]
    limits.check_lengths(comment=(comment, limits.TEXT_MAX))
    authorize = access.authorize_own if move.own_unit else access.authorize
    authorize(actor, move.action, report.unit)
    report = UnitReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if move.own_unit:
        _check_open(report.period)
    if report.state not in move.sources:
        message = _("Không thể thực hiện khi báo cáo đang ở trạng thái “%(state)s”.")
        raise WrongState(message % {"state": report.get_state_display()})
    if move.needs_comment and not comment.strip():
        raise ValidationError({"comment": _("Phải ghi ý kiến khi trả lại hoặc mở lại báo cáo.")})
    now = at or timezone.now()
    target = move.target_for(report.period)
    step = Transition.objects.create(
        report=report,
        from_state=report.state,
        to_state=target,
        actor=actor,
        comment=comment,
        at=now,
    )
    report.state = target
    if name == "submit" and report.first_submitted_at is None:
        report.first_submitted_at = now
    report.version += 1  # a state change also invalidates open forms
    report.save(update_fields=["state", "first_submitted_at", "version"])
    # The seal follows the report: on while it is out of the unit's hands, off once it is back.
    if target in EDITABLE_STATES:
        seals.unseal(report.unit, report.period)
    else:
        seals.seal(report.unit, report.period, since=now)
    if at is None:  # history recorded after the fact tells no one now
        transaction.on_commit(partial(notify_step.enqueue, step.pk))
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
    name = "return_to_unit" if stored == ReportState.SUBMITTED else "return_from_office"
    return _move(actor, report, name, comment, at)


@transaction.atomic
def reopen_report(
    *, actor: User, report: UnitReport, comment: str, at: datetime | None = None
) -> UnitReport:
    return _move(actor, report, "reopen", comment, at)


# --- attachments -----------------------------------------------------------------------------


def _editable(actor: User, report: UnitReport) -> UnitReport:
    """The report as stored now (not as the caller last saw it), if the actor may edit it."""
    access.authorize_own(actor, Action.REPORT, report.unit)
    report = UnitReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    _check_open(report.period)
    if report.state not in EDITABLE_STATES:
        raise ValidationError(
            _("Báo cáo đã nộp; chỉ sửa được khi còn là bản nháp hoặc bị trả lại.")
        )
    return report


def may_start(user: User, unit: Unit, period: Period) -> bool:
    """Whether the page offers to start the unit's report (`start_report` decides again): the
    unit's own reporter, while the period takes reports."""
    return access.can_own(user, Action.REPORT, unit) and not calendar.is_closed(
        period, timezone.now()
    )


def report_editable(user: User, report: UnitReport) -> bool:
    """Whether the page offers the report's own forms (text, files, task updates) to the user:
    what `_editable` lets through — the unit's own reporter, a draft or returned report, an open
    period. For showing forms, never instead of the check; the standing office reads a unit's
    report, it does not write it."""
    return (
        access.can_own(user, Action.REPORT, report.unit)
        and report.state in EDITABLE_STATES
        and not calendar.is_closed(report.period, timezone.now())
    )


def may_move(user: User, report: UnitReport, name: str) -> bool:
    """Whether the page offers the move `name` (`_move` decides again): the report is in one of
    its source states and the user may take it (its own unit's people for the unit's steps,
    while the period is open)."""
    move = MOVES[name]
    if report.state not in move.sources:
        return False
    if not move.own_unit:
        return access.can(user, move.action, report.unit)
    return access.can_own(user, move.action, report.unit) and not calendar.is_closed(
        report.period, timezone.now()
    )


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
    attachment.delete()
    # The file goes only once the row's deletion is committed: a rollback keeps both.
    transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))


# --- figures -----------------------------------------------------------------------------------

FIGURES_LOCKED = gettext_lazy(
    "Chỉ nhập được số liệu khi báo cáo là bản nháp hoặc bị trả lại và kỳ chưa đóng."
)


def _figures_locked(unit: Unit, period: Period, *, for_update: bool = False) -> bool:
    """Whether the unit's figures for the period are sealed (periods.seals: the period is closed,
    or the unit's report for it has left the unit). A report not started yet locks nothing.
    `for_update` holds the report row for the rest of the transaction, so that it cannot be
    submitted while the figures are being written."""
    if for_update:
        list(UnitReport.objects.select_for_update().filter(unit=unit, period=period).values("pk"))
    return seals.figures_sealed(unit, period)


def figures_editable(user: User, unit: Unit, period: Period) -> bool:
    """Whether the user may write the unit's figures for the period now (see
    `check_figures_editable`): for showing a form, never instead of the check."""
    return access.can(user, Action.REPORT, unit) and not _figures_locked(unit, period)


def check_figures_editable(actor: User, unit: Unit, period: Period) -> None:
    """The one rule for writing a unit's figures for a period, whoever calls: the actor reports
    on the unit (404/403 otherwise), the period is not closed and the unit's report is still
    being written (ValidationError on "period" otherwise)."""
    access.authorize(actor, Action.REPORT, unit)
    if _figures_locked(unit, period, for_update=True):
        raise ValidationError({"period": FIGURES_LOCKED})


def report_figures_editable(user: User, report: UnitReport) -> bool:
    """The figures inside a report page are part of the report: written, like its text, by the
    unit's own people only (the standing office reads them)."""
    return access.can_own(user, Action.REPORT, report.unit) and figures_editable(
        user, report.unit, report.period
    )


@transaction.atomic
def record_report_figures(
    *,
    actor: User,
    report: UnitReport,
    values: Mapping[str, Decimal | None],
    accept_warnings: bool = False,
    comment: str = "",
    expected: Mapping[str, Decimal | None] | None = None,
) -> list[Violation]:
    """The report page's figures (element code → value), all or none, through
    indicators.services.record_values (its rules; warnings confirmed with a comment; its
    EntryRejected), once `check_figures_editable` and the own-unit rule let them in.

    `expected`: the stored value of each figure in `values` as the form showed it when opened
    (None: none stored). A figure stored differently now was changed by someone else meanwhile:
    StaleFigures, nothing saved — a form opened earlier never silently puts back an old value.
    The check runs with the report row held (`check_figures_editable`), so two saves of the same
    unit's figures are decided one after the other."""
    access.authorize_own(actor, Action.REPORT, report.unit)
    check_figures_editable(actor, report.unit, report.period)
    if expected:
        _check_unchanged(report, {c: v for c, v in expected.items() if c in values})
    return indicator_services.record_values(
        actor=actor, unit=report.unit, period=report.period, values=values,
        accept_warnings=accept_warnings, comment=comment,
    )  # fmt: skip


def _check_unchanged(report: UnitReport, expected: Mapping[str, Decimal | None]) -> None:
    stored = dict(
        DataValue.objects.filter(
            unit=report.unit, period=report.period, element__code__in=list(expected)
        ).values_list("element__code", "value")
    )
    changed = {code: stored.get(code) for code in expected if stored.get(code) != expected[code]}
    if changed:
        raise StaleFigures(changed)


def import_figures(
    *,
    actor: User,
    rows: Sequence[figure_imports.ValueRow],
    dry_run: bool = False,
    accept_warnings: bool = False,
    comment: str = "",
) -> figure_imports.ImportSummary:
    """The XLSX import of figures (indicators.imports), every row let in by
    `check_figures_editable`: a submitted report or a closed period refuses its rows; the
    rules' warnings refuse them unless confirmed with a comment."""
    return figure_imports.import_value_rows(
        actor=actor, rows=rows, guard=check_figures_editable, dry_run=dry_run,
        accept_warnings=accept_warnings, comment=comment,
    )  # fmt: skip
