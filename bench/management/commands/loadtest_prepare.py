"""`manage.py loadtest_prepare`: the deadline hour's starting point for `make loadtest` — a new
quarter open to every commune and ward, and the plan of who submits what (bench/loadtest)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from indicators.models import DataValue
from org.models import Unit, UnitType, User
from org.queries import first_sysadmin
from periods.calendar import codes_between, period_dates
from periods.models import Period, PeriodKind
from reporting import queries, services
from reporting.forms import FiguresForm


def _vn(value: Decimal) -> str:
    """The way an officer types a figure: decimal comma, no thousands separator."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _next_quarter() -> str:
    """The quarter after the latest one stored: the demo keeps its periods up to today, so the
    deadline hour is always for a quarter nobody has reported yet."""
    last = Period.objects.filter(kind=PeriodKind.QUARTER).order_by("-ends_on").first()
    after = last.ends_on + timedelta(days=1) if last else timezone.localdate()
    return codes_between(PeriodKind.QUARTER, after, after)[0]


class Command(BaseCommand):
    help = "Open a quarter to every commune and ward and write the load test's plan (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period", default="", help="a quarter's code (default: the one after the latest)"
        )
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--communes", type=int, default=0, help="only the first N (0: all)")

    def handle(self, *args: Any, period: str, output: Path, communes: int, **options: Any) -> None:
        actor = first_sysadmin()
        if actor is None:
            raise CommandError("No system administrator: load the demo first.")
        period = period or _next_quarter()
        if Period.objects.filter(code=period).exists():
            raise CommandError(f"Period {period} exists: the load test needs a fresh database.")
        units = list(
            Unit.objects.filter(unit_type__in=[UnitType.COMMUNE, UnitType.WARD], active_to=None)
            .filter(accounts__username__startswith="bc.")
            .distinct()
            .order_by("code")
        )
        if communes:
            units = units[:communes]
        year, quarter = int(period[:4]), int(period[-1])
        starts, ends = period_dates(period)
        now = timezone.now()
        opened = services.create_period(
            actor=actor, code=period, kind=PeriodKind.QUARTER, title=f"Quý {quarter}/{year}",
            starts_on=starts, ends_on=ends, opens_at=now - timedelta(days=1),
            due_at=now + timedelta(days=7), units=units,
        )  # fmt: skip
        # Each commune types its latest quarter's figures again (the demo's later quarters,
        # opened to keep it alive, hold none yet).
        reported = Period.objects.filter(kind=PeriodKind.QUARTER, data_values__isnull=False)
        last = reported.exclude(pk=opened.pk).order_by("-ends_on").first()
        plan = []
        for unit in units:
            elements, _stored = queries.figure_elements(unit, opened)
            earlier = {
                v.element.code: v.value
                for v in DataValue.objects.filter(unit=unit, period=last).select_related("element")
                if v.value is not None
            }
            figures = {
                FiguresForm.field_name(e.code): _vn(earlier[e.code])
                for e in elements
                if e.code in earlier
            }
            reporter = User.objects.filter(unit=unit, username__startswith="bc.").first()
            assert reporter is not None
            plan.append({"username": reporter.username, "unit": unit.code, "figures": figures})
        if units and not any(row["figures"] for row in plan):
            raise CommandError("No quarter with figures to type again: load the demo first.")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps({"period": period, "communes": plan}, ensure_ascii=False))
        self.stdout.write(f"{period} open to {len(units)} communes; plan in {output}")
