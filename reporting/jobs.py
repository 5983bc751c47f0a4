"""Background jobs of reporting, run by the django-tasks worker (`manage.py db_worker`)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from notifications.services import notify
from org.models import Role, User
from reporting.models import Transition
from reporting.queries import report_url
from reporting.reminders import send_due_reminders


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
def send_due_reminders_task() -> int:
    """The hourly reminder run (management command `send_reminders`); see reporting.reminders."""
    return send_due_reminders(now=timezone.now())
