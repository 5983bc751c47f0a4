"""Background jobs of reporting, run by the django-tasks worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from org.models import Role, User
from reporting.models import Transition


@task()
def notify_returned(transition_id: int) -> None:
    """E-mail the unit's reporters that its report came back, with the comment."""
    step = Transition.objects.select_related("report__unit", "report__period", "actor").get(
        pk=transition_id
    )
    report = step.report
    recipients = list(
        User.objects.filter(unit=report.unit, role=Role.REPORTER, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    context = {"step": step, "report": report, "site": settings.SITE_URL, "link": reverse("home")}
    send_mail(
        subject=render_to_string("reporting/email/returned_subject.txt", context).strip(),
        message=render_to_string("reporting/email/returned_body.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
