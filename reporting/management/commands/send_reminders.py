from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from notifications.digest import send_due_digests
from reporting.jobs import send_due_reminders_task
from reporting.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the report reminders due now (before the due date, on it, and while late), each "
        "at most once per unit and trigger. Run it hourly (cron or a systemd timer). By default "
        "the job is queued for the django-tasks worker; --now runs it here and then. Any "
        "e-mail digest left waiting past its delay goes out with it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run inline instead of queueing")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            moment = timezone.now()
            sent = send_due_reminders(now=moment)
            digests = send_due_digests(moment)
            self.stdout.write(f"Reminders sent: {sent}.")
            if digests:
                self.stdout.write(f"Late e-mail digests sent: {digests}.")
            return
        result = send_due_reminders_task.enqueue()
        self.stdout.write(f"Reminder job queued: {result.id}.")
