from typing import IO

from org.import_command import XlsxImportCommand
from org.models import User
from tasks.interchange import import_task_rows, parse_task_file


class Command(XlsxImportCommand):
    help = "Import tasks from the XLSX interchange format (all rows or none)."

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        summary = import_task_rows(actor=actor, rows=parse_task_file(source), dry_run=dry_run)
        return (
            f"created {len(summary.created)}, updated {len(summary.updated)}, "
            f"status events {len(summary.events)}, unchanged {summary.unchanged}"
        )
