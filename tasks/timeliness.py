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
from typing import TYPE_CHECKING, NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành")
    RECURRING = "recurring", _("Thường xuyên")
    PAUSED = "paused", _("Tạm dừng")
    PROPOSED_REMOVAL = "proposed_removal", _("Đề nghị đưa ra khỏi nhiệm vụ")
    REMOVED = "removed", _("Đã đưa ra khỏi nhiệm vụ")


class Group(models.TextChoices):
    """What the dashboard and every count show first: each Timeliness falls in one."""

    COMPLETED = "completed", _("Đã hoàn thành")
    ON_TIME = "on_time", _("Đang thực hiện trong hạn")
    NOT_ON_TIME = "not_on_time", _("Không đúng hạn")


class Timeliness(models.TextChoices):
    """A verdict's state, in words as the badge on a task shows it."""

    COMPLETED_ON_TIME = "completed_on_time", _("Hoàn thành đúng hạn")
    COMPLETED_LATE = "completed_late", _("Hoàn thành quá hạn")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    RECURRING = "recurring", _("Thường xuyên")
    NOT_STARTED = "not_started", _("Chưa triển khai")
    OVERDUE = "overdue", _("Quá hạn")
    PAUSED = "paused", _("Tạm dừng")
    PROPOSED_REMOVAL = "proposed_removal", _("Đề nghị đưa ra khỏi nhiệm vụ")

    @property
    def group(self) -> Group:
        return _GROUPS[self]

    @property
    def short_label(self) -> StrOrPromise:
        """The label under its group's heading, where "Hoàn thành" goes without saying."""
        return _SHORT_LABELS.get(self, self.label)


_GROUPS = {
    Timeliness.COMPLETED_ON_TIME: Group.COMPLETED,
    Timeliness.COMPLETED_LATE: Group.COMPLETED,
    Timeliness.IN_PROGRESS: Group.ON_TIME,
    Timeliness.RECURRING: Group.ON_TIME,
    Timeliness.NOT_STARTED: Group.ON_TIME,
    Timeliness.OVERDUE: Group.NOT_ON_TIME,
    Timeliness.PAUSED: Group.NOT_ON_TIME,
    Timeliness.PROPOSED_REMOVAL: Group.NOT_ON_TIME,
}
_SHORT_LABELS = {
    Timeliness.COMPLETED_ON_TIME: _("Đúng hạn"),
    Timeliness.COMPLETED_LATE: _("Quá hạn"),
}


def members(group: Group) -> tuple[Timeliness, ...]:
    return tuple(t for t in Timeliness if t.group is group)


COMPLETED = frozenset(members(Group.COMPLETED))
ON_TIME = frozenset(members(Group.ON_TIME))
NOT_ON_TIME = frozenset(members(Group.NOT_ON_TIME))

# Every count of tasks, in the order lists show them: all, each group followed by its members,
# and those at risk (still on time, behind their schedule). The keys of TaskStats and of the
# task list's `state`.
TOTAL, AT_RISK = "total", "at_risk"


def _stat_labels() -> dict[str, StrOrPromise]:
    labels: dict[str, StrOrPromise] = {TOTAL: _("Tổng số nhiệm vụ")}
    for group in Group:
        labels[group.value] = group.label
        labels.update((t.value, t.short_label) for t in members(group))
    return labels | {AT_RISK: _("Có nguy cơ chậm")}


STAT_LABELS = _stat_labels()
STAT_KEYS = tuple(STAT_LABELS)

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
    """`classify_assignee` from the facts it reads: THE verdict rule, which the task page,
    the lists, the dashboard, its trend (`tasks.trend`), the reports and the CLI all apply."""
    past_deadline = schedule.deadline is not None and as_of > schedule.deadline
    timeliness = timeliness_of(facts, past_deadline)
    if timeliness is None:
        return None
    at_risk = timeliness in ON_TIME and _behind(facts.progress, schedule, as_of, rules)
    return Verdict(timeliness, at_risk)


def timeliness_of(facts: Facts, past_deadline: bool) -> Timeliness | None:
    """The verdict without the risk test: None once removed (it leaves every count)."""
    if facts.status == Status.REMOVED:
        return None
    if facts.status == Status.COMPLETED:
        return Timeliness.COMPLETED_LATE if facts.after_deadline else Timeliness.COMPLETED_ON_TIME
    if facts.status in (Status.PAUSED, Status.PROPOSED_REMOVAL):
        return Timeliness(facts.status)
    if past_deadline:
        return Timeliness.OVERDUE
    return Timeliness(facts.status)  # in progress, recurring or not started


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
