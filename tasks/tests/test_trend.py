"""The trend reads the verdict rule: its flags are the groups of `classify_facts`, and its past
points are what `task_stats` counted at each of them, on any history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.tests.conftest import People, Tree
from tasks import services
from tasks.models import Source, Task
from tasks.queries import (
    TaskFilter,
    combined_by_task,
    counted_assignments,
    read,
    risk_rules,
    task_stats,
)
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


# A revision: which task, the day it applies from, the year and source (the other one?) since.
revision_strategy = st.tuples(
    st.integers(0, 3), event_days, st.sampled_from([2025, 2026]), st.booleans()
)
FILTERS = [
    TaskFilter(),
    TaskFilter(year=2025),
    TaskFilter(year=2026),
    TaskFilter(source="NQ71"),
    TaskFilter(source="NQ57-TINH", year=2025),
]


@pytest.mark.clock("2028-01-01T09:00")  # every generated date lies before "today"
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(event_strategy, max_size=10),
    st.lists(revision_strategy, min_size=1, max_size=4),
    event_days,
    st.one_of(st.none(), days),
    st.sampled_from(FILTERS),
)
def test_past_points_equal_task_stats_at_each_point(
    people: People,
    tree: Tree,
    setup: dict,
    history: list,
    revisions: list,
    as_of_day: int,
    issued_ago: int | None,
    flt: TaskFilter,
) -> None:
    """What the dashboard reads (back to the first point, with its filter) counts at each
    point what task_stats counts then, tasks whose year or source changed (before, between or
    after the points) included: each counts where it was selected as it was then."""
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
    for index, day, year, other in sorted(revisions, key=lambda r: r[1]):
        tasks[index].refresh_from_db()
        services.update_task(
            actor=people.standing,
            task=tasks[index],
            year=year,
            source=setup["other"] if other else s,
            effective_on=ORIGIN + timedelta(days=day),
            reason="Điều chỉnh",
        )
    points = trend_points(as_of)
    reading = read(counted_assignments(as_of=as_of, flt=flt, since=points[0]), as_of, flt)
    assert combined_by_task(reading.rows).items == task_stats(as_of=as_of, flt=flt).items
    for point in past_points(reading, points[:-1]):
        counts = task_stats(as_of=point.on, flt=flt).counts
        assert (point.completed, point.not_on_time) == (
            counts[Group.COMPLETED],
            counts[Group.NOT_ON_TIME],
        ), point.on
