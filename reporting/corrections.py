"""Corrections to sealed periods (periods.seals): the only way a unit's task status or figure
dated inside a period it has reported on, or a closed period, still changes. The unit's reporter
asks with a reason; the standing office approves (the change is applied at once, through the
lower service told it is a correction) or refuses with a comment, or corrects directly with a
reason. Each step is one transaction with its permission inside; a correction is decided once.
Once committed, the standing office is told of a request and the unit's reporters of a decision.

A figure's correction runs the validation rules like every other entry (indicators.services
.record_values): a request an error rule refuses is refused at once, and at approval an error
refuses the correction (nothing applied, it stays requested) while warnings need the decider's
confirmation with a comment, kept with the figures (ConfirmedWarning).

A status correction keeps the status history's own rules (a date inside the period, not before
the assignment's latest event): only the seal is lifted for it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import services as indicator_services
from indicators.models import DataElement, DataValue, Severity
from indicators.validation import EntryRejected, check_entry
from nq57 import limits
from org import access
from org.access import Action
from org.models import Unit, User
from periods import seals
from periods.models import Period
from reporting.jobs import notify_correction
from reporting.models import Correction, CorrectionState
from tasks import services as task_services
from tasks.models import Assignment, StatusEvent


def _check(correction: Correction) -> None:
    """A correction is for a sealed period (an open one is edited directly), what it corrects
    belongs to the unit and the period and can be applied, and a reason is given: a request
    that approval would refuse is refused now."""
    if not seals.figures_sealed(correction.unit, correction.period):
        raise ValidationError(
            _("Kỳ %(period)s chưa niêm phong: đơn vị sửa trực tiếp, không cần điều chỉnh.")
            % {"period": correction.period.title}
        )
    errors: dict[str, str] = {}
    if not correction.reason.strip():
        errors["reason"] = _("Phải nêu lý do điều chỉnh.")
    limits.check_lengths(reason=(correction.reason, limits.TEXT_MAX))
    if correction.assignment is not None:
        errors.update(_status_problems(correction, correction.assignment))
    elif correction.value is None:
        errors["value"] = _("Phải nêu giá trị đúng của số liệu.")
    if errors:
        raise ValidationError(errors)
    if correction.element is not None:
        _check_rules(correction)


def _check_rules(correction: Correction) -> None:
    """Refuse a figure an error rule reading it refuses (EntryRejected, naming the rule's
    message); warnings are for the decider to confirm. The rules that do not read the figure
    are not its business: the unit's other figures do not hold its correction."""
    assert correction.element is not None
    values = {correction.element.code: correction.value}
    violations = check_entry(
        unit=correction.unit, period=correction.period, values=values, touched_only=True
    )
    errors = [v for v in violations if v.severity == Severity.ERROR]
    if errors:
        raise EntryRejected(errors)


def _status_problems(correction: Correction, assignment: Assignment) -> dict[str, str]:
    if assignment.unit_id != correction.unit.pk:
        return {"assignment": _("Nhiệm vụ không phải của đơn vị này.")}
    day, period = correction.effective_date, correction.period
    if day is None or not period.starts_on <= day <= period.ends_on:
        return {
            "effective_date": _("Ngày điều chỉnh phải trong kỳ %(period)s.")
            % {"period": period.title}
        }
    # The history is appended in date order (tasks.services): a status dated before the
    # task's latest update could never be applied.
    if assignment.latest_date is not None and day < assignment.latest_date:
        return {
            "effective_date": _(
                "Nhiệm vụ đã có cập nhật ngày %(latest)s; ngày điều chỉnh không được trước đó."
            )
            % {"latest": assignment.latest_date.strftime("%d/%m/%Y")}
        }
    return {}


def _new(
    actor: User,
    unit: Unit,
    period: Period,
    reason: str,
    *,
    assignment: Assignment | None = None,
    status: str = "",
    progress: int = 0,
    effective_date: date | None = None,
    element: DataElement | None = None,
    value: Decimal | None = None,
) -> Correction:
    correction = Correction(
        unit=unit, period=period, reason=reason, requested_by=actor, assignment=assignment,
        status=status, progress=progress, effective_date=effective_date, element=element,
        value=value,
    )  # fmt: skip
    _check(correction)
    correction.save()
    return correction


