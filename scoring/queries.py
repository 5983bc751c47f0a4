"""What scoring pages, exports, the command and the reports read: the scheme in force for a
month, a month's scorecards (computed from the facts, or as stored in its round), a unit's trend,
rank tables and the grade distribution. One computation (scoring.engine over scoring.facts),
many callers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from org import access
from org.access import Action
from org.models import Unit, User
from scoring.engine import (
    Cap,
    Card,
    CardLine,
    apply_cap,
    by_kind,
    cap_of,
    check_scheme,
    rank,
    score,
)
from scoring.facts import (
    TaskItem,
    UnitFacts,
    Window,
    finished,
    gather,
    kind_of,
    late_item,
    projected,
    units_of,
    window,
)
from scoring.models import (
    Contest,
    ContestState,
    Criterion,
    Grade,
    Line,
    Round,
    RoundState,
    Scheme,
    Scorecard,
    UnitKind,
)
from tasks.timeliness import Timeliness


def month_of(code: str) -> date:
    """The first day of a month written 2026-11 (ValueError otherwise)."""
    year, _sep, month = code.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(code)
    return date(int(year), int(month), 1)


def scheme_for(kind: str, month: date) -> Scheme | None:
    """The kind's scheme in force in the month (the latest from that month or before), with its
    criteria."""
    return (
        Scheme.objects.filter(kind=kind, valid_from__lte=month)
        .prefetch_related(Prefetch("criteria", Criterion.objects.order_by("order", "id")))
        .order_by("-valid_from")
        .first()
    )


def last_scored_month(kind: str) -> date | None:
    """The latest month some unit of the kind was scored in a round."""
    found = Scorecard.objects.filter(kind=kind).order_by("-round__month").first()
    return found.round.month if found else None


@dataclass(frozen=True)
class Computed:
    cards: list[Card]
    caps: list[Cap]


def compute(month: date, *, kinds: Sequence[str] = tuple(UnitKind.values)) -> Computed:
    """Every unit of the kinds scored for the month from the facts as of the cut-off, graded
    with the cap, ranked: what a round stores and `score_units` prints. A kind without a scheme
    in force is left out."""
    cards: list[Card] = []
    for kind in kinds:
        scheme = scheme_for(kind, month)
        if scheme is None:
            continue
        criteria = list(scheme.criteria.all())
        check_scheme(scheme, criteria)
        win = window(month, scheme.cutoff_day)
        facts = gather(units_of(kind, win), win)
        cards += [score(scheme, criteria, f, win, kind) for f in facts.values()]
    caps = apply_cap(cards)
    rank(cards)
    return Computed(cards, caps)


@dataclass(frozen=True)
class Live:
    """One unit's card computed now (no round yet, or a what-if): its grade is what its total
    gives, before any cap. `facts` are those it was computed from, as of `win.cutoff` (today,
    until the month's real `cutoff` has passed)."""

    card: Card
    scheme: Scheme
    criteria: list[Criterion]
    win: Window
    facts: UnitFacts
    cutoff: date


def live(unit: Unit, month: date, today: date | None = None) -> Live | None:
    """The unit's card for the month from the facts as they stand today (or at the cut-off
    once it has passed); None when no scheme of its kind is in force."""
    kind = kind_of(unit)
    scheme = scheme_for(kind, month) if kind else None
    if kind is None or scheme is None:
        return None
    criteria = list(scheme.criteria.all())
    check_scheme(scheme, criteria)
    full = window(month, scheme.cutoff_day)
    win = replace(full, cutoff=min(full.cutoff, today or timezone.localdate()))
    facts = gather(Unit.objects.filter(pk=unit.pk), win)[unit.pk]
    card = score(scheme, criteria, facts, win, kind)
    return Live(card, scheme, criteria, win, facts, full.cutoff)


@dataclass(frozen=True)
class WhatIf:
    """The card at the cut-off had the chosen tasks been completed on `on`, against the card at
    the cut-off if nothing more is done (`before`)."""

    card: Card
    before: Card
    chosen: list[TaskItem]
    on: date

    @property
    def gain(self) -> Decimal:
        return self.card.total - self.before.total


def open_items(lv: Live) -> list[TaskItem]:
    """The unit's unfinished tasks a what-if may finish: overdue, or due in the month; each
    once, the earliest deadline first."""
    seen: dict[int, TaskItem] = {}
    for item in sorted(lv.facts.late + lv.facts.due, key=lambda t: (t.deadline, t.code)):
        if item.is_open and item.timeliness is not Timeliness.PAUSED:
            seen.setdefault(item.assignment_id, item)
    return list(seen.values())


def _at_cutoff(lv: Live, done: dict[int, TaskItem]) -> Card:
    """The unit's card at the month's cut-off: the tasks in `done` completed as they say, every
    other one as it will stand then if nothing more is done."""
    full = replace(lv.win, cutoff=lv.cutoff)
    items = {t.assignment_id: t for t in lv.facts.late + lv.facts.due}
    settled = {pk: done.get(pk) or projected(t, lv.cutoff) for pk, t in items.items()}
    facts = copy(lv.facts)
    facts.due = [settled[t.assignment_id] for t in lv.facts.due]
    facts.late = [x for x in (late_item(t, full) for t in settled.values()) if x is not None]
    return score(lv.scheme, lv.criteria, facts, full, lv.card.kind)


def what_if(lv: Live, chosen: Sequence[int], on: date) -> WhatIf:
    """Score the unit at the cut-off as if the chosen assignments had been completed on `on`
    (the verdict from tasks.timeliness, through scoring.facts.finished)."""
    wanted = set(chosen)
    items = [t for t in open_items(lv) if t.assignment_id in wanted]
    full = replace(lv.win, cutoff=lv.cutoff)
    done = {t.assignment_id: finished(t, on, full) for t in items}
    return WhatIf(_at_cutoff(lv, done), _at_cutoff(lv, {}), items, on)


@dataclass(frozen=True)
class Suggestion:
    """ "Finish these 2 overdue tasks before 14/09: +6 points": what the head is shown."""

    items: list[TaskItem]
    on: date
    gain: Decimal
    overdue: bool


def suggestions(lv: Live) -> list[Suggestion]:
    """Finishing the overdue tasks today, and the tasks still due in the month on time: what
    each would gain at the cut-off (those that gain nothing are left out); nothing once the
    cut-off is past."""
    if lv.cutoff < timezone.localdate():
        return []
    found = []
    for overdue in (True, False):
        group = [t for t in open_items(lv) if (t.timeliness is Timeliness.OVERDUE) == overdue]
        if not group:
            continue
        # Overdue ones cost a day more every day: finishing them today is what counts. Those
        # still due in the month count on time if finished by the first of their deadlines.
        today = timezone.localdate()
        on = today if overdue else max(today, min(t.deadline for t in group))
        result = what_if(lv, [t.assignment_id for t in group], on)
        if result.gain > 0:
            found.append(Suggestion(group, result.on, result.gain, overdue))
    return found


# --- rounds as stored ------------------------------------------------------------------------


def round_of(month: date) -> Round | None:
    return Round.objects.filter(month=month).first()


def stored_cards(round_: Round, units: QuerySet[Unit] | None = None) -> list[Card]:
    """The round's scorecards (of `units` only, when given) as cards, ranked over the whole
    round: two queries."""
    scorecards = round_.scorecards.select_related("unit", "scheme").prefetch_related(
        Prefetch("lines", Line.objects.order_by("order", "id"))
    )
    cards = [_card(round_, s) for s in scorecards]
    rank(cards)
    if units is None:
        return cards
    wanted = set(units.values_list("pk", flat=True))
    return [c for c in cards if c.unit.pk in wanted]


def _card(round_: Round, scorecard: Scorecard) -> Card:
    lines = [
        CardLine(
            criterion_id=line.criterion_id,
            order=line.order,
            code=line.code,
            name=line.name,
            applies=line.applies,
            bonus=line.bonus,
            figure=line.figure,
            band=line.band,
            raw_points=line.raw_points,
            raw_max=line.raw_max,
            computed=line.computed,
            points=line.points,
            max_points=line.max_points,
            evidence=line.evidence,
        )
        for line in scorecard.lines.all()
    ]
    return Card(
        unit=scorecard.unit,
        kind=scorecard.kind,
        scheme=scorecard.scheme,
        month=round_.month,
        cutoff=scorecard.cutoff,
        lines=lines,
        total=scorecard.total,
        eligible=scorecard.eligible,
        grade=scorecard.grade,
        state=round_.state,
    )


def caps_of(cards: Sequence[Card]) -> list[Cap]:
    """The cap of each kind as it stands on stored cards."""
    return [cap_of(kind, group)[0] for kind, group in by_kind(cards).items()]


def sees_drafts(user: User, unit: Unit) -> bool:
    """A draft (or a computed card) is the standing office's and the unit's own business; a
    published month is read by whoever sees the unit (org.access)."""
    return access.can_everywhere(user, Action.MANAGE_PROGRAMME) or user.unit_id == unit.pk


def readable_units(user: User, round_: Round) -> QuerySet[Unit] | None:
    """The units whose scorecards of the round the user may read (None: every unit)."""
    if access.can_everywhere(user, Action.MANAGE_PROGRAMME):
        return None
    units: QuerySet[Unit] = access.units_visible_to(user)
    if round_.state != RoundState.PUBLISHED:
        units = units.filter(pk=user.unit_id)
    return units


# --- a unit over months, a month's grades ----------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: date
    total: float
    grade: str
    published: bool

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)


