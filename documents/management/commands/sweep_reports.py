"""Fail the report runs whose worker died, on a schedule (the pages never write)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from documents.generation import fail_stale_reports
from documents.jobs import sweep_reports


class Command(BaseCommand):
    help = (
        "Mark failed the report generations still 'running' long after any run ends (their "
        "worker died), so their pages offer 'Tạo lại' for good; running it again changes "
        "nothing. Run it every 10 minutes (cron '*/10 * * * *' or a systemd timer "
        "OnCalendar=*:0/10). By default the job is queued for the django-tasks worker; --now "
        "runs it here and then."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run inline instead of queueing")

    def handle(self, *args: Any, now: bool, **options: Any) -> None:
        if now:
            failed = fail_stale_reports(timezone.now())
            self.stdout.write(f"Dead report runs failed: {failed}.")
            return
        result = sweep_reports.enqueue()
        self.stdout.write(f"Report sweep job queued: {result.id}.")
