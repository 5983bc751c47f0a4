"""Background jobs of reporting, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.digest import send_due_digests
from notifications.services import notify
from org.models import Role, User
from reporting.models import Correction, CorrectionState, ReportState, Transition, UnitReport
from reporting.queries import report_url
from reporting.reminders import send_due_reminders
from reporting.schedules import create_due_periods

OFFICE_STATES = frozenset({ReportState.APPROVED, ReportState.RECEIVED})  # the office's hands


@dataclass
class Notice:
    recipients: QuerySet[User]
    text: str
    subject: str
    url: str
    key: str
    summary: Callable[[int], str] | None = None


def _unit_people(report: UnitReport, *roles: str) -> QuerySet[User]:
    return User.objects.filter(unit=report.unit, role__in=roles, is_active=True)


def _office() -> QuerySet[User]:
    return User.objects.filter(role=Role.STANDING_OFFICE, is_active=True)


def step_notice(step: Transition) -> Notice:
    """Who is told of a step of a report, and what: the next one to act on it, or the unit once
    it is decided. Submitted → the unit's heads; approved → the standing office (one notice per
    period, counting the reports that wait); received → the unit; returned or reopened → the
    unit's reporters, and its heads too when the office sent it back past their approval."""
    report = step.report
    names = {
        "unit": report.unit.name,
        "period": report.period.title,
        "who": step.actor.full_name or step.actor.username,
    }
    url = report_url(report.period.code, report.unit.code)
    if step.to_state == ReportState.SUBMITTED:
        return Notice(
            _unit_people(report, Role.UNIT_HEAD),
            _("%(unit)s: báo cáo %(period)s đã được nộp, chờ đồng chí duyệt.") % names,
            _("[NQ57] Báo cáo %(period)s chờ duyệt") % names,
            url,
            f"report-submitted:{report.pk}",
        )
    if step.to_state == ReportState.APPROVED:
        board = reverse("reporting:board", args=[report.period.code])
        return Notice(
            _office(),
            _("%(unit)s: báo cáo %(period)s đã được lãnh đạo đơn vị duyệt, chờ tiếp nhận.") % names,
            _("[NQ57] Báo cáo %(period)s chờ tiếp nhận") % names,
            f"{board}?{urlencode({'state': ReportState.APPROVED})}",
            f"report-approved:{report.period.code}",
            lambda n: (
                _(
                    "%(n)s báo cáo %(period)s đã được lãnh đạo đơn vị duyệt, chờ tiếp nhận (mới "
                    "nhất: %(unit)s)."
                )
                % (names | {"n": n})
            ),
        )
    if step.to_state == ReportState.RECEIVED:
        return Notice(
            _unit_people(report, Role.REPORTER, Role.UNIT_HEAD),
            _("Cơ quan thường trực đã tiếp nhận báo cáo %(period)s của %(unit)s.") % names,
            _("[NQ57] Báo cáo %(period)s đã được tiếp nhận") % names,
            url,
            f"report-received:{report.pk}",
        )
    context = {"step": step, "report": report}
    from_office = step.from_state in OFFICE_STATES
    roles = (Role.REPORTER, Role.UNIT_HEAD) if from_office else (Role.REPORTER,)
    return Notice(
        _unit_people(report, *roles),
        render_to_string("reporting/email/returned_text.txt", context).strip(),
        render_to_string("reporting/email/returned_subject.txt", context).strip(),
        url,
        f"report-returned:{report.pk}",
    )


@task()
def notify_step(transition_id: int) -> int:
    """Tell, in the app and by e-mail (in the recipients' digests), of a step of a report's
    workflow (`step_notice`). Returns how many were told."""
    step = Transition.objects.select_related("report__unit", "report__period", "actor").get(
        pk=transition_id
    )
    notice = step_notice(step)
    return notify(
        recipients=notice.recipients,
        text=notice.text,
        url=notice.url,
        email_subject=notice.subject,
        key=notice.key,
        summary=notice.summary,
    )


@task()
def notify_correction(correction_id: int) -> int:
    """A correction asked: tell the standing office (one notice counting the requests that
    wait); decided: tell the unit's reporters. In the app and by e-mail. Returns how many were
    told."""
    correction = Correction.objects.select_related("unit", "period").get(pk=correction_id)
    names = {
        "unit": correction.unit.name,
        "period": correction.period.title,
        "state": correction.get_state_display(),
    }
    if correction.state == CorrectionState.REQUESTED:
        return notify(
            recipients=_office(),
            text=_("%(unit)s đề nghị điều chỉnh số liệu kỳ %(period)s.") % names,
            url=reverse("reporting:correction_list"),
            email_subject=_("[NQ57] Đề nghị điều chỉnh số liệu kỳ %(period)s") % names,
            key="correction-requested",
            summary=lambda n: (
                _("%(n)s đề nghị điều chỉnh số liệu chờ duyệt (mới nhất: %(unit)s, kỳ %(period)s).")
                % (names | {"n": n})
            ),
        )
    return notify(
        recipients=User.objects.filter(unit=correction.unit, role=Role.REPORTER, is_active=True),
        text=_("Điều chỉnh số liệu kỳ %(period)s của %(unit)s: %(state)s.") % names,
        url=report_url(correction.period.code, correction.unit.code),
        email_subject=_("[NQ57] Điều chỉnh số liệu kỳ %(period)s: %(state)s") % names,
    )


@task()
def send_due_reminders_task() -> int:
    """The hourly run (management command `send_reminders`): the reminders due (see
    reporting.reminders), then any e-mail digest left waiting past its delay."""
    now = timezone.now()
    sent = send_due_reminders(now=now)
    send_due_digests(now)
    return sent


@task()
def create_due_periods_task() -> int:
    """The hourly run of the schedules (management command `create_periods`); see
    reporting.schedules. Returns how many periods were created."""
    return len(create_due_periods(now=timezone.now()))
