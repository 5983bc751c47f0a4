from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from reporting.jobs import create_due_periods_task
from reporting.schedules import create_due_periods


class Command(BaseCommand):
    help = (
        "Create the reporting periods the active schedules ask for by now (each once: running it "
        "again creates nothing). Run it hourly (cron or a systemd timer). By default the job is "
        "queued for the django-tasks worker; --now runs it here and then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run inline instead of queueing")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            created = create_due_periods(now=timezone.now())
            codes = ", ".join(p.code for p in created)
            self.stdout.write(
                f"Periods created: {len(created)}." + (f" ({codes})" if codes else "")
            )
            return
        result = create_due_periods_task.enqueue()
        self.stdout.write(f"Period job queued: {result.id}.")