@transaction.atomic
def request_correction(
    *, actor: User, unit: Unit, period: Period, reason: str, **what: Any
) -> Correction:
    """The unit's own reporter asks: `assignment`, `status`, `progress`, `effective_date` for a
    status, or `element` and `value` for a figure."""
    access.authorize_own(actor, Action.REPORT, unit)
    correction = _new(actor, unit, period, reason, **what)
    transaction.on_commit(partial(notify_correction.enqueue, correction.pk))
    return correction


def _status_as_of(assignment: Assignment, day: date) -> dict[str, Any] | None:
    event = (
        StatusEvent.objects.filter(assignment=assignment, effective_date__lte=day)
        .order_by("-effective_date", "-pk")
        .first()
    )
    if event is None:
        return None
    return {
        "status": event.status,
        "progress": event.progress,
        "date": event.effective_date.isoformat(),
    }


def _figure(correction: Correction) -> str | None:
    stored = (
        DataValue.objects.filter(
            unit=correction.unit, period=correction.period, element=correction.element
        )
        .values_list("value", flat=True)
        .first()
    )
    return None if stored is None else str(stored)


def _apply(
    actor: User, correction: Correction, *, accept_warnings: bool = False, comment: str = ""
) -> None:
    """Make the change through the lower service, recording what it was before and after. A
    figure goes through the validation rules (record_values): `accept_warnings` with a
    `comment` confirms the warnings it raises."""
    if correction.assignment is not None:
        assert correction.effective_date is not None  # checked by _check
        correction.before = _status_as_of(correction.assignment, correction.effective_date)
        task_services.record_status(
            actor=actor, assignment=correction.assignment, status=correction.status,
            effective_date=correction.effective_date, progress=correction.progress,
            note=correction.reason, correction=True,
        )  # fmt: skip
        correction.after = _status_as_of(correction.assignment, correction.effective_date)
    else:
        assert correction.element is not None
        correction.before = {"value": _figure(correction)}
        indicator_services.record_values(
            actor=actor, unit=correction.unit, period=correction.period,
            values={correction.element.code: correction.value}, accept_warnings=accept_warnings,
            comment=comment, reason=correction.reason, touched_only=True,
        )  # fmt: skip
        correction.after = {"value": _figure(correction)}


def _decide(
    actor: User,
    correction: Correction,
    state: str,
    comment: str,
    *,
    accept_warnings: bool = False,
) -> Correction:
    limits.check_lengths(comment=(comment, limits.TEXT_MAX))
    access.authorize(actor, Action.MANAGE_PROGRAMME, correction.unit)
    correction = (
        # Only the correction's row is locked: PostgreSQL refuses FOR UPDATE on the nullable
        # side of the outer joins to the assignment or the element.
        Correction.objects.select_for_update(of=("self",))
        .select_related("unit", "period", "assignment", "element")
        .get(pk=correction.pk)
    )
    if correction.state != CorrectionState.REQUESTED:
        raise ValidationError(_("Đề nghị điều chỉnh này đã được xử lý."))
    if state == CorrectionState.APPROVED:
        _apply(actor, correction, accept_warnings=accept_warnings, comment=comment)
    correction.state, correction.comment = state, comment
    correction.decided_by, correction.decided_at = actor, timezone.now()
    correction.save()
    transaction.on_commit(partial(notify_correction.enqueue, correction.pk))
    return correction


@transaction.atomic
def approve_correction(
    *, actor: User, correction: Correction, comment: str = "", accept_warnings: bool = False
) -> Correction:
    """Apply the correction. A figure a rule warns about is applied only with
    `accept_warnings` and a `comment` (EntryRejected with `needs_confirmation` otherwise)."""
    return _decide(
        actor, correction, CorrectionState.APPROVED, comment, accept_warnings=accept_warnings
    )


@transaction.atomic
def refuse_correction(*, actor: User, correction: Correction, comment: str) -> Correction:
    if not comment.strip():
        raise ValidationError({"comment": _("Phải ghi ý kiến khi không duyệt điều chỉnh.")})
    return _decide(actor, correction, CorrectionState.REFUSED, comment)


@transaction.atomic
def correct_directly(
    *,
    actor: User,
    unit: Unit,
    period: Period,
    reason: str,
    accept_warnings: bool = False,
    comment: str = "",
    **what: Any,
) -> Correction:
    """The standing office corrects by itself, with a reason: requested and approved at once
    (a figure's warnings confirmed as at approval)."""
    access.authorize(actor, Action.MANAGE_PROGRAMME, unit)
    correction = _new(actor, unit, period, reason, **what)
    return _decide(
        actor, correction, CorrectionState.APPROVED, comment, accept_warnings=accept_warnings
    )
