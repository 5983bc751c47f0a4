"""`manage.py backup`: the database and every uploaded or generated file in one archive."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nq57.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write nq57-backup-<time>.tar (database dump, media files, manifest with checksums) to "
        "--output (default var/backups/). Run nightly; `restore` puts it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=Path(settings.VAR_DIR) / "backups")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            archive = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {archive} ({archive.stat().st_size:,} bytes)")
