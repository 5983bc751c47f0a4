from typing import IO, Any

from django.core.management.base import CommandError, CommandParser

from indicators.imports import parse_value_file
from org.import_command import XlsxImportCommand
from org.models import User
from reporting.services import import_figures


class Command(XlsxImportCommand):
    help = (
        "Import figures from XLSX, one sheet per period named by its code (all rows or none; "
        "a unit's figures are locked once its report is submitted or the period closed). A "
        "validation warning refuses the file unless confirmed with --accept-warnings --comment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="the figures with warnings are right (needs --comment saying why)",
        )
        parser.add_argument("--comment", default="", help="why: stored with the figures")

    def handle(self, *args: Any, **options: Any) -> None:
        self.accept_warnings, self.comment = options["accept_warnings"], options["comment"]
        if self.accept_warnings and not self.comment.strip():
            raise CommandError("--accept-warnings needs --comment: why the figures are right.")
        super().handle(*args, **options)

    def run(self, *, actor: User, source: IO[bytes], dry_run: bool) -> str:
        summary = import_figures(
            actor=actor, rows=parse_value_file(source), dry_run=dry_run,
            accept_warnings=self.accept_warnings, comment=self.comment,
        )  # fmt: skip
        for warning in summary.warnings:
            self.stderr.write(f"Cảnh báo đã xác nhận: {warning}")
        return (
            f"created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, warnings {len(summary.warnings)}"
        )
