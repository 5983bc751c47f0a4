"""Scores from facts: pure functions, no query. Each criterion's fact is measured (a percentage,
or cases, days late and reports not sent), turned into points by its method (bands,
proportional, deduction, capped bonus), and the points of the criteria that do not apply to a
unit are shared out among the others in proportion to their maximum ("giảm trừ điểm tối đa"):
the criteria shown always add up to the total. Grades follow the scheme's bands (Decree
335/2025/NĐ-CP), then the cap on "xuất sắc" across the units of the kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache, partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.timezone import get_default_timezone
from django.utils.translation import get_language, gettext

from nq57.links import cached_reverse
from org.models import Unit
from scoring.facts import UnitFacts, Window
from scoring.models import Criterion, Fact, Grade, Method, Scheme, UnitKind
from tasks.timeliness import Timeliness

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# A scorecard's words are written once, when it is scored, in the house style (02/10/2025,
# 229.413, 87,3): formatted here rather than through Django's localisation, which a country's
# communes (tens of thousands of figures and dates) would wait seconds for.


def _number(value: Decimal, places: int) -> str:
    text = f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.rstrip("0").rstrip(",") if "," in text else text


def points_text(value: Decimal) -> str:
    """8 — 8,5 — 11,11: as many decimals as it has, comma as the separator."""
    return _number(cents(value), 2)


def percent_text(value: Decimal) -> str:
    """87,3% — 100%."""
    return _number(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1) + "%"


def day_text(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def moment_text(value: datetime) -> str:
    """25/09/2025 17:00, local time."""
    return f"{value.astimezone(get_default_timezone()):%d/%m/%Y %H:%M}"


Translate = Callable[[str], str]


@lru_cache(maxsize=512)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def translator() -> Translate:
    """gettext in the current language, each sentence looked up once: the same few sentences
    are written for every unit (the functions below take it as `_`, which is what
    makemessages reads)."""
    return partial(_translated, language=get_language())


def _(message: str) -> str:
    return translator()(message)


# --- measuring a fact ------------------------------------------------------------------------


@dataclass
class Measure:
    """A fact for one unit: whether it applies, its percentage (percentage facts) or its counts
    (cases, days late, reports not sent), in words, and the records behind it."""

    applies: bool
    percent: Decimal | None = None
    count: int = 0
    days: int = 0
    missed: int = 0
    figure: str = ""
    evidence: list[dict[str, str]] = field(default_factory=list)


def _ratio(done: int, of: int) -> Decimal:
    return HUNDRED * done / of if of else ZERO


def _evidence(label: str, url: str, note: str = "") -> dict[str, str]:
    return {"label": label, "url": url, "note": note}


def _task_url(code: str) -> str:
    return cached_reverse("tasks:task_detail", code)


def _product_url(pk: int) -> str:
    return cached_reverse("products:detail", str(pk))


def measure(criterion: Criterion, facts: UnitFacts, win: Window, _: Translate = _) -> Measure:
    types = criterion.unit_types or []
    if types and facts.unit.unit_type not in types:
        return Measure(False, figure=_("Tiêu chí không áp dụng cho loại đơn vị này."))
    return _MEASURES[Fact(criterion.fact)](facts, win, _)


def _tasks_on_time(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    due = facts.due
    if not due:
        return Measure(False, figure=_("Không có nhiệm vụ đến hạn trong tháng."))
    done = sum(1 for t in due if t.timeliness is Timeliness.COMPLETED_ON_TIME)
    percent = _ratio(done, len(due))
    figure = _("%(done)s/%(total)s nhiệm vụ đến hạn trong tháng hoàn thành đúng hạn (%(pct)s)") % {
        "done": done,
        "total": len(due),
        "pct": percent_text(percent),
    }
    evidence = [
        _evidence(
            f"{t.code} — {t.title}",
            _task_url(t.code),
            _("thời hạn %(day)s: %(state)s")
            % {"day": day_text(t.deadline), "state": t.timeliness.label},
        )
        for t in due
    ]
    return Measure(True, percent=percent, figure=figure, evidence=evidence)


def _overdue(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    if not facts.has_tasks:
        return Measure(False, figure=_("Không có nhiệm vụ đến hạn đến ngày chốt số liệu."))
    late = facts.late
    days = sum(t.days_late for t in late)
    figure = _("%(n)s nhiệm vụ quá hạn, %(days)s ngày chậm (từ %(since)s đến %(cutoff)s)") % {
        "n": len(late),
        "days": days,
        "since": day_text(win.first),
        "cutoff": day_text(win.cutoff),
    }
    evidence = []
    for t in late:
        if t.timeliness is Timeliness.OVERDUE:
            note = _("thời hạn %(day)s, chưa hoàn thành: %(days)s ngày chậm trong kỳ") % {
                "day": day_text(t.deadline),
                "days": t.days_late,
            }
        else:
            note = _("thời hạn %(day)s, hoàn thành %(done)s: %(days)s ngày chậm trong kỳ") % {
                "day": day_text(t.deadline),
                "done": day_text(t.done_on or t.deadline),
                "days": t.days_late,
            }
        evidence.append(_evidence(f"{t.code} — {t.title}", _task_url(t.code), note))
    return Measure(True, count=len(late), days=days, figure=figure, evidence=evidence)


def _reports(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    reports = facts.reports
    if not reports:
        return Measure(False, figure=_("Không có báo cáo đến hạn trong tháng."))
    late = [r for r in reports if r.days_late]
    missed = [r for r in reports if r.submitted_at is None]
    days = sum(r.days_late for r in late)
    figure = _(
        "%(n)s báo cáo đến hạn: %(on_time)s đúng hạn, %(late)s nộp muộn (%(days)s ngày), "
        "%(missed)s không nộp đến ngày chốt"
    ) % {
        "n": len(reports),
        "on_time": len(reports) - len(late) - len(missed),
        "late": len(late),
        "days": days,
        "missed": len(missed),
    }
    evidence = []
    for r in reports:
        due = moment_text(r.due_at)
        if r.submitted_at is None:
            note = _("hạn %(due)s: chưa nộp") % {"due": due}
        elif r.days_late:
            note = _("hạn %(due)s: nộp %(at)s, muộn %(days)s ngày") % {
                "due": due,
                "at": moment_text(r.submitted_at),
                "days": r.days_late,
            }
        else:
            note = _("hạn %(due)s: nộp đúng hạn") % {"due": due}
        url = cached_reverse("reporting:report", r.period_code, facts.unit.code)
        evidence.append(_evidence(r.title, url, note))
    return Measure(
        True, count=len(late), days=days, missed=len(missed), figure=figure, evidence=evidence
    )


def _indicators(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    items = facts.indicators
    if not items:
        return Measure(False, figure=_("Đơn vị không có chỉ tiêu có kế hoạch trong tháng."))
    met = sum(1 for i in items if i.met)
    percent = _ratio(met, len(items))
    figure = _("%(met)s/%(total)s chỉ tiêu đạt kế hoạch (%(pct)s)") % {
        "met": met,
        "total": len(items),
        "pct": percent_text(percent),
    }
    base = cached_reverse("indicators:list").rstrip("/")
    evidence = [
        _evidence(
            f"{i.code} — {i.name}",
            f"{base}/{i.code}/?period={i.period_code}&unit={facts.unit.code}"
            f"&as_of={win.cutoff:%d/%m/%Y}",
            (_("đạt") if i.met else _("chưa đạt")) + f" ({i.period_code})",
        )
        for i in items
    ]
    return Measure(True, percent=percent, figure=figure, evidence=evidence)


def _milestones(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    items = facts.milestones
    if not items:
        return Measure(False, figure=_("Không có mốc sản phẩm đến hạn trong tháng."))
    done = sum(1 for m in items if m.on_time)
    percent = _ratio(done, len(items))
    figure = _("%(done)s/%(total)s mốc sản phẩm hoàn thành đúng hạn (%(pct)s)") % {
        "done": done,
        "total": len(items),
        "pct": percent_text(percent),
    }
    evidence = []
    for m in items:
        if m.done_on is None:
            note = _("hạn %(day)s: chưa hoàn thành") % {"day": day_text(m.due_on)}
        else:
            note = _("hạn %(day)s: hoàn thành %(done)s") % {
                "day": day_text(m.due_on),
                "done": day_text(m.done_on),
            }
        evidence.append(
            _evidence(f"{m.product_title}: {m.title}", _product_url(m.product_id), note)
        )
    return Measure(True, percent=percent, figure=figure, evidence=evidence)


def _violations(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    if not facts.checked:
        return Measure(False, figure=_("Đơn vị không có kỳ báo cáo số liệu đến hạn trong tháng."))
    found = facts.violations
    figure = _("%(n)s lỗi số liệu (kỳ %(periods)s)") % {
        "n": len(found),
        "periods": ", ".join(facts.checked),
    }
    base = cached_reverse("indicators:violations")
    evidence = [_evidence(v.message, f"{base}?period={v.period_code}", v.rule) for v in found]
    return Measure(True, count=len(found), figure=figure, evidence=evidence)


def _exceeded(facts: UnitFacts, win: Window, _: Translate) -> Measure:
    found = facts.exceeded
    figure = _("%(n)s sản phẩm được đánh giá vượt") % {"n": len(found)}
    evidence = [_evidence(f"{p.code} — {p.title}", _product_url(p.product_id)) for p in found]
    return Measure(True, count=len(found), figure=figure, evidence=evidence)


_MEASURES = {
    Fact.TASKS_ON_TIME: _tasks_on_time,
    Fact.OVERDUE_TASKS: _overdue,
    Fact.REPORTS: _reports,
    Fact.INDICATORS: _indicators,
    Fact.MILESTONES: _milestones,
    Fact.VIOLATIONS: _violations,
    Fact.PRODUCTS_EXCEEDED: _exceeded,
}


# --- points ----------------------------------------------------------------------------------


def bands_of(criterion: Criterion) -> list[tuple[Decimal, Decimal]]:
    """The criterion's bands as (from %, points), highest first."""
    pairs = [(Decimal(str(f)), Decimal(str(p))) for f, p in criterion.bands or []]
    return sorted(pairs, reverse=True)


