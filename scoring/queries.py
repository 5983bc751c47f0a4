"""What scoring pages, exports, the command and the reports read: the scheme in force for a
month, a month's scorecards (computed from the facts, or as stored in its round), a unit's trend,
rank tables and the grade distribution. One computation (scoring.engine over scoring.facts),
many callers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from org import access
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
from scoring.facts import UnitFacts, Window, gather, kind_of, units_of, window
from scoring.models import Criterion, Grade, Line, Round, Scheme, Scorecard, UnitKind


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
        units = list(units_of(kind, win).order_by("path"))
        facts = gather(units, win)
        cards += [score(scheme, criteria, facts[u.pk], win, kind) for u in units]
    caps = apply_cap(cards)
    rank(cards)
    return Computed(cards, caps)


@dataclass(frozen=True)
class Live:
    """One unit's card computed now (no round yet, or a what-if): its grade is what its total
    gives, before any cap. `facts` are those it was computed from."""

    card: Card
    scheme: Scheme
    criteria: list[Criterion]
    win: Window
    facts: UnitFacts

    def rescored(self, facts: UnitFacts) -> Card:
        return score(self.scheme, self.criteria, facts, self.win, self.card.kind)


def live(unit: Unit, month: date, today: date | None = None) -> Live | None:
    """The unit's card for the month from the facts as they stand today (or at the cut-off
    once it has passed); None when no scheme of its kind is in force."""
    kind = kind_of(unit)
    scheme = scheme_for(kind, month) if kind else None
    if kind is None or scheme is None:
        return None
    criteria = list(scheme.criteria.all())
    check_scheme(scheme, criteria)
    win = window(month, scheme.cutoff_day)
    win = replace(win, cutoff=min(win.cutoff, today or timezone.localdate()))
    facts = gather([unit], win)[unit.pk]
    return Live(score(scheme, criteria, facts, win, kind), scheme, criteria, win, facts)


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
        unit=scorecard.unit, kind=scorecard.kind, scheme=scorecard.scheme, month=round_.month,
        cutoff=scorecard.cutoff, lines=lines, total=scorecard.total, eligible=scorecard.eligible,
        grade=scorecard.grade, state=round_.state,
    )  # fmt: skip


def caps_of(cards: Sequence[Card]) -> list[Cap]:
    """The cap of each kind as it stands on stored cards."""
    return [cap_of(kind, group)[0] for kind, group in by_kind(cards).items()]


def visible_units(user: User) -> QuerySet[Unit]:
    return access.units_visible_to(user)


# --- a unit over months, a month's grades ----------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    month: date
    total: float
    grade: str
    published: bool


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


def grade_distribution(month: date, units: QuerySet[Unit] | None = None) -> Distribution | None:
    """The month's grades by kind (of `units` only, when given; None: every unit); None when
    the month has not been scored. One query."""
    round_ = round_of(month)
    if round_ is None:
        return None
    rows = round_.scorecards.all()
    if units is not None:
        rows = rows.filter(unit__in=units)
    counts: dict[str, Counter[str]] = {}
    for kind, grade in rows.values_list("kind", "grade"):
        counts.setdefault(kind, Counter())[grade] += 1
    return Distribution(
        month=month,
        published=round_.state == "published",
        counts={k: {g: c[g] for g in Grade.values} for k, c in counts.items()},
    )
