"""What org tells the apps above it. org sits below tasks, indicators and reporting, so it never
calls them: they listen.

`units_restructured` — sent by org.services.merge_units and split_unit INSIDE their transaction,
after the predecessors are closed (`active_to` = the day before `on`), the successors exist and
the accounts have moved. A receiver's writes are part of the same unit of work: if a receiver
raises, the whole merge or split is rolled back and the caller sees the error. Receivers are
called with `send`, not `send_robust`, for that reason; keep them quick (one transaction holds
the tree).

Keyword arguments (sender is org.models.UnitChange):

- `change`: the UnitChange row (kind "merge" or "split", `effective_on`, `reason`, `actor`).
- `moves`: a tuple of (predecessor, successor) Unit pairs — a merge has one pair per predecessor,
  all to the same successor; a split has one pair per successor, all from the same predecessor.
  What a receiver carries along each pair is its own rule (e.g. an open task assignment of the
  predecessor carried to its successor, or to every successor of a split).
- `on`: the date the change took effect, the first day under the successors. Data dated before
  it stay with the predecessors (they roll up as they did); from it on, with the successors.
- `actor`: the account that recorded the change (for the receivers' own history rows).
- `reason`: the reason or legal basis given (e.g. "Nghị quyết 1678/NQ-UBTVQH15").

Receivers today: reporting.receivers.carry_required_units (periods still running ask the
successors instead of the predecessors) and tasks.receivers.carry_assignments (open task
assignments end the day before and go on under the successors).

`unit_closed` — sent by org.services.close_unit INSIDE its transaction, after the unit is ended
(a unit dissolved with no successor). Same rules as above: a receiver raising rolls the closure
back. Keyword arguments (sender is org.models.Unit): `unit` (closed, locked), `active_to` (its
last day), `actor`, `reason`. A receiver returns a `ClosureEffect` saying what it ended (or
None): close_unit hands them to its caller, the closing page shows them.
Receiver today: tasks.receivers.end_closed_unit_assignments.

`closure_preview` — sent by org.queries.closure_effects, read-only, for the closing page
before it is confirmed: the same receivers' apps say what closing `unit` would end, as a
`ClosureEffect` (or None). Keyword argument: `unit`.
Receiver today: tasks.receivers.preview_closure."""

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

units_restructured = Signal()
unit_closed = Signal()
closure_preview = Signal()


@dataclass(frozen=True)
class ClosureEffect:
    """What closing a unit ends (or would end) in one app above org, in the officer's words:
    `summary` with its `count` (e.g. the open task assignments ended on the unit's last day);
    `left_behind`, one name per thing nobody carries on after the closure (e.g. a task with
    no other assignee), under `left_behind_note` (what the officer should do about them)."""

    summary: str
    count: int
    left_behind: tuple[str, ...] = ()
    left_behind_note: str = ""


def effects_of(responses: list[tuple[Any, Any]]) -> tuple[ClosureEffect, ...]:
    """The effects the receivers of `unit_closed` or `closure_preview` returned, in order."""
    return tuple(
        response for _receiver, response in responses if isinstance(response, ClosureEffect)
    )