def points(criterion: Criterion, found: Measure, _: Translate = _) -> tuple[Decimal, str]:
    """The points a measured fact earns under the criterion's method, and how (in words)."""
    top = criterion.max_points
    if criterion.method == Method.BANDS:
        return _banded(criterion, found.percent or ZERO, _)
    if criterion.method == Method.PROPORTIONAL:
        earned = cents(top * (found.percent or ZERO) / HUNDRED)
        return earned, f"{points_text(top)} × {percent_text(found.percent or ZERO)}"
    if criterion.method == Method.DEDUCT:
        terms = [
            (criterion.per_item, found.count, _("trường hợp")),
            (criterion.per_day, found.days, _("ngày chậm")),
            (criterion.per_missed, found.missed, _("báo cáo không nộp")),
        ]
        used = [(each, n, what) for each, n, what in terms if each and n]
        off = sum((each * n for each, n, _what in used), ZERO)
        earned = max(ZERO, top - off)
        if not used:
            return top, _("không bị trừ điểm")
        steps = " + ".join(f"{points_text(each)} × {n} {what}" for each, n, what in used)
        return cents(earned), f"{points_text(top)} − ({steps})" + (
            _(" (không dưới 0)") if off > top else ""
        )
    earned = min(top, criterion.per_item * found.count)  # a bonus, capped by its maximum
    how = f"{points_text(criterion.per_item)} × {found.count}"
    if criterion.per_item * found.count > top:
        how += _(" (tối đa %(cap)s)") % {"cap": points_text(top)}
    return cents(earned), how


