from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nq57.xlsx import ImportRejected
from org.models import User
from org.queries import first_sysadmin
from tasks.interchange import import_task_rows, parse_task_file


class Command(BaseCommand):
    help = "Import tasks from the XLSX interchange format (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument("--user", help="act as this account (default: a system administrator)")

    def handle(
        self, *args: Any, file: Path, dry_run: bool, user: str | None, **options: Any
    ) -> None:
        actor = self._actor(user)
        try:
            with file.open("rb") as handle:
                summary = import_task_rows(
                    actor=actor, rows=parse_task_file(handle), dry_run=dry_run
                )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported.") from None
        prefix = "Dry run — nothing saved. " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {len(summary.created)}, updated {len(summary.updated)}, "
            f"status events {len(summary.events)}, unchanged {summary.unchanged}"
        )

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
        else:
            actor = first_sysadmin()
        if actor is None:
            raise CommandError("No such active account.")
        return actor
