"""`manage.py loadtest_verify`: after the load test, every planned submission recorded exactly
once — one submitted report per commune, one transition to "submitted", its figures stored."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.models import DataValue
from reporting.models import ReportState, Transition, UnitReport


class Command(BaseCommand):
    help = "Check that every commune of the load test's plan submitted exactly once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=Path, required=True)

    def handle(self, *args: Any, plan: Path, **options: Any) -> None:
        content = json.loads(plan.read_text())
        period, communes = content["period"], content["communes"]
        reports = {
            r.unit.code: r
            for r in UnitReport.objects.filter(period__code=period).select_related("unit")
        }
        submissions = Counter(
            Transition.objects.filter(
                report__period__code=period, to_state=ReportState.SUBMITTED
            ).values_list("report__unit__code", flat=True)
        )
        values = Counter(
            DataValue.objects.filter(period__code=period).values_list("unit__code", flat=True)
        )
        problems = []
        for commune in communes:
            code = commune["unit"]
            report = reports.get(code)
            if report is None or report.state != ReportState.SUBMITTED:
                problems.append(f"{code}: report {report.state if report else 'missing'}")
            if submissions[code] != 1:
                problems.append(f"{code}: submitted {submissions[code]} times")
            if values[code] != len(commune["figures"]):
                problems.append(f"{code}: {values[code]} of {len(commune['figures'])} figures")
        once = sum(1 for c in communes if submissions[c["unit"]] == 1)
        self.stdout.write(
            f"Submissions recorded exactly once: {once}/{len(communes)}; "
            f"figures stored: {sum(values.values())}; problems: {len(problems)}"
        )
        if problems:
            for line in problems[:50]:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} problems")
