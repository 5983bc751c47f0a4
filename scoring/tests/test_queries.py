"""Reads shared by the pages, the reports and the command: the card of a month not scored yet, the
what-if and the head's suggestions, the trend, the grade distribution; the cut-off rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from org.tests.conftest import People
from scoring import queries, services
from scoring.facts import window
from scoring.models import Grade
from scoring.tests.conftest import MONTH, SCORING_TIME, Month

OCTOBER = date(2025, 10, 1)


def test_the_window_is_the_period_calendars() -> None:
    september = window(date(2025, 9, 1), 1)
    assert (september.first, september.cutoff, september.since) == (
        date(2025, 9, 1), date(2025, 9, 30), date(2025, 8, 31)
    )  # fmt: skip
    decree_09 = window(date(2026, 1, 1), 15)  # from the 15th of the month before to the 14th
    assert (decree_09.first, decree_09.cutoff) == (date(2025, 12, 15), date(2026, 1, 14))


@pytest.mark.django_db
def test_what_if_the_overdue_tasks_were_finished(month: Month) -> None:
    """October for C, seen on 06/10/2025: only the overdue criterion applies (its 20 points
    scaled to 100). If nothing is done, T1 and T3 are each 31 days late at the cut-off (31/10,
    counted from the window's first day, 01/10): 20 − 2×2 − 0,5×62 < 0 → 0. Finished on 07/10:
    completed late, 7 days each → 20 − 4 − 7 = 9 → 45 points."""
    with time_machine.travel(SCORING_TIME, tick=False):
        lv = queries.live(month.c, OCTOBER)
        assert lv is not None and lv.cutoff == date(2025, 10, 31)
        assert [t.code for t in queries.open_items(lv)] == ["T3", "T1"]
        result = queries.what_if(lv, [t.assignment_id for t in lv.facts.late], date(2025, 10, 7))
        (suggestion,) = queries.suggestions(lv)
    assert (result.before.total, result.card.total, result.gain) == (0, 45, 45)
    qh = next(line for line in result.card.lines if line.code == "QH")
    assert qh.band == "20 − (2 × 2 trường hợp + 0,5 × 14 ngày chậm)"
    # The suggestion: finish them today (06/10), 6 days each → 20 − 4 − 6 = 10 → 50.
    assert suggestion.overdue and suggestion.on == date(2025, 10, 6)
    assert (len(suggestion.items), suggestion.gain) == (2, 50)


@pytest.mark.django_db
def test_no_suggestion_once_the_cut_off_has_passed(month: Month) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        lv = queries.live(month.c, MONTH)
    assert lv is not None and lv.card.total == Decimal("19.44")
    assert queries.suggestions(lv) == []


@pytest.mark.django_db
def test_trend_and_grade_distribution(month: Month, people: People) -> None:
    with time_machine.travel(SCORING_TIME, tick=False):
        services.run_round(actor=people.standing, month=MONTH)
    (point,) = queries.trend(month.a, OCTOBER)
    assert (point.month, point.total, point.grade_label) == (MONTH, 98.0, "Hoàn thành tốt nhiệm vụ")
    assert not point.published
    found = queries.grade_distribution(MONTH)
    assert found is not None and not found.published
    assert found.counts == {
        "commune": {Grade.EXCELLENT: 0, Grade.GOOD: 1, Grade.DONE: 1, Grade.NOT_DONE: 1}
    }
    assert found.total("commune") == 3 and found.total("agency") == 0
    only_a = queries.grade_distribution(
        MONTH, units=month.a.__class__.objects.filter(pk=month.a.pk)
    )
    assert only_a is not None and only_a.total("commune") == 1
    assert queries.grade_distribution(OCTOBER) is None


@pytest.mark.django_db
def test_no_scheme_no_card(people: People, tree: object) -> None:
    assert queries.live(people.head.unit, MONTH) is None
    assert queries.compute(MONTH).cards == []
