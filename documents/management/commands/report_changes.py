"""What changed behind a generated report (documents.changes.report_changes): every statement
whose figures differ when computed again now, the entries behind each difference, and the draft
of a correction note."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from documents.changes import ChangeReport, report_changes
from documents.models import GeneratedReport


class Command(BaseCommand):
    help = (
        "List the statements of a generated report whose figures differ if computed now, with "
        "the status updates, figures and corrections behind each difference (who, when), and "
        "draft the correction note. --json prints the same as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report_id", type=int)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, report_id: int, as_json: bool, **opts: Any) -> None:
        report = (
            GeneratedReport.objects.select_related("period", "unit").filter(pk=report_id).first()
        )
        if report is None:
            raise CommandError(f"No generated report {report_id}.")
        try:
            found = report_changes(report)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if as_json:
            self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        else:
            self._print(found)

    def _print(self, found: ChangeReport) -> None:
        report = found.report
        intact = {True: "khớp", False: "KHÔNG KHỚP", None: "không có mã"}[found.file_intact]
        self.stdout.write(
            f"{report} — tệp {intact} mã SHA-256 {report.checksum or '—'}; "
            f"{len(found.changes)} nhận định có số liệu khác khi tính lại."
        )
        for change in found.changes:
            self.stdout.write(f"\n[{change.label}] {change.key} — {' › '.join(change.section)}")
            if change.before is not None:
                self.stdout.write(f"  Trước: {change.before}")
            if change.after is not None:
                self.stdout.write(f"  Nay:   {change.after}")
            for entry in change.entries:
                at = timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M")
                reason = f" Lý do: {entry.reason}" if entry.reason else ""
                self.stdout.write(f"  • {entry.what} — {entry.by}, {at}.{reason}")
        if found.note:
            self.stdout.write("\nDự thảo đính chính:\n" + "\n".join(found.note))
