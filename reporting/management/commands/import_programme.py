from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from org.import_command import XlsxImportCommand
from org.models import User
from reporting.workbook import import_programme


class Command(XlsxImportCommand):
    help = (
        "Load the programme workbook FILE (.xlsx, as export_programme writes it): every row by "
        "its code, created or updated when different, nothing deleted; all rows or none, every "
        "bad cell named (sheet, row, column). Only the standing office or a system "
        "administrator may (--user)."
    )

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        try:
            summary = import_programme(actor=actor, source=source, dry_run=dry_run)
        except PermissionDenied:
            raise CommandError(f"{actor.username} may not set up the programme.") from None
        lines = []
        for c in summary.sheets:
            lines.append(
                f"{c.sheet}: created {len(c.created)}, updated {len(c.updated)}, "
                f"unchanged {c.unchanged}"
            )
            lines += [
                f"  {a.task}: assignees added {a.added}, taken off {a.removed}" for a in c.assignees
            ]
        total = (
            f"created {summary.created}, updated {summary.updated}, unchanged {summary.unchanged}"
        )
        return "\n".join([*lines, total])
