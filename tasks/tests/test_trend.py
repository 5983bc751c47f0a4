"""The trend reads the verdict rule: its flags are the groups of `classify_facts`, and its past
points are what `task_stats` counted at each of them, on any history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.tests.conftest import People, Tree
from tasks.models import Source, Task
from tasks.queries import counted_assignments, read, risk_rules, task_stats
from tasks.tests.test_stats import _random_event, event_days, event_strategy, new_task, setup
from tasks.timeliness import Facts, Group, Schedule, Status, classify_facts
from tasks.trend import GROUP_FLAGS, assignee_flags, past_points, trend_points

__all__ = ["setup"]  # the fixture, shared with the statistics tests

days = st.integers(min_value=0, max_value=400)
ORIGIN = date(2025, 1, 1)


@given(
    st.sampled_from(Status.values),
    st.integers(0, 100),
    st.booleans(),
    st.one_of(st.none(), days),
    days,
    days,
)
def test_an_assignees_flags_are_the_group_of_its_verdict(
    status: str, progress: int, after: bool, deadline_day: int | None, start_day: int, day: int
) -> None:
    deadline = None if deadline_day is None else ORIGIN + timedelta(days=deadline_day)
    as_of = ORIGIN + timedelta(days=day)
    schedule = Schedule(ORIGIN + timedelta(days=start_day), deadline)
    verdict = classify_facts(Facts(status, progress, after), schedule, as_of, risk_rules())
    group = verdict.timeliness.group if verdict else None
    assert assignee_flags(status, deadline is not None and as_of > deadline) == GROUP_FLAGS[group]


@pytest.mark.clock("2028-01-01T09:00")  # every generated date lies before "today"
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(event_strategy, max_size=10), event_days, st.one_of(st.none(), days))
def test_past_points_equal_task_stats_at_each_point(
    people: People, tree: Tree, setup: dict, history: list, as_of_day: int, issued_ago: int | None
) -> None:
    Task.objects.all().delete()
    as_of = ORIGIN + timedelta(days=as_of_day + 120)  # a year of points, some before any event
    # The source's date, mostly within the year of points: a task counts from it.
    issued = None if issued_ago is None else as_of - timedelta(days=issued_ago)
    Source.objects.filter(pk=setup["source"].pk).update(issued_on=issued)
    units = [tree.commune, tree.other_commune]
    s, a = setup["source"], setup["area"]
    tasks = [
        new_task(people, tree.commune, "H0", date(2025, 6, 30), s, a),
        new_task(people, tree.commune, "H1", date(2025, 12, 31), s, a),
        new_task(people, tree.commune, "H2", None, s, a),
        new_task(people, tree.communes, "H3", date(2025, 9, 30), s, a, assignees=units),
    ]
    for spec in sorted(history, key=lambda e: e[3]):
        _random_event(people, tasks, units, spec, min(ORIGIN + timedelta(days=spec[3]), as_of))
    reading = read(counted_assignments(as_of=as_of), as_of)
    for point in past_points(reading, trend_points(as_of)[:-1]):
        counts = task_stats(as_of=point.on).counts
        assert (point.completed, point.not_on_time) == (
            counts[Group.COMPLETED],
            counts[Group.NOT_ON_TIME],
        ), point.on
