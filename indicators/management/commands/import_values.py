from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.imports import import_value_rows, parse_value_file
from nq57.xlsx import ImportRejected
from org.models import User
from org.queries import first_sysadmin


class Command(BaseCommand):
    help = "Import figures from XLSX, one sheet per period named by its code (all rows or none)."

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
                summary = import_value_rows(
                    actor=actor, rows=parse_value_file(handle), dry_run=dry_run
                )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported.") from None
        for warning in summary.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        prefix = "Dry run — nothing saved. " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, warnings {len(summary.warnings)}"
        )

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
        else:
            actor = first_sysadmin()
        if actor is None:
            raise CommandError("No such active account.")
        return actor
