"""The scoring rules on plain values: bands at their edges, proportional points, deductions that
stop at 0, a bonus at its cap, points shared out when a criterion does not apply, grades, the
cap on "xuất sắc" (ties at the limit) and ranks that share (1, 2, 2, 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from org.models import Unit
from scoring.engine import Card, Measure, apply_cap, cap_of, grade_of, points, rank
from scoring.models import Criterion, Fact, Grade, Method, Scheme

D = Decimal


def criterion(method: str, top: int, **extra: object) -> Criterion:
    return Criterion(
        code="X", name="X", fact=Fact.TASKS_ON_TIME, method=method, max_points=D(top), **extra
    )


BANDS = criterion(Method.BANDS, 10, bands=[["100", "10"], ["90", "8"], ["70", "5"]])


@pytest.mark.parametrize(
    ("percent", "earned", "how"),
    [
        ("100", 10, "từ 100% trở lên → 10 điểm"),
        ("99.99", 8, "từ 90% đến dưới 100% → 8 điểm"),
        ("90", 8, "từ 90% đến dưới 100% → 8 điểm"),
        ("89.9", 5, "từ 70% đến dưới 90% → 5 điểm"),
        ("69.9", 0, "dưới 70% → 0 điểm"),
    ],
)
def test_bands_at_their_edges(percent: str, earned: int, how: str) -> None:
    assert points(BANDS, Measure(True, percent=D(percent))) == (D(earned), how)


def test_proportional() -> None:
    found = points(criterion(Method.PROPORTIONAL, 15), Measure(True, percent=D(2) / 3 * 100))
    assert found == (D("10.00"), "15 × 66,7%")


def test_deduction_per_case_day_and_missed_stops_at_zero() -> None:
    rule = criterion(Method.DEDUCT, 20, per_item=D(2), per_day=D("0.5"), per_missed=D(10))
    assert points(rule, Measure(True, count=1, days=3, missed=1)) == (
        D("6.50"),
        "20 − (2 × 1 trường hợp + 0,5 × 3 ngày chậm + 10 × 1 báo cáo không nộp)",
    )
    assert points(rule, Measure(True, count=2, days=40))[0] == 0
    assert points(rule, Measure(True)) == (D(20), "không bị trừ điểm")


def test_bonus_is_capped_by_its_maximum() -> None:
    rule = criterion(Method.BONUS, 3, per_item=D(2))
    assert points(rule, Measure(True, count=1)) == (D(2), "2 × 1")
    assert points(rule, Measure(True, count=2)) == (D(3), "2 × 2 (tối đa 3)")


def scheme(cap: Decimal | None = None) -> Scheme:
    return Scheme(
        name="S",
        total_points=D(100),
        excellent_from=D(90),
        good_from=D(70),
        done_from=D(50),
        excellent_cap_percent=D(20) if cap is None else cap,
    )


SCHEME = scheme()


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("70", Grade.GOOD),
        ("69.99", Grade.DONE),
        ("50", Grade.DONE),
        ("49.99", Grade.NOT_DONE),
    ],
)
def test_grades_by_decree_335_bands(total: str, grade: str) -> None:
    assert grade_of(SCHEME, D(total)) == grade


def card(code: str, total: str, kind: str = "commune") -> Card:
    grade = grade_of(SCHEME, D(total))
    unit = Unit(code=code, path=code)
    return Card(unit, kind, SCHEME, date(2025, 9, 1), date(2025, 10, 5), [], D(total), grade, grade)


def test_the_cap_keeps_excellent_within_20_percent_of_good() -> None:
    cards = [card(f"E{n}", str(99 - n)) for n in range(5)] + [
        card(f"G{n}", "80") for n in range(10)
    ]
    (cap,) = apply_cap(cards)
    # k ≤ 20% × (10 + 5 − k) ⇔ k ≤ 2,5: the two best stay "xuất sắc", three become "tốt" (13).
    assert [c.grade for c in cards[:5]] == [Grade.EXCELLENT] * 2 + [Grade.GOOD] * 3
    assert (cap.candidates, cap.allowed, cap.good, cap.limit) == (5, 2, 13, 2)
    assert all(c.capped for c in cards[2:5]) and not any(c.capped for c in cards[5:])


def test_tied_totals_at_the_limit_are_all_left_out() -> None:
    cards = [card("A", "99"), card("B", "95"), card("C", "95")] + [
        card(f"G{n}", "75") for n in range(10)
    ]
    cap, moved = cap_of("commune", cards)
    assert (cap.limit, cap.allowed) == (2, 1)
    assert [c.unit.code for c in moved] == ["B", "C"]


def test_no_cap_when_the_scheme_sets_none() -> None:
    open_scheme = scheme(D(0))
    cards = [card("A", "99"), card("B", "95")]
    for c in cards:
        c.scheme = open_scheme
    apply_cap(cards)
    assert [c.grade for c in cards] == [Grade.EXCELLENT, Grade.EXCELLENT]


def test_each_kind_is_capped_on_its_own() -> None:
    cards = [card("A", "99", "agency"), card("G", "80", "agency"), card("X", "99")]
    cards += [card(f"G{n}", "80") for n in range(5)]
    caps = {c.kind: c for c in apply_cap(cards)}
    assert caps["agency"].allowed == 0 and caps["commune"].allowed == 1


def test_ties_share_a_rank() -> None:
    cards = [
        card("A", "90"),
        card("B", "80"),
        card("C", "80"),
        card("D", "70"),
        card("E", "95", "agency"),
    ]
    rank(cards)
    assert [c.rank for c in cards] == [1, 2, 2, 4, 1]


@given(
    good=st.integers(0, 200),
    candidates=st.lists(st.integers(90, 100), max_size=60),
    percent=st.sampled_from([D(10), D(20), D(25)]),
)
def test_the_cap_always_holds(good: int, candidates: list[int], percent: Decimal) -> None:
    capped = scheme(percent)
    cards = [card(f"E{n}", str(total)) for n, total in enumerate(candidates)]
    cards += [card(f"G{n}", "80") for n in range(good)]
    for c in cards:
        c.scheme = capped
    apply_cap(cards)
    excellent = sum(1 for c in cards if c.grade == Grade.EXCELLENT)
    final_good = sum(1 for c in cards if c.grade == Grade.GOOD)
    assert excellent * 100 <= percent * final_good
    kept = sorted((c.total for c in cards if c.grade == Grade.EXCELLENT), reverse=True)
    dropped = [c.total for c in cards if c.eligible == Grade.EXCELLENT and c.grade == Grade.GOOD]
    assert not kept or not dropped or min(kept) > max(dropped)  # the best are kept, never a tie
