"""The statistics query and the task_stats CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from org.tests.conftest import People, Tree
from tasks import services
from tasks.models import Area, Source, StatusEvent, Task
from tasks.queries import STAT_KEYS, TaskFilter, UnitRole, completion_by_task, task_stats
from tasks.tests.conftest import copies_match_events
from tasks.timeliness import Status

D = date(2025, 9, 30)
PROOF = {"evidence_number": "123/QĐ-UBND", "evidence_date": date(2025, 6, 1)}


def done_of(task: Task, as_of: date) -> tuple[int, int]:
    """(k, n): how many of the task's n assignees had completed it by `as_of`."""
    found = completion_by_task(task.assignments.all(), as_of)[task.pk]
    return found.done, found.present


@pytest.fixture
def setup(people: People, tree: Tree) -> dict:
    source = Source.objects.create(code="NQ57-TINH", name="Nhiệm vụ cụ thể hóa NQ57")
    other = Source.objects.create(code="NQ71", name="Nghị quyết 71/NQ-CP")
    area = Area.objects.create(code="HT", name="Hạ tầng công nghệ")
    return {"source": source, "other": other, "area": area}


def new_task(people: People, lead, code: str, deadline: date | None, source, area, **kw) -> Task:
    return services.create_task(
        actor=people.standing,
        lead_unit=lead,
        code=code,
        title=f"Nhiệm vụ {code}",
        source=source,
        area=area,
        year=kw.pop("year", 2025),
        start_date=date(2025, 1, 1),
        deadline=deadline,
        **kw,
    )


def event(people: People, task: Task, status: str, on: date, unit=None, **kw) -> StatusEvent:
    assignment = task.assignments.get(unit=unit or task.lead_unit)
    return services.record_status(
        actor=people.standing, assignment=assignment, status=status, effective_date=on, **kw
    )


def identities_hold(c: dict[str, int]) -> bool:
    return (
        c["completed"] == c["completed_on_time"] + c["completed_late"]
        and c["on_time"] == c["in_progress"] + c["recurring"] + c["not_started"]
        and c["not_on_time"] == c["overdue"] + c["paused"] + c["proposed_removal"]
        and c["total"] == c["completed"] + c["on_time"] + c["not_on_time"]
        and c["at_risk"] <= c["on_time"]
    )


def test_counts_lists_and_filters(people: People, tree: Tree, setup: dict) -> None:
    s, a = setup["source"], setup["area"]
    done = new_task(people, tree.dept, "T1", date(2025, 6, 30), s, a)
    event(people, done, Status.COMPLETED, date(2025, 6, 30), **PROOF)
    late = new_task(people, tree.dept, "T2", date(2025, 6, 30), s, a)
    event(people, late, Status.COMPLETED, date(2025, 7, 2), **PROOF)
    running = new_task(people, tree.other_dept, "T3", date(2025, 12, 31), s, a)
    event(people, running, Status.IN_PROGRESS, date(2025, 3, 1), progress=70)
    overdue = new_task(people, tree.dept, "T4", date(2025, 8, 31), s, a)
    paused = new_task(people, tree.dept, "T5", date(2025, 12, 31), s, a, year=2026)
    event(people, paused, Status.PAUSED, date(2025, 5, 1), reason="Chờ hướng dẫn của Trung ương")
    new_task(people, tree.dept, "T6", None, setup["other"], a)  # recurring, not started

    stats = task_stats(as_of=D, flt=TaskFilter(source="NQ57-TINH"))
    c = stats.counts
    assert (c["total"], c["completed"], c["on_time"], c["not_on_time"]) == (5, 2, 1, 2)
    assert (c["completed_late"], c["overdue"], c["paused"]) == (1, 1, 1)
    assert set(stats.items["not_on_time"]) == {overdue.pk, paused.pk}
    assert identities_hold(c)
    assert task_stats(as_of=D, flt=TaskFilter(source="NQ57-TINH", year=2025)).counts["total"] == 4
    assert task_stats(as_of=D, flt=TaskFilter(source="NQ71")).counts["not_started"] == 1
    lead = TaskFilter(unit=tree.other_dept, unit_role=UnitRole.LEAD)
    assert task_stats(as_of=D, flt=lead).items["in_progress"] == [running.pk]
    # As of an earlier date the late task was not yet done and the overdue one still on time.
    before = task_stats(as_of=date(2025, 6, 30), flt=TaskFilter(source="NQ57-TINH")).counts
    assert (before["completed"], before["overdue"]) == (1, 0)


