import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nq57.xlsx import build_workbook
from org.models import Unit
from org.queries import EXPORT_HEADERS, export_rows


class Command(BaseCommand):
    help = "Write the unit tree to FILE (.csv in UTF-8, or .xlsx): code,name,type,parent_code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        rows = list(export_rows(Unit.objects.all()))
        if file.suffix.lower() == ".xlsx":
            file.write_bytes(build_workbook("Đơn vị", EXPORT_HEADERS, rows))
        else:
            with file.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(EXPORT_HEADERS)
                writer.writerows(rows)
        self.stdout.write(f"{len(rows)} units written to {file}")
