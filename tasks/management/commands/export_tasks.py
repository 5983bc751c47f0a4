from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tasks.interchange import export_workbook
from tasks.models import Task


class Command(BaseCommand):
    help = "Write every task to FILE in the XLSX interchange format, with its state as of a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, file: Path, as_of: date | None, **options: Any) -> None:
        file.write_bytes(
            export_workbook(tasks=Task.objects.all(), as_of=as_of or timezone.localdate())
        )
        self.stdout.write(f"{Task.objects.count()} tasks written to {file}")
