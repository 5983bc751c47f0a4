"""Background jobs of notifications, run by the django-tasks worker (`manage.py db_worker`)."""

from django.core import mail
from django_tasks import task


@task()
def send_email(subject: str, body: str, recipients: list[str]) -> int:
    """One message per address (recipients never see each other), over one SMTP connection."""
    with mail.get_connection() as connection:
        messages = [
            mail.EmailMessage(subject, body, to=[address], connection=connection)
            for address in recipients
        ]
        return connection.send_messages(messages) or 0
