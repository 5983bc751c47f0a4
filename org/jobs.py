"""Background jobs of the org app, run by the django-tasks worker (`manage.py db_worker`)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from org.models import User


@task()
def send_welcome_email(user_id: int) -> None:
    """Tell a new account holder their username and give a link to set their own password.

    The one-time password is never put in a job row or an e-mail; the link does that job."""
    user = User.objects.select_related("unit").get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])
    context = {"user": user, "link": link}
    send_mail(
        subject=render_to_string("org/email/welcome_subject.txt", context).strip(),
        message=render_to_string("org/email/welcome_body.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@task()
def send_lockout_notice(user_id: int, address: str) -> None:
    """Tell an account's owner that repeated wrong passwords locked their sign-in (org.throttle),
    from which address, for how long, and what to do if it was not them."""
    user = User.objects.get(pk=user_id)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"user": user, "address": address, "minutes": minutes, "site": settings.SITE_URL}
    send_mail(
        subject=render_to_string("org/email/lockout_subject.txt", context).strip(),
        message=render_to_string("org/email/lockout_body.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
