"""Assignments over time: giving a task to more units later, taking it away from a date, and a
merge carrying open assignments to the successor — every status history kept, every figure as
of a date counting the assignees that held then."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from org import services as org_services
from org.models import Unit, UnitType
from org.services import NewUnit
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from tasks import services
from tasks.models import AssigneeChange, Assignment, StatusEvent, Task
from tasks.queries import TaskFilter, assignee_states, counted_assignments, read, task_stats
from tasks.tests.test_views import PROOF, Work, record
from tasks.timeliness import Group, Status
from tasks.trend import past_points, trend_points

ON = date(2025, 7, 1)
REASON = "Nghị quyết 1678/NQ-UBTVQH15 sắp xếp đơn vị hành chính cấp xã"


def _units_on(task: Task, day: date) -> set[str]:
    return {state.assignment.unit.code for state in assignee_states(task, day)}


def _counts(day: date, **flt: object) -> dict[str, int]:
    return task_stats(as_of=day, flt=TaskFilter(**flt)).counts  # type: ignore[arg-type]


def test_adding_an_assignee_later_keeps_the_past(people: People, tree: Tree, work: Work) -> None:
    task = work.dept_task
    record(people, task.assignments.get(), Status.COMPLETED, date(2025, 6, 1), **PROOF)
    before = _counts(date(2025, 6, 30))
    added = services.assign_units(
        actor=people.standing, task=task, units=[tree.commune, tree.dept], active_from=ON,
        reason="Bổ sung theo Kế hoạch 02",
    )  # fmt: skip
    assert [a.unit for a in added] == [tree.commune]  # the department already carries it
    assert (added[0].active_from, added[0].ended_on) == (ON, None)
    # as of 30/06 the task was done by its only assignee, as it was
    assert _counts(date(2025, 6, 30)) == before
    assert _units_on(task, date(2025, 6, 30)) == {"SKHCN"}
    # from 01/07 the commune has it too: no longer completed as a whole
    assert _units_on(task, date(2025, 9, 30)) == {"SKHCN", "16681"}
    assert _counts(date(2025, 9, 30))["completed"] == 0
    # the commune's own count: its bloc's task, and this one from 01/07 only
    assert _counts(date(2025, 9, 30), unit=tree.commune)["total"] == 2
    assert _counts(date(2025, 6, 30), unit=tree.commune)["total"] == 1
    log = AssigneeChange.objects.get()
    assert (log.unit, log.kind, log.effective_on, log.actor) == (
        tree.commune, AssigneeChange.Kind.ADDED, ON, people.standing,
    )  # fmt: skip
    assert StatusEvent.objects.filter(assignment__task=task).count() == 1


def test_ending_an_assignment_keeps_its_history(people: People, tree: Tree, work: Work) -> None:
    task, mine = work.commune_task, work.mine()
    record(people, mine, Status.IN_PROGRESS, date(2025, 5, 1), progress=30)
    services.end_assignments(
        actor=people.standing, task=task, units=[tree.commune], ended_on=date(2025, 6, 30),
        reason="Chuyển cho xã khác",
    )  # fmt: skip
    mine.refresh_from_db()
    assert mine.ended_on == date(2025, 6, 30)
    assert mine.events.count() == 1  # nothing deleted
    assert _units_on(task, date(2025, 6, 30)) == {"16681", "16690"}
    assert _units_on(task, date(2025, 7, 1)) == {"16690"}
    assert _counts(date(2025, 6, 30), unit=tree.commune)["total"] == 1
    assert _counts(date(2025, 9, 30), unit=tree.commune)["total"] == 0
    with pytest.raises(ValidationError):  # nothing to report after its last day
        record(people, mine, Status.IN_PROGRESS, date(2025, 7, 2), progress=40)
    # given again from 01/09: a new span, the gap not counted
    again = services.assign_units(
        actor=people.standing, task=task, units=[tree.commune], active_from=date(2025, 9, 1)
    )
    assert again[0].pk != mine.pk
    assert _units_on(task, date(2025, 8, 1)) == {"16690"}
    assert _units_on(task, date(2025, 9, 1)) == {"16681", "16690"}
    kinds = list(AssigneeChange.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [AssigneeChange.Kind.REMOVED, AssigneeChange.Kind.ADDED]


def test_giving_back_from_the_next_day_continues_the_span(
    people: People, tree: Tree, work: Work
) -> None:
    task = work.commune_task
    services.end_assignments(
        actor=people.standing, task=task, units=[tree.commune], ended_on=date(2025, 6, 30),
        reason="Nhầm",
    )  # fmt: skip
    services.assign_units(
        actor=people.standing, task=task, units=[tree.commune], active_from=date(2025, 7, 1)
    )
    spans = list(Assignment.objects.filter(task=task, unit=tree.commune))
    assert [(a.active_from, a.ended_on) for a in spans] == [(None, None)]


def test_ending_is_refused_with_a_reason_named(people: People, tree: Tree, work: Work) -> None:
    task, mine = work.commune_task, work.mine()
    record(people, mine, Status.IN_PROGRESS, date(2025, 8, 1), progress=30)
    for units, ended_on, reason in (
        ([tree.commune], date(2025, 7, 31), "Thôi"),  # updated after the day
        ([tree.dept], date(2025, 9, 30), "Thôi"),  # does not carry the task
        ([tree.commune], date(2025, 9, 30), "  "),  # no reason
    ):
        with pytest.raises(ValidationError):
            services.end_assignments(
                actor=people.standing, task=task, units=units, ended_on=ended_on, reason=reason
            )
    assert not Assignment.objects.exclude(ended_on=None).exists()
    assert not AssigneeChange.objects.exists()


def test_a_closed_unit_cannot_be_given_a_task(people: People, tree: Tree, work: Work) -> None:
    closed = make_unit(tree.communes, "X9", UnitType.COMMUNE, active_to=date(2025, 3, 31))
    with pytest.raises(ValidationError):
        services.assign_units(
            actor=people.standing, task=work.dept_task, units=[closed], active_from=ON
        )
    assert work.dept_task.assignments.count() == 1


@pytest.mark.parametrize("who", ["reporter", "head", "communes_admin", "province_viewer"])
def test_only_the_standing_office_changes_assignees(
    people: People, tree: Tree, work: Work, who: str
) -> None:
    actor = getattr(people, who)
    with pytest.raises(PermissionDenied):
        services.assign_units(
            actor=actor, task=work.commune_task, units=[tree.dept], active_from=ON
        )
    with pytest.raises(PermissionDenied):
        services.end_assignments(
            actor=actor, task=work.commune_task, units=[tree.commune], ended_on=ON, reason="x"
        )
    assert work.commune_task.assignments.filter(ended_on=None).count() == 2
    assert not AssigneeChange.objects.exists()


# --- a merge carries open assignments ---------------------------------------------------------


@pytest.fixture
def three(tree: Tree) -> list[Unit]:
    return [
        make_unit(tree.communes, code, UnitType.COMMUNE, name=f"Xã {code}")
        for code in ("X1", "X2", "X3")
    ]


def test_a_merge_of_three_communes_carries_their_open_tasks(
    people: People, tree: Tree, work: Work, three: list[Unit]
) -> None:
    """Acceptance (issue 13): merged on 01/07/2025, the tasks count as they did before that
    date — the three communes — and after it under the successor; a completed part stays
    with its commune."""
    shared = services.create_task(
        actor=people.standing, lead_unit=tree.communes, code="T-3", source=work.source,
        area=work.area, title="Chuyển đổi số cấp xã", year=2025, start_date=date(2025, 1, 1),
        deadline=date(2025, 12, 31), assignees=three,
    )  # fmt: skip
    done = services.create_task(
        actor=people.standing, lead_unit=tree.communes, code="T-1", source=work.source,
        area=work.area, title="Số hóa hồ sơ", year=2025, start_date=date(2025, 1, 1),
        deadline=date(2025, 6, 30), assignees=[three[0]],
    )  # fmt: skip
    parts = {a.unit.code: a for a in shared.assignments.select_related("unit")}
    record(people, parts["X1"], Status.IN_PROGRESS, date(2025, 5, 1), progress=60)
    record(people, parts["X2"], Status.IN_PROGRESS, date(2025, 6, 1), progress=40)
    record(people, parts["X3"], Status.COMPLETED, date(2025, 6, 10), **PROOF)
    record(people, done.assignments.get(), Status.COMPLETED, date(2025, 6, 20), **PROOF)
    days = (date(2025, 6, 30), date(2025, 9, 30))
    bloc = {"unit": tree.communes, "subtree": True}
    before = {day: (_counts(day), _counts(day, **bloc)) for day in days}
    before_states = {day: _states(shared, day) for day in days}

    org_services.merge_units(
        actor=people.standing, predecessors=three, on=ON, reason=REASON,
        successor=NewUnit("XM", "Xã Hợp Nhất", UnitType.COMMUNE, tree.communes),
    )  # fmt: skip
    merged = Unit.objects.get(code="XM")

    # before the date: exactly as it was
    assert (_counts(days[0]), _counts(days[0], **bloc)) == before[days[0]]
    assert _states(shared, days[0]) == before_states[days[0]]
    # after it: the open parts under the successor, from the least advanced state (40%);
    # the completed part stays with its commune and still counts
    assert _states(shared, days[1]) == {
        "X3": (Status.COMPLETED, 100),
        "XM": (Status.IN_PROGRESS, 40),
    }
    assert _counts(days[1]) == before[days[1]][0]  # the same verdicts for every task
    assert _counts(days[1], unit=merged)["total"] == 1
    assert _counts(days[1], unit=Unit.objects.get(code="X2"))["total"] == 0
    assert _units_on(done, days[1]) == {"X1"}  # completed: not carried
    successor_part = shared.assignments.get(unit=merged)
    assert successor_part.active_from == ON
    first = successor_part.events.get()
    assert (first.effective_date, first.entered_by) == (ON, people.standing)
    assert "Xã X1" in first.note and "Xã X2" in first.note
    for code in ("X1", "X2"):
        parts[code].refresh_from_db()
        assert parts[code].ended_on == date(2025, 6, 30)
        assert parts[code].events.count() == 1
    logged = set(AssigneeChange.objects.values_list("unit__code", "kind", "effective_on"))
    assert logged == {
        ("X1", "removed", date(2025, 6, 30)),
        ("X2", "removed", date(2025, 6, 30)),
        ("XM", "added", ON),
    }
    # the successor's people update it from now on
    record(people, successor_part, Status.IN_PROGRESS, date(2025, 9, 1), progress=70)
    assert _states(shared, days[1])["XM"] == (Status.IN_PROGRESS, 70)


def test_a_split_gives_the_open_task_to_every_successor(
    people: People, tree: Tree, work: Work
) -> None:
    old = make_unit(tree.communes, "XS", UnitType.COMMUNE, name="Xã Cũ")
    task = services.create_task(
        actor=people.standing, lead_unit=tree.communes, code="T-S", source=work.source,
        area=work.area, title="Nhiệm vụ", year=2025, assignees=[old],
    )  # fmt: skip
    org_services.split_unit(
        actor=people.standing, predecessor=old, on=ON, reason=REASON,
        successors=[
            NewUnit("XA", "Xã A", UnitType.COMMUNE, tree.communes),
            NewUnit("XB", "Xã B", UnitType.COMMUNE, tree.communes),
        ],
    )  # fmt: skip
    assert _units_on(task, date(2025, 6, 30)) == {"XS"}
    assert _units_on(task, ON) == {"XA", "XB"}
    # the predecessor had said nothing: the successors start from nothing too
    assert not StatusEvent.objects.filter(assignment__task=task).exists()


def test_a_merge_into_an_existing_assignee_keeps_its_own_part(
    people: People, tree: Tree, work: Work
) -> None:
    task, mine = work.commune_task, work.mine()
    record(people, mine, Status.IN_PROGRESS, date(2025, 6, 1), progress=80)
    org_services.merge_units(
        actor=people.standing, predecessors=[tree.other_commune], successor=tree.commune,
        on=ON, reason=REASON,
    )  # fmt: skip
    assert _units_on(task, date(2025, 6, 30)) == {"16681", "16690"}
    assert _units_on(task, ON) == {"16681"}
    mine.refresh_from_db()
    assert (mine.active_from, mine.latest_progress, mine.events.count()) == (None, 80, 1)


def _states(task: Task, day: date) -> dict[str, tuple[str | None, int]]:
    states = assignee_states(task, day)
    return {
        s.assignment.unit.code: (s.event.status, s.event.progress) if s.event else (None, 0)
        for s in states
    }


def test_the_trend_counts_a_later_assignee_from_its_first_day(
    people: People, tree: Tree, work: Work
) -> None:
    record(people, work.dept_task.assignments.get(), Status.COMPLETED, date(2025, 6, 1), **PROOF)
    services.assign_units(
        actor=people.standing, task=work.dept_task, units=[tree.commune], active_from=ON
    )
    as_of = date(2025, 9, 30)
    reading = read(counted_assignments(as_of=as_of), as_of)
    points = past_points(reading, trend_points(as_of)[:-1])
    for point in points:
        counts = task_stats(as_of=point.on).counts
        assert (point.completed, point.not_on_time) == (
            counts[Group.COMPLETED], counts[Group.NOT_ON_TIME],
        ), point.on  # fmt: skip
    by_day = {point.on: point.completed for point in points}
    assert (by_day[date(2025, 6, 30)], by_day[date(2025, 7, 31)]) == (1, 0)


def test_the_trend_counts_a_former_assignee_up_to_its_last_day(
    people: People, tree: Tree, work: Work
) -> None:
    """Taken off on 31/07: the months before count it as task_stats did then."""
    task = work.commune_task
    record(people, work.mine(), Status.COMPLETED, date(2025, 5, 1), **PROOF)
    services.end_assignments(
        actor=people.standing, task=task, units=[tree.other_commune],
        ended_on=date(2025, 7, 31), reason="Thôi giao",
    )  # fmt: skip
    as_of = date(2025, 9, 30)
    points = trend_points(as_of)
    reading = read(counted_assignments(as_of=as_of, since=points[0]), as_of)
    assert {row.unit_id for row in reading.rows if row.task_id == task.pk} == {tree.commune.pk}
    counted = past_points(reading, points[:-1])
    for point in counted:
        counts = task_stats(as_of=point.on).counts
        assert (point.completed, point.not_on_time) == (
            counts[Group.COMPLETED], counts[Group.NOT_ON_TIME],
        ), point.on  # fmt: skip
    by_day = {point.on: point.completed for point in counted}
    # with the other commune still on it, the task was not complete; from August it is
    assert (by_day[date(2025, 7, 31)], by_day[date(2025, 8, 31)]) == (0, 1)
