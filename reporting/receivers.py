"""What reporting does when org tells it the tree changed (org.signals)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from org.models import Unit
from periods.models import Period
from reporting.models import UnitReport

RequiredUnit: Any = Period.required_units.through


def carry_required_units(*, moves: tuple[tuple[Unit, Unit], ...], on: date, **_: Any) -> None:
    """The periods still running after a merge or split (not closed, their data ending on or
    after `on`) ask the successors of the predecessors they asked; a predecessor that has not
    started its report there is no longer asked (it ends the day before `on`, its people now
    report for the successor). A predecessor's report already started stays, with its history.
    Runs inside the merge's transaction (org.signals.units_restructured)."""
    successors: dict[int, list[Unit]] = defaultdict(list)
    for predecessor, successor in moves:
        successors[predecessor.pk].append(successor)
    now = timezone.now()
    running = Period.objects.filter(ends_on__gte=on).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    asked = list(
        RequiredUnit.objects.filter(period__in=running, unit_id__in=successors).values_list(
            "pk", "period_id", "unit_id"
        )
    )
    started = set(
        UnitReport.objects.filter(
            period_id__in={period for _pk, period, _unit in asked}, unit_id__in=successors
        ).values_list("period_id", "unit_id")
    )
    RequiredUnit.objects.bulk_create(
        [
            RequiredUnit(period_id=period, unit_id=successor.pk)
            for _pk, period, unit in asked
            for successor in successors[unit]
        ],
        ignore_conflicts=True,
    )
    RequiredUnit.objects.filter(
        pk__in=[pk for pk, period, unit in asked if (period, unit) not in started]
    ).delete()
