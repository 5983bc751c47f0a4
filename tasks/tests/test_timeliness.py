"""The timeliness rules on plain values."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tasks.timeliness import (
    AT_RISK,
    COMPLETED,
    NOT_ON_TIME,
    ON_TIME,
    STAT_KEYS,
    STAT_LABELS,
    TOTAL,
    Colour,
    Facts,
    Group,
    RiskRules,
    Schedule,
    Snapshot,
    Status,
    Timeliness,
    Verdict,
    classify_assignee,
    classify_facts,
    combine,
    members,
)

RULES = RiskRules(days=30, min_progress=50, max_lag=25)
DEADLINE = date(2025, 9, 30)
SCHEDULE = Schedule(date(2025, 1, 1), DEADLINE)


def verdict(status: str, on: date, as_of: date, progress: int = 0) -> Verdict | None:
    return classify_assignee(Snapshot(status, on, progress), SCHEDULE, as_of, RULES)


def test_completed_on_the_deadline_day_is_on_time() -> None:
    v = verdict(Status.COMPLETED, DEADLINE, DEADLINE + timedelta(days=90))
    assert v == Verdict(Timeliness.COMPLETED_ON_TIME)
    late = verdict(Status.COMPLETED, DEADLINE + timedelta(days=1), DEADLINE + timedelta(days=1))
    assert late == Verdict(Timeliness.COMPLETED_LATE)


def test_deadline_passed_without_completion_is_overdue_and_red() -> None:
    v = verdict(Status.IN_PROGRESS, date(2025, 5, 1), DEADLINE + timedelta(days=1), 90)
    assert v == Verdict(Timeliness.OVERDUE) and v.colour is Colour.RED
    assert verdict(Status.IN_PROGRESS, date(2025, 5, 1), DEADLINE, 90).timeliness == "in_progress"


def test_paused_and_proposed_removal_are_not_on_time_and_removed_leaves_counts() -> None:
    assert verdict(Status.PAUSED, date(2025, 5, 1), date(2025, 6, 1)).timeliness == "paused"
    proposed = verdict(Status.PROPOSED_REMOVAL, date(2025, 5, 1), date(2025, 6, 1))
    assert proposed.timeliness == "proposed_removal"
    assert verdict(Status.REMOVED, date(2025, 5, 1), date(2025, 6, 1)) is None


def test_recurring_is_never_overdue() -> None:
    recurring = Schedule(None, None)
    state = Snapshot(Status.RECURRING, date(2025, 1, 1), 0)
    v = classify_assignee(state, recurring, date(2030, 1, 1), RULES)
    assert v == Verdict(Timeliness.RECURRING) and v.colour is Colour.GREEN


def test_at_risk_near_deadline_or_behind_the_line() -> None:
    near = verdict(Status.IN_PROGRESS, date(2025, 9, 1), date(2025, 9, 10), progress=40)
    assert near.at_risk and near.colour is Colour.YELLOW
    assert not verdict(Status.IN_PROGRESS, date(2025, 9, 1), date(2025, 9, 10), 80).at_risk
    # Half-way through the year (expected ~50%) with 20% done: 30 points behind.
    assert verdict(Status.IN_PROGRESS, date(2025, 5, 1), date(2025, 5, 16), 20).at_risk
    assert not verdict(Status.IN_PROGRESS, date(2025, 5, 1), date(2025, 5, 16), 40).at_risk


def test_no_event_means_not_started() -> None:
    v = classify_assignee(None, SCHEDULE, date(2025, 2, 1), RULES)
    assert v == Verdict(Timeliness.NOT_STARTED)


def test_combine_many_assignees() -> None:
    done = Verdict(Timeliness.COMPLETED_ON_TIME)
    late = Verdict(Timeliness.COMPLETED_LATE)
    waiting = Verdict(Timeliness.NOT_STARTED)
    assert combine([done, done]) == done
    assert combine([done, late]) == late
    assert combine([done, waiting]).timeliness is Timeliness.IN_PROGRESS
    assert combine([done, Verdict(Timeliness.OVERDUE), waiting]).timeliness is Timeliness.OVERDUE
    assert combine([done, None]) == done  # a removed assignee leaves the count
    assert combine([None, None]) is None


statuses = st.sampled_from([s.value for s in Status])
days = st.integers(min_value=0, max_value=800)
BASE = date(2024, 1, 1)


@given(
    statuses,
    days,
    days,
    st.integers(0, 100),
    st.one_of(st.none(), days),
    st.one_of(st.none(), days),
)
def test_every_verdict_lands_in_exactly_one_group(
    status: str, on: int, as_of: int, progress: int, start: int | None, deadline: int | None
) -> None:
    schedule = Schedule(
        BASE + timedelta(days=start) if start is not None else None,
        BASE + timedelta(days=deadline) if deadline is not None else None,
    )
    v = classify_assignee(
        Snapshot(status, BASE + timedelta(days=on), progress),
        schedule,
        BASE + timedelta(days=as_of),
        RULES,
    )
    if status == Status.REMOVED:
        assert v is None
        return
    assert v is not None
    on_time = v.timeliness in {"in_progress", "recurring", "not_started"}
    assert not v.at_risk or on_time  # at risk is a subset of on time
    assert (v.colour is Colour.RED) == (v.timeliness in {"overdue", "paused", "proposed_removal"})


# --- the vocabulary --------------------------------------------------------------------------


def test_every_timeliness_has_a_group_and_vietnamese_words() -> None:
    for timeliness in Timeliness:
        assert timeliness.group in Group
        for label in (timeliness.label, timeliness.short_label):
            assert str(label) and not str(label).isascii(), timeliness  # diacritics: Vietnamese
    assert all(not str(group.label).isascii() for group in Group)


def test_the_groups_partition_the_timeliness_states() -> None:
    grouped = [t for group in Group for t in members(group)]
    assert sorted(grouped) == sorted(Timeliness) and len(set(grouped)) == len(grouped)
    assert set(Timeliness) == COMPLETED | ON_TIME | NOT_ON_TIME


def test_the_counts_are_all_then_each_group_with_its_states_then_at_risk() -> None:
    expected = [TOTAL]
    for group in Group:
        expected += [group.value, *(t.value for t in members(group))]
    assert list(STAT_KEYS) == [*expected, AT_RISK]
    assert set(STAT_LABELS) == set(STAT_KEYS)


@given(
    st.sampled_from(Status.values),
    st.integers(0, 100),
    st.booleans(),
    st.integers(-60, 60),
)
def test_a_verdict_is_red_exactly_when_its_group_is_not_on_time(
    status: str, progress: int, after: bool, day: int
) -> None:
    facts = Facts(status, progress, after)
    found = classify_facts(facts, SCHEDULE, DEADLINE + timedelta(days=day), RULES)
    if found is not None:
        assert (found.colour is Colour.RED) is (found.timeliness.group is Group.NOT_ON_TIME)
        assert not found.at_risk or found.timeliness.group is Group.ON_TIME