def trend(unit: Unit, until: date, months: int = 12) -> list[TrendPoint]:
    """The unit's score in each of the last `months` rounds up to `until`: one query."""
    rows = (
        Scorecard.objects.filter(unit=unit, round__month__lte=until)
        .select_related("round")
        .order_by("-round__month")[:months]
    )
    return [
        TrendPoint(s.round.month, float(s.total), s.grade, s.round.state == "published")
        for s in reversed(list(rows))
    ]


@dataclass(frozen=True)
class Distribution:
    """How many units of each kind got each grade in a month's round (published or not), with
    the links to each group's list."""

    month: date
    published: bool
    counts: dict[str, dict[str, int]]  # kind → grade → count

    def total(self, kind: str) -> int:
        return sum(self.counts.get(kind, {}).values())

    def count(self, kind: str, grade: str) -> int:
        return self.counts.get(kind, {}).get(grade, 0)


def grade_distribution(month: date, units: QuerySet[Unit] | None = None) -> Distribution | None:
    """The month's grades by kind (of `units` only, when given; None: every unit); None when
    the month has not been scored. One query."""
    round_ = round_of(month)
    return None if round_ is None else distribution(round_, units)


def distribution(round_: Round, units: QuerySet[Unit] | None = None) -> Distribution:
    """A round's grades by kind (of `units` only, when given): one query."""
    rows = round_.scorecards.all()
    if units is not None:
        rows = rows.filter(unit__in=units)
    counts: dict[str, Counter[str]] = {}
    for kind, grade in rows.values_list("kind", "grade"):
        counts.setdefault(kind, Counter())[grade] += 1
    return Distribution(
        month=round_.month,
        published=round_.state == "published",
        counts={k: {g: c[g] for g in Grade.values} for k, c in counts.items()},
    )


