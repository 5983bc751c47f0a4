"""The shared shape of every XLSX import command: a file, --dry-run, --user, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nq57.xlsx import ImportRejected
from org.models import User
from org.queries import first_sysadmin


class XlsxImportCommand(BaseCommand):
    """Subclasses implement `run`, which imports and returns the summary line to print."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument("--user", help="act as this account (default: a system administrator)")

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        raise TypeError(f"{type(self).__name__} must say what it imports: define run()")

    def handle(
        self, *args: Any, file: Path, dry_run: bool, user: str | None, **options: Any
    ) -> None:
        actor = self._actor(user)
        try:
            with file.open("rb") as handle:
                line = self.run(actor=actor, source=handle, dry_run=dry_run)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(rejected.errors)} errors; nothing was imported.") from None
        self.stdout.write(("Dry run — nothing saved. " if dry_run else "") + line)

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
        else:
            actor = first_sysadmin()
        if actor is None:
            raise CommandError("No such active account.")
        return actor
