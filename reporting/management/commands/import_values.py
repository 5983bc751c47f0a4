from typing import IO

from indicators.imports import parse_value_file
from org.import_command import XlsxImportCommand
from org.models import User
from reporting.services import import_figures


class Command(XlsxImportCommand):
    help = (
        "Import figures from XLSX, one sheet per period named by its code (all rows or none; "
        "a unit's figures are locked once its report is submitted or the period closed)."
    )

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        summary = import_figures(actor=actor, rows=parse_value_file(source), dry_run=dry_run)
        for warning in summary.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        return (
            f"created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, warnings {len(summary.warnings)}"
        )
