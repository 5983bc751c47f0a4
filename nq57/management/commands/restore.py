"""`manage.py restore ARCHIVE`: the database and the media folder as they were in a backup."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nq57.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the media folder with those of a backup made by `backup` "
        "(files uploaded since are removed). Stop the web servers and the worker first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, archive: Path, yes: bool, **options: Any) -> None:
        try:
            manifest = read_manifest(archive)
            if not yes:
                answer = input(
                    f"Replace ALL data with the backup of {manifest['created_at']}? Type 'yes': "
                )
                if answer.strip() != "yes":
                    raise CommandError("Restore cancelled.")
            restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({len(manifest['media'])} media files)."
        )
