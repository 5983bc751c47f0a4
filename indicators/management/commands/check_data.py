import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.validation import Checked, period_check
from periods.models import Period


def as_json(checked: Checked) -> dict[str, Any]:
    violation, confirmation = checked.violation, checked.confirmation
    return {
        "rule": violation.rule,
        "unit": violation.unit_code,
        "element": violation.element_code,
        "severity": violation.severity,
        "message": violation.message,
        # a warning confirmed on these very figures: by whom, when, why
        "confirmed": None
        if confirmation is None
        else {
            "by": confirmation.confirmed_by.username,
            "at": confirmation.confirmed_at.isoformat(),
            "comment": confirmation.comment,
        },
    }


class Command(BaseCommand):
    help = (
        "Check every required unit of a period against the validation rules; one line (or, "
        "with --json, one object of a JSON array) per violation, a warning confirmed on the "
        "same figures marked with its confirmation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="period code, e.g. 2025-Q3")
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args: Any, period: str, json: bool, **options: Any) -> None:
        found = Period.objects.filter(code=period).first()
        if found is None:
            raise CommandError(f"Không có kỳ báo cáo {period}.")
        rows = [as_json(c) for c in period_check(found).checked]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            confirmed = row["confirmed"]
            mark = f"\tconfirmed by {confirmed['by']}: {confirmed['comment']}" if confirmed else ""
            self.stdout.write(
                f"{row['unit']}\t{row['rule']}\t{row['element']}\t{row['severity']}\t"
                f"{row['message']}{mark}"
            )


def _dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