# --- what the homes and the dashboard read ----------------------------------------------------


def contest_window_open(round_: Round, today: date) -> bool:
    """The unit's head may still explain or contest a criterion: the month is a draft and its
    window has not closed (services.contest refuses otherwise)."""
    return round_.state == RoundState.DRAFT and today <= round_.contest_until


def latest_scorecard(unit: Unit) -> Scorecard | None:
    """The unit's scorecard of the latest month scored (draft or published), with its round,
    scheme and lines: two queries."""
    return (
        Scorecard.objects.filter(unit=unit)
        .select_related("round", "scheme")
        .prefetch_related(Prefetch("lines", Line.objects.order_by("order", "id")))
        .order_by("-round__month")
        .first()
    )


def latest_round(user: User) -> Round | None:
    """The latest month whose grades the user may count: any round for the standing office, a
    published one for everyone else (a draft is the office's and each unit's own business)."""
    rounds = Round.objects.order_by("-month")
    if not access.can_everywhere(user, Action.MANAGE_PROGRAMME):
        rounds = rounds.filter(state=RoundState.PUBLISHED)
    return rounds.first()


@dataclass(frozen=True)
class Contested:
    """A month with explanations or objections still waiting for the standing office."""

    round: Round
    count: int


def contested() -> list[Contested]:
    """Each month with open contests, the latest first, with how many: one query."""
    waiting = Q(scorecards__lines__contests__state=ContestState.OPEN)
    rounds = (
        Round.objects.annotate(n=Count("scorecards__lines__contests", filter=waiting))
        .filter(n__gt=0)
        .order_by("-month")
    )
    return [Contested(r, r.n) for r in rounds]


def contested_units(round_: Round) -> set[int]:
    """The units of the round with a contest still open (the round page's `contested` filter)."""
    open_ = Contest.objects.filter(line__scorecard__round=round_, state=ContestState.OPEN)
    return set(open_.values_list("line__scorecard__unit", flat=True))
