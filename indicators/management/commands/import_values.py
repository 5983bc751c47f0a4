from typing import IO

from indicators.imports import import_value_rows, parse_value_file
from org.import_command import XlsxImportCommand
from org.models import User


class Command(XlsxImportCommand):
    help = "Import figures from XLSX, one sheet per period named by its code (all rows or none)."

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        summary = import_value_rows(actor=actor, rows=parse_value_file(source), dry_run=dry_run)
        for warning in summary.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        return (
            f"created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, warnings {len(summary.warnings)}"
        )