def _banded(criterion: Criterion, percent: Decimal, _: Translate) -> tuple[Decimal, str]:
    bands = bands_of(criterion)
    upper: Decimal | None = None
    for low, earned in bands:
        if percent >= low:
            earned = min(earned, criterion.max_points)
            if upper is None:
                band = _("từ %(low)s trở lên") % {"low": percent_text(low)}
            else:
                band = _("từ %(low)s đến dưới %(high)s") % {
                    "low": percent_text(low),
                    "high": percent_text(upper),
                }
            return earned, _("%(band)s → %(points)s điểm") % {
                "band": band,
                "points": points_text(earned),
            }
        upper = low
    lowest = bands[-1][0] if bands else ZERO
    return ZERO, _("dưới %(low)s → 0 điểm") % {"low": percent_text(lowest)}


# --- a scorecard -----------------------------------------------------------------------------


@dataclass
class CardLine:
    criterion_id: int
    order: int
    code: str
    name: str
    applies: bool
    bonus: bool
    figure: str
    band: str
    raw_points: Decimal
    raw_max: Decimal
    computed: Decimal  # after sharing out (what the scheme gives)
    points: Decimal  # what counts: the computed points, or the standing office's adjustment
    max_points: Decimal
    evidence: list[dict[str, str]]

    @property
    def adjusted(self) -> bool:
        return self.points != self.computed