def test_task_of_many_communes_counts_once_and_per_unit(
    people: People, tree: Tree, setup: dict
) -> None:
    communes = [tree.commune, tree.other_commune]
    task = new_task(
        people,
        tree.communes,
        "KH02-1",
        date(2025, 9, 8),
        setup["source"],
        setup["area"],
        assignees=communes,
    )
    event(people, task, Status.COMPLETED, date(2025, 8, 1), unit=tree.commune, **PROOF)
    assert done_of(task, D) == (1, 2)
    assert task_stats(as_of=D).counts["overdue"] == 1
    mine = task_stats(as_of=D, flt=TaskFilter(unit=tree.commune)).counts
    assert (mine["total"], mine["completed_on_time"]) == (1, 1)
    # Over the subtree the task counts once, decided by its communes' assignments together.
    subtree = task_stats(as_of=D, flt=TaskFilter(unit=tree.communes, subtree=True))
    assert (subtree.counts["total"], subtree.counts["overdue"]) == (1, 1)
    assert all(len(set(ids)) == len(ids) for ids in subtree.items.values())
    event(people, task, Status.COMPLETED, date(2025, 9, 8), unit=tree.other_commune, **PROOF)
    assert done_of(task, D) == (2, 2)
    assert task_stats(as_of=D).counts["completed_on_time"] == 1


def test_removal_needs_a_proposal_and_the_standing_office(
    people: People, tree: Tree, setup: dict
) -> None:
    task = new_task(people, tree.commune, "T9", date(2025, 12, 31), setup["source"], setup["area"])
    assignment = task.assignments.get()
    with pytest.raises(ValidationError):
        services.record_status(
            actor=people.standing,
            assignment=assignment,
            status=Status.REMOVED,
            effective_date=date(2025, 8, 1),
        )
    services.record_status(
        actor=people.reporter,
        assignment=assignment,
        status=Status.PROPOSED_REMOVAL,
        effective_date=date(2025, 8, 1),
        reason="Trùng với nhiệm vụ khác",
    )
    assert task_stats(as_of=D).counts["proposed_removal"] == 1
    with pytest.raises(PermissionDenied):
        services.record_status(
            actor=people.head,
            assignment=assignment,
            status=Status.REMOVED,
            effective_date=date(2025, 9, 1),
        )
    services.record_status(
        actor=people.standing,
        assignment=assignment,
        status=Status.REMOVED,
        effective_date=date(2025, 9, 1),
    )
    assert task_stats(as_of=D).counts["total"] == 0
    assert task_stats(as_of=date(2025, 8, 31)).counts["total"] == 1


def test_reporters_update_only_their_units_tasks(people: People, tree: Tree, setup: dict) -> None:
    task = new_task(people, tree.commune, "T10", date(2025, 12, 31), setup["source"], setup["area"])
    assignment = task.assignments.get()
    kwargs = {"assignment": assignment, "status": Status.IN_PROGRESS, "effective_date": D}
    services.record_status(actor=people.reporter, progress=30, **kwargs)
    with pytest.raises(Http404):
        services.record_status(actor=people.other_reporter, **kwargs)
    with pytest.raises(Http404):
        services.record_status(actor=people.dept_reporter, **kwargs)
    with pytest.raises(PermissionDenied):
        services.record_status(actor=people.province_viewer, **kwargs)
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=people.reporter,
            lead_unit=tree.commune,
            code="X",
            title="X",
            source=setup["source"],
            area=setup["area"],
            year=2025,
        )
    assert StatusEvent.objects.filter(assignment=assignment).count() == 1
    assert not Task.objects.filter(code="X").exists()


