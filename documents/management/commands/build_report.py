"""Generate a report to a file without the job queue: the same documents.build.build as the
background job, with the letterhead stored for the kind."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.build import build
from documents.composer.letterhead import profile_for, province_root
from documents.content import Kind
from documents.models import Format
from documents.pdf import PdfFailed, PdfUnavailable
from documents.services import PROVINCE_KINDS, check_period, data_date
from org.models import Unit
from periods.models import Period


class Command(BaseCommand):
    help = (
        "Generate one of the province's reports (quarterly, half, nine_months, year, monthly, "
        "brief) or a unit's report for a period as DOCX, XLSX annexes or PDF, e.g. --kind "
        "quarterly --period 2025-Q3 --format docx --output q3.docx, --kind year --period 2026. "
        "The data are as of --as-of (default: the period's last day, or today while it runs); "
        "the province's reports are written with the prose stored in the composer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=[k.value for k in Kind])
        parser.add_argument("--period", required=True, help="2025-Q3, 2025-09, …")
        parser.add_argument("--unit", help="unit code (a unit's report; default: the province)")
        parser.add_argument("--as-of", dest="as_of", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--format", dest="fmt", required=True, choices=Format.values)
        parser.add_argument("--output", required=True, type=Path)

    def handle(
        self,
        *args: Any,
        kind: str,
        period: str,
        unit: str | None,
        as_of: date | None,
        fmt: str,
        output: Path,
        **options: Any,
    ) -> None:
        report_kind = Kind(kind)
        found_period = Period.objects.filter(code=period).first()
        if found_period is None:
            raise CommandError(f"Unknown period {period!r}.")
        target = self._unit(report_kind, unit)
        started = time.perf_counter()
        data = self._build(report_kind, found_period, target, as_of, fmt)
        output.write_bytes(data)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Wrote {output} ({len(data)} bytes) in {seconds:.2f} s.")

    def _build(self, kind: Kind, period: Period, unit: Unit, as_of: date | None, fmt: str) -> bytes:
        """The file's bytes; what the services refuse becomes the command's error."""
        try:
            check_period(kind, period)
            letterhead = profile_for(kind, unit).letterhead(signed_on=None)
            data, _content = build(
                kind=kind, period=period, unit=unit, as_of=data_date(period, as_of), fmt=fmt,
                letterhead=letterhead,
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (PdfUnavailable, PdfFailed) as exc:
            raise CommandError(str(exc)) from exc
        return data

    def _unit(self, kind: Kind, code: str | None) -> Unit:
        if code is None:
            if kind in PROVINCE_KINDS:
                return province_root()
            raise CommandError("A unit's report needs --unit CODE.")
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Unknown unit {code!r}.")
        if kind in PROVINCE_KINDS and not unit.is_root():
            raise CommandError("This kind of report is the province's: omit --unit.")
        return unit
