import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.queries import IndicatorResult, indicator_values
from org.models import Unit
from periods.models import Period


def number(value: Decimal | None) -> float | None:
    """Four decimals at most: enough for a percentage shown with two."""
    if value is None:
        return None
    return float(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def as_json(result: IndicatorResult) -> dict[str, Any]:
    return {
        "code": result.code,
        "value": number(result.value),
        "numerator": number(result.numerator),
        "denominator": number(result.denominator),
        "target": number(result.target),
        "achieved": result.achieved,
        "coverage": {"reported": result.coverage.reported, "required": result.coverage.required},
    }


class Command(BaseCommand):
    help = (
        "Indicator values of a period, rolled up over a unit's subtree (the whole province by "
        "default): sums of the figures first, then the formula. --as-of reads the figures as "
        "they were stored at the end of that day. --json prints a JSON array."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="period code, e.g. 2025-Q3")
        parser.add_argument("--unit", help="unit code (default: the root of the tree)")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=date.fromisoformat,
            help="YYYY-MM-DD: the figures as stored at the end of that day (default: now)",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(
        self,
        *args: Any,
        period: str,
        unit: str | None,
        as_of: date | None,
        json: bool,
        **opts: Any,
    ) -> None:
        found = Period.objects.filter(code=period).first()
        if found is None:
            raise CommandError(f"Không có kỳ báo cáo {period}.")
        if unit:
            top = Unit.objects.filter(code=unit).first()
            if top is None:
                raise CommandError(f"Không có đơn vị {unit}.")
        else:
            top = Unit.objects.filter(depth=1).order_by("path").first()
            if top is None:
                raise CommandError("Chưa có cây đơn vị.")
        rows = [as_json(r) for r in indicator_values(found, top, as_of=as_of)]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            cov = row["coverage"]
            self.stdout.write(
                f"{row['code']}\t{row['value']}\t{row['target']}\t{row['achieved']}\t"
                f"{cov['reported']}/{cov['required']}"
            )


def _dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