def test_event_rules(people: People, tree: Tree, setup: dict) -> None:
    task = new_task(people, tree.commune, "T11", date(2025, 12, 31), setup["source"], setup["area"])
    assignment = task.assignments.get()
    base = {"actor": people.reporter, "assignment": assignment, "effective_date": D}
    with pytest.raises(ValidationError) as paused:
        services.record_status(status=Status.PAUSED, **base)
    assert "reason" in paused.value.message_dict
    with pytest.raises(ValidationError) as done:
        services.record_status(status=Status.COMPLETED, **base)
    assert "evidence_number" in done.value.message_dict
    with pytest.raises(ValidationError):
        services.record_status(status=Status.IN_PROGRESS, progress=120, **base)
    link = services.record_status(
        status=Status.COMPLETED, evidence_link="https://nghean.gov.vn/vb/1", **base
    )
    assert link.progress == 100
    assert StatusEvent.objects.filter(assignment=assignment).count() == 1


def test_cli_json_has_exactly_the_keys(people: People, tree: Tree, setup: dict) -> None:
    task = new_task(people, tree.commune, "T12", date(2025, 8, 1), setup["source"], setup["area"])
    out = io.StringIO()
    call_command(
        "task_stats", "--as-of", "2025-09-30", "--source", "NQ57-TINH", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert list(data) == list(STAT_KEYS) and all(isinstance(v, int) for v in data.values())
    assert (data["total"], data["overdue"]) == (1, 1)
    out = io.StringIO()
    call_command("task_stats", "--as-of", "2025-09-30", "--unit", "16681", "--json", stdout=out)
    assert json.loads(out.getvalue())["total"] == 1
    assert task.pk in task_stats(as_of=D).items["overdue"]
    for wrong in (["--source", "NOPE"], ["--area", "NOPE"], ["--unit", "NOPE"], ["--subtree"]):
        with pytest.raises(CommandError):
            call_command("task_stats", "--as-of", "2025-09-30", *wrong)


event_days = st.integers(min_value=0, max_value=500)
event_strategy = st.tuples(
    st.integers(0, 3),  # which task
    st.integers(0, 1),  # which commune, for the task given to two
    st.sampled_from(
        [
            Status.NOT_STARTED,
            Status.IN_PROGRESS,
            Status.RECURRING,
            Status.COMPLETED,
            Status.PAUSED,
            Status.PROPOSED_REMOVAL,
        ]
    ),
    event_days,
    st.integers(0, 100),
)


def _random_event(people: People, tasks: list[Task], units: list, spec: tuple, on: date) -> None:
    index, which, status, _day, progress = spec
    task = tasks[index]
    unit = units[which] if task.assignments.count() > 1 else task.lead_unit
    extra = {"reason": "Lý do", "evidence_link": "https://nghean.gov.vn/vb"}
    event(people, task, status, on, unit=unit, progress=progress, **extra)


@pytest.mark.clock("2028-01-01T09:00")  # every generated date lies before "today"
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(event_strategy, max_size=8), st.lists(event_strategy, max_size=4), event_days)
def test_later_events_never_change_figures_and_identities_hold(
    people: People, tree: Tree, setup: dict, before: list, after: list, as_of_day: int
) -> None:
    Task.objects.all().delete()
    origin = date(2025, 1, 1)
    as_of = origin + timedelta(days=as_of_day)
    units = [tree.commune, tree.other_commune]
    s, a = setup["source"], setup["area"]
    tasks = [
        new_task(people, tree.commune, "H0", date(2025, 6, 30), s, a),
        new_task(people, tree.commune, "H1", date(2025, 12, 31), s, a),
        new_task(people, tree.commune, "H2", None, s, a),
        new_task(people, tree.communes, "H3", date(2025, 9, 30), s, a, assignees=units),
    ]
    for spec in sorted(before, key=lambda e: e[3]):
        _random_event(people, tasks, units, spec, min(origin + timedelta(days=spec[3]), as_of))
    figures = task_stats(as_of=as_of)
    assert identities_hold(figures.counts) and figures.counts["total"] == 4
    mine = task_stats(as_of=as_of, flt=TaskFilter(unit=tree.communes, subtree=True))
    assert identities_hold(mine.counts) and mine.counts["total"] == 4
    for spec in sorted(after, key=lambda e: e[3]):
        _random_event(people, tasks, units, spec, as_of + timedelta(days=spec[3] + 1))
    assert task_stats(as_of=as_of).items == figures.items
    assert copies_match_events()  # the figures above read them up to `as_of`, events after


