import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.validation import Violation, check_period
from periods.models import Period


def as_json(violation: Violation) -> dict[str, str]:
    return {
        "rule": violation.rule,
        "unit": violation.unit_code,
        "element": violation.element_code,
        "severity": violation.severity,
        "message": violation.message,
    }


class Command(BaseCommand):
    help = (
        "Check every required unit of a period against the validation rules; one line (or, "
        "with --json, one object of a JSON array) per violation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="period code, e.g. 2025-Q3")
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args: Any, period: str, json: bool, **options: Any) -> None:
        found = Period.objects.filter(code=period).first()
        if found is None:
            raise CommandError(f"Không có kỳ báo cáo {period}.")
        rows = [as_json(v) for v in check_period(found)]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(
                f"{row['unit']}\t{row['rule']}\t{row['element']}\t{row['severity']}\t"
                f"{row['message']}"
            )


def _dumps(rows: list[dict[str, str]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