@dataclass
class Card:
    """A unit's scorecard for a month, computed (`state` "computed") or as stored in a round
    ("draft", "published"): what the pages, the exports and `score_units` show."""

    unit: Unit
    kind: str
    scheme: Scheme
    month: date
    cutoff: date
    lines: list[CardLine]
    total: Decimal
    eligible: str
    grade: str
    state: str = "computed"
    rank: int | None = None

    @property
    def capped(self) -> bool:
        return self.grade != self.eligible

    @property
    def grade_label(self) -> str:
        return str(Grade(self.grade).label)

    @property
    def eligible_label(self) -> str:
        return str(Grade(self.eligible).label)

    @property
    def shared_out(self) -> list[CardLine]:
        """The criteria that do not apply, whose points went to the others."""
        return [line for line in self.lines if not line.applies and not line.bonus]

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "kind": self.kind,
            "month": f"{self.month:%Y-%m}",
            "cutoff": self.cutoff.isoformat(),
            "state": self.state,
            "scheme": self.scheme.name,
            "total": float(self.total),
            "grade": self.grade,
            "grade_name": self.grade_label,
            "eligible_grade": self.eligible,
            "rank": self.rank,
            "criteria": [
                {
                    "code": line.code,
                    "name": line.name,
                    "applies": line.applies,
                    "bonus": line.bonus,
                    "figure": line.figure,
                    "band": line.band,
                    "raw_points": float(line.raw_points),
                    "raw_max_points": float(line.raw_max),
                    "computed_points": float(line.computed),
                    "points": float(line.points),
                    "max_points": float(line.max_points),
                    "evidence": line.evidence,
                }
                for line in self.lines
            ],
        }


def check_scheme(scheme: Scheme, criteria: Sequence[Criterion]) -> None:
    """A scheme scores only when its criteria (bonuses aside) add up to its total."""
    base = sum((c.max_points for c in criteria if not c.is_bonus), ZERO)
    if base != scheme.total_points:
        raise ValidationError(
            _(
                "Phương án “%(name)s”: tổng điểm tối đa các tiêu chí (không kể điểm thưởng) là "
                "%(sum)s, phải bằng %(total)s."
            )
            % {
                "name": scheme.name,
                "sum": points_text(base),
                "total": points_text(scheme.total_points),
            }
        )