def test_each_event_keeps_the_status_it_replaced_and_the_assignment_the_latest(
    people: People, tree: Tree, setup: dict
) -> None:
    task = new_task(people, tree.dept, "T20", date(2025, 12, 31), setup["source"], setup["area"])
    assignment = task.assignments.get()
    assert (assignment.latest_status, assignment.latest_date) == ("", None)
    event(people, task, Status.IN_PROGRESS, date(2025, 8, 1), progress=30)
    event(people, task, Status.IN_PROGRESS, date(2025, 9, 1), progress=60)
    event(people, task, Status.COMPLETED, date(2025, 9, 1), **PROOF)
    events = task.assignments.get().events.order_by("effective_date", "id")
    assert [e.previous_status for e in events] == ["", "in_progress", "in_progress"]
    assignment.refresh_from_db()
    assert (assignment.latest_status, assignment.latest_progress) == ("completed", 100)
    assert copies_match_events()
    # Before the latest event the figures come from the events themselves.
    assert task_stats(as_of=date(2025, 8, 31)).items["in_progress"] == [task.pk]
    assert task_stats(as_of=date(2025, 9, 1)).items["completed"] == [task.pk]
    assert task_stats(as_of=date(2025, 7, 31)).items["not_started"] == [task.pk]


@pytest.mark.parametrize(
    ("deadline", "state"),
    [(None, "completed_on_time"), (date(2025, 8, 31), "completed_late")],
)
def test_the_latest_event_kept_on_the_assignment_gives_the_verdict(
    people: People, tree: Tree, setup: dict, deadline: date | None, state: str
) -> None:
    """As of a day on or after the latest event the copy is read: a completion after the
    deadline is late, and a recurring task (no deadline) is never late."""
    task = new_task(people, tree.dept, "T21", deadline, setup["source"], setup["area"])
    event(people, task, Status.COMPLETED, date(2025, 9, 15), **PROOF)
    for day in (date(2025, 9, 15), D):
        assert task_stats(as_of=day).items[state] == [task.pk]


def test_a_task_counts_only_from_its_source_document_date(
    people: People, tree: Tree, setup: dict
) -> None:
    source = setup["source"]
    source.issued_on = date(2025, 4, 1)
    source.save()
    new_task(people, tree.commune, "T15", date(2025, 12, 31), source, setup["area"])
    assert task_stats(as_of=date(2025, 3, 31)).counts["total"] == 0
    assert task_stats(as_of=date(2025, 4, 1)).counts["total"] == 1


def test_visible_tasks_follow_units(people: People, tree: Tree, setup: dict) -> None:
    from tasks.queries import tasks_visible_to

    mine = new_task(
        people,
        tree.dept,
        "V1",
        None,
        setup["source"],
        setup["area"],
        assignees=[tree.commune, tree.other_commune],
    )
    theirs = new_task(people, tree.other_dept, "V2", None, setup["source"], setup["area"])
    new_task(
        people,
        tree.dept,
        "V3",
        None,
        setup["source"],
        setup["area"],
        coordinating_units=[tree.commune],
    )
    assert set(tasks_visible_to(people.reporter).values_list("code", flat=True)) == {"V1", "V3"}
    assert set(tasks_visible_to(people.dept_reporter)) == {mine, Task.objects.get(code="V3")}
    assert theirs in tasks_visible_to(people.province_viewer)
