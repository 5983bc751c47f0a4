"""The load test's starting point on the demo: a quarter nobody has reported yet, and each
commune's plan holding figures to type (the demo keeps periods up to today, without figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from periods.models import Period, PeriodKind
from reporting.models import ReportState, UnitReport

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-07T09:00")]


def test_opens_the_quarter_after_the_latest_with_figures_to_type(
    demo_data: None, tmp_path: Path
) -> None:
    latest = Period.objects.filter(kind=PeriodKind.QUARTER).order_by("-ends_on").first()
    assert latest is not None
    plan_file = tmp_path / "plan.json"
    call_command("loadtest_prepare", "--output", str(plan_file), "--communes", "3")
    plan = json.loads(plan_file.read_text())
    opened = Period.objects.get(code=plan["period"])
    assert opened.starts_on > latest.ends_on
    assert len(plan["communes"]) == 3
    assert all(row["figures"] for row in plan["communes"])
    assert not UnitReport.objects.filter(period=opened).exclude(state=ReportState.DRAFT).exists()
