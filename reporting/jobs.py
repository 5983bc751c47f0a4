"""Background jobs of reporting, run by the django-tasks worker (`manage.py db_worker`)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.services import notify
from org.models import Role, User
from reporting.models import Correction, CorrectionState, Transition
from reporting.queries import report_url
from reporting.reminders import send_due_reminders
from reporting.schedules import create_due_periods


@task()
def notify_returned(transition_id: int) -> int:
    """Tell the unit's reporters, in the app and by e-mail, that its report came back, with the
    comment. Returns how many were told."""
    step = Transition.objects.select_related("report__unit", "report__period", "actor").get(
        pk=transition_id
    )
    report = step.report
    context = {"step": step, "report": report}
    return notify(
        recipients=User.objects.filter(unit=report.unit, role=Role.REPORTER, is_active=True),
        text=render_to_string("reporting/email/returned_text.txt", context).strip(),
        url=report_url(report.period.code, report.unit.code),
        email_subject=render_to_string("reporting/email/returned_subject.txt", context).strip(),
    )


@task()
def notify_correction(correction_id: int) -> int:
    """A correction asked: tell the standing office; decided: tell the unit's reporters. Returns
    how many were told."""
    correction = Correction.objects.select_related("unit", "period").get(pk=correction_id)
    names = {
        "unit": correction.unit.name,
        "period": correction.period.title,
        "state": correction.get_state_display(),
    }
    if correction.state == CorrectionState.REQUESTED:
        recipients = User.objects.filter(role=Role.STANDING_OFFICE, is_active=True)
        text = _("%(unit)s đề nghị điều chỉnh số liệu kỳ %(period)s.") % names
    else:
        recipients = User.objects.filter(unit=correction.unit, role=Role.REPORTER, is_active=True)
        text = _("Điều chỉnh số liệu kỳ %(period)s của %(unit)s: %(state)s.") % names
    url = report_url(correction.period.code, correction.unit.code)
    return notify(recipients=recipients, text=text, url=url)


@task()
def send_due_reminders_task() -> int:
    """The hourly reminder run (management command `send_reminders`); see reporting.reminders."""
    return send_due_reminders(now=timezone.now())


@task()
def create_due_periods_task() -> int:
    """The hourly run of the schedules (management command `create_periods`); see
    reporting.schedules. Returns how many periods were created."""
    return len(create_due_periods(now=timezone.now()))
