from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reporting.workbook import export_programme, template_programme


class Command(BaseCommand):
    help = (
        "Write the programme workbook to FILE (.xlsx): sources, areas, programme groups, tasks "
        "and their assignees, data elements, indicator sets, indicators, targets, validation "
        "rules, report forms and schedules. --template: the sheets without rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--template", action="store_true", help="headers and lists only")

    def handle(self, *args: Any, file: Path, template: bool, **options: Any) -> None:
        file.write_bytes(template_programme() if template else export_programme())
        self.stdout.write(f"Programme workbook written to {file}")