def score(
    scheme: Scheme, criteria: Sequence[Criterion], facts: UnitFacts, win: Window, kind: str
) -> Card:
    """One unit's card (its grade before the cap: see `apply_cap`)."""
    raw = []
    tr = translator()
    for criterion in criteria:
        found = measure(criterion, facts, win, tr)
        earned, how = points(criterion, found, tr) if found.applies else (ZERO, "")
        raw.append((criterion, found, earned, how))
    applicable = sum(
        (c.max_points for c, found, _e, _h in raw if found.applies and not c.is_bonus), ZERO
    )
    factor = scheme.total_points / applicable if applicable else ZERO
    lines = []
    for criterion, found, earned, how in raw:
        scale = Decimal(1) if criterion.is_bonus else factor
        shown = cents(earned * scale) if found.applies else ZERO
        lines.append(
            CardLine(
                criterion_id=criterion.pk,
                order=criterion.order,
                code=criterion.code,
                name=criterion.name,
                applies=found.applies,
                bonus=criterion.is_bonus,
                figure=found.figure,
                band=how,
                raw_points=earned,
                raw_max=criterion.max_points,
                computed=shown,
                points=shown,
                max_points=cents(criterion.max_points * scale) if found.applies else ZERO,
                evidence=found.evidence,
            )
        )
    total = sum((line.points for line in lines), ZERO)
    grade = grade_of(scheme, total)
    return Card(facts.unit, kind, scheme, win.month, win.cutoff, lines, total, grade, grade)


def grade_of(scheme: Scheme, total: Decimal) -> str:
    if total >= scheme.excellent_from:
        return Grade.EXCELLENT
    if total >= scheme.good_from:
        return Grade.GOOD
    if total >= scheme.done_from:
        return Grade.DONE
    return Grade.NOT_DONE


@dataclass(frozen=True)
class Cap:
    """The cap on "xuất sắc" among one kind's units: `candidates` scored enough for it,
    `allowed` may have it (the final number of "xuất sắc" at most `percent` of the final number
    of "tốt"; tied totals at the limit are all left out rather than picked between)."""

    kind: str
    percent: Decimal
    candidates: int
    good: int  # the final number graded "tốt", those moved down included
    allowed: int
    limit: int  # what the percentage alone allows (more than `allowed` when ties were left out)

    @property
    def applied(self) -> bool:
        return self.allowed < self.candidates

    @property
    def label(self) -> str:
        return str(UnitKind(self.kind).label)


def apply_cap(cards: Sequence[Card]) -> list[Cap]:
    """Set each card's grade from its eligible grade and the cap of its kind (same scheme)."""
    caps = []
    for kind, group in by_kind(cards).items():
        cap, moved = cap_of(kind, group)
        for card in group:
            card.grade = Grade.GOOD if card in moved else card.eligible
        caps.append(cap)
    return caps


def by_kind(cards: Iterable[Card]) -> dict[str, list[Card]]:
    groups: dict[str, list[Card]] = {}
    for card in cards:
        groups.setdefault(card.kind, []).append(card)
    return groups


def cap_of(kind: str, cards: Sequence[Card]) -> tuple[Cap, list[Card]]:
    """The cap among one kind's cards, and the candidates it moves down to "tốt"."""
    percent = cards[0].scheme.excellent_cap_percent
    candidates = sorted(
        (c for c in cards if c.eligible == Grade.EXCELLENT), key=lambda c: c.total, reverse=True
    )
    good = sum(1 for c in cards if c.eligible == Grade.GOOD)
    allowed = limit = len(candidates)
    if percent > 0:
        # k ≤ p% × (good + candidates − k)  ⇔  k ≤ p × (good + candidates) / (100 + p)
        allowed = min(allowed, int(percent * (good + len(candidates)) / (HUNDRED + percent)))
        limit = allowed
        while 0 < allowed < len(candidates) and (
            candidates[allowed].total == candidates[allowed - 1].total
        ):
            allowed -= 1
    moved = candidates[allowed:]
    cap = Cap(kind, percent, len(candidates), good + len(moved), allowed, limit)
    return cap, moved


def rank(cards: Iterable[Card]) -> None:
    """Rank by total within each kind, ties sharing a rank (1, 2, 2, 4)."""
    for group in by_kind(cards).values():
        group.sort(key=lambda c: (-c.total, c.unit.path))
        for position, card in enumerate(group, start=1):
            before = group[position - 2] if position > 1 else None
            card.rank = before.rank if before and before.total == card.total else position
