"""Timeliness as of a date — derived from status events, never typed. Pure functions on plain
values, so the rules are tested exhaustively (hypothesis) apart from the database.

Colours, as the national portal uses them: Xanh (green) = completed on time, completed late,
in progress, recurring and not started while on time; Vàng (yellow) = on time but at risk;
Đỏ (red) = overdue, paused, proposed for removal and not yet removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    RECURRING = "recurring", _("Thường xuyên")
    PAUSED = "paused", _("Tạm dừng")
    PROPOSED_REMOVAL = "proposed_removal", _("Đề nghị đưa ra khỏi nhiệm vụ")
    REMOVED = "removed", _("Đã đưa ra khỏi nhiệm vụ")


class Timeliness(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    RECURRING = "recurring"
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"
    PAUSED = "paused"
    PROPOSED_REMOVAL = "proposed_removal"


COMPLETED = frozenset({Timeliness.COMPLETED_ON_TIME, Timeliness.COMPLETED_LATE})
ON_TIME = frozenset({Timeliness.IN_PROGRESS, Timeliness.RECURRING, Timeliness.NOT_STARTED})
NOT_ON_TIME = frozenset({Timeliness.OVERDUE, Timeliness.PAUSED, Timeliness.PROPOSED_REMOVAL})
# For a task with several assignees, the least advanced unfinished one decides.
_WORST_FIRST = (
    Timeliness.OVERDUE,
    Timeliness.PAUSED,
    Timeliness.PROPOSED_REMOVAL,
    Timeliness.IN_PROGRESS,
    Timeliness.RECURRING,
    Timeliness.NOT_STARTED,
)


class Colour(StrEnum):
    GREEN = "xanh"
    YELLOW = "vang"
    RED = "do"


@dataclass(frozen=True)
class Snapshot:
    """An assignee's latest status event on or before the date asked about."""

    status: str
    effective: date
    progress: int


@dataclass(frozen=True)
class RiskRules:
    """At risk: deadline within `days` and progress below `min_progress` %, or progress more
    than `max_lag` points behind a straight line from start to deadline."""

    days: int = 30
    min_progress: int = 50
    max_lag: int = 25


@dataclass(frozen=True)
class Verdict:
    timeliness: Timeliness
    at_risk: bool = False

    @property
    def colour(self) -> Colour:
        if self.timeliness in NOT_ON_TIME:
            return Colour.RED
        return Colour.YELLOW if self.at_risk else Colour.GREEN


@dataclass(frozen=True)
class Schedule:
    start: date | None
    deadline: date | None  # None: recurring ("thường xuyên")


def _behind(progress: int, schedule: Schedule, as_of: date, rules: RiskRules) -> bool:
    deadline = schedule.deadline
    if deadline is None or as_of > deadline:
        return False
    if (deadline - as_of).days <= rules.days and progress < rules.min_progress:
        return True
    start = schedule.start
    if start is None or start >= deadline or as_of <= start:
        return False
    expected = 100 * (as_of - start).days / (deadline - start).days
    return expected - progress > rules.max_lag


class Facts(NamedTuple):
    """What a verdict reads of the latest event: its status, its progress, and its date only
    as "after the deadline". Bulk readers get these from the database (tasks.queries), where
    assignees that share them (a commune task's hundred) are classified once."""

    status: str
    progress: int
    after_deadline: bool


NO_EVENT = Facts(Status.NOT_STARTED, 0, False)  # an assignee that has said nothing yet


def classify_assignee(
    state: Snapshot | None, schedule: Schedule, as_of: date, rules: RiskRules
) -> Verdict | None:
    """One assignee's verdict as of `as_of`; None once removed (it leaves every count)."""
    if state is None:
        return classify_facts(NO_EVENT, schedule, as_of, rules)
    late = schedule.deadline is not None and state.effective > schedule.deadline
    return classify_facts(Facts(state.status, state.progress, late), schedule, as_of, rules)


def classify_facts(
    facts: Facts, schedule: Schedule, as_of: date, rules: RiskRules
) -> Verdict | None:
    """`classify_assignee` from the facts it reads."""
    if facts.status == Status.REMOVED:
        return None
    if facts.status == Status.COMPLETED:
        late = facts.after_deadline
        return Verdict(Timeliness.COMPLETED_LATE if late else Timeliness.COMPLETED_ON_TIME)
    if facts.status in (Status.PAUSED, Status.PROPOSED_REMOVAL):
        return Verdict(Timeliness(facts.status))
    if schedule.deadline is not None and as_of > schedule.deadline:
        return Verdict(Timeliness.OVERDUE)
    bucket = Timeliness(facts.status)  # in progress, recurring or not started
    return Verdict(bucket, at_risk=_behind(facts.progress, schedule, as_of, rules))


def combine(verdicts: Sequence[Verdict | None]) -> Verdict | None:
    """A task's verdict from its assignees': completed only when every one has completed (late if
    any was late); otherwise the least advanced unfinished assignee decides."""
    present = [v for v in verdicts if v is not None]
    if not present:
        return None
    unfinished = [v for v in present if v.timeliness not in COMPLETED]
    if not unfinished:
        late = any(v.timeliness is Timeliness.COMPLETED_LATE for v in present)
        return Verdict(Timeliness.COMPLETED_LATE if late else Timeliness.COMPLETED_ON_TIME)
    worst = min(unfinished, key=lambda v: _WORST_FIRST.index(v.timeliness)).timeliness
    if worst is Timeliness.NOT_STARTED and len(unfinished) < len(present):
        worst = Timeliness.IN_PROGRESS  # some assignees finished: the task is under way
    at_risk = worst in ON_TIME and any(v.at_risk for v in unfinished)
    return Verdict(worst, at_risk)
