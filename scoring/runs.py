"""The month's scoring run started from the page, in the background (django-tasks worker)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from org.models import User
from scoring.services import run_round


@task()
def score_month(month_iso: str, actor_id: int) -> int:
    """The monthly round (scoring.services.run_round) as the standing officer who asked.
    Returns how many units were scored."""
    actor = User.objects.get(pk=actor_id)
    round_ = run_round(actor=actor, month=date.fromisoformat(month_iso))
    return round_.scorecards.count()
