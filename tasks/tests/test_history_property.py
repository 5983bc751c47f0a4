"""Property: random sequences of task edits, deadline extensions and status updates made after
a date never change a figure as of that date, and each task reads back as it was then."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq57.testing import NOW
from org.tests.conftest import People, Tree
from tasks import history, services
from tasks.models import Area, Source, Task
from tasks.queries import TaskFilter, UnitRole, task_stats
from tasks.timeliness import Status

D = date(2025, 9, 30)
PROOF = {"evidence_number": "1/QĐ", "evidence_date": date(2025, 9, 1)}
ATTRIBUTES = ("title", "source_id", "area_id", "lead_unit_id", "year", "start_date", "deadline")
DEADLINES = [date(2025, 8, 31), date(2025, 10, 15), date(2025, 12, 31), None]

edit = st.tuples(
    st.just("edit"),
    st.integers(0, 2),
    st.sampled_from(["title", "source", "area", "lead_unit", "year", "start_date", "deadline"]),
    st.integers(0, 3),
)
extension = st.tuples(st.just("extension"), st.integers(0, 2), st.booleans(), st.integers(1, 90))
status = st.tuples(
    st.just("status"),
    st.integers(0, 2),
    st.sampled_from([Status.IN_PROGRESS, Status.COMPLETED, Status.PAUSED]),
    st.integers(0, 100),
)
step = st.tuples(st.integers(0, 3), st.one_of(edit, extension, status))  # (days later, what)


def _snapshot(task: Task) -> tuple[Any, ...]:
    return tuple(getattr(task, name) for name in ATTRIBUTES)


def _filters(setup: dict[str, Any], tree: Tree) -> list[TaskFilter]:
    return [
        TaskFilter(),
        TaskFilter(source="S1"),
        TaskFilter(year=2025),
        TaskFilter(area="A1"),
        TaskFilter(unit=tree.dept, unit_role=UnitRole.LEAD),
        TaskFilter(unit=tree.agencies, unit_role=UnitRole.LEAD, subtree=True),
        TaskFilter(due_by=date(2025, 10, 31)),
    ]


def _apply(
    people: People, tree: Tree, refs: dict[str, Any], tasks: list[Task], what: tuple
) -> None:
    kind, index = what[0], what[1]
    task = Task.objects.get(pk=tasks[index].pk)
    if kind == "edit":
        name, choice = what[2], what[3]
        values: dict[str, list[Any]] = {
            "title": [f"Tên {choice}"] * 4,
            "source": [refs["s1"], refs["s2"]] * 2,
            "area": [refs["a1"], refs["a2"]] * 2,
            "lead_unit": [tree.dept, tree.other_dept, tree.commune, tree.dept],
            "year": [2024, 2025, 2026, 2025],
            "start_date": [None, date(2025, 1, 1), date(2025, 6, 1), date(2025, 10, 1)],
            "deadline": DEADLINES,
        }
        services.update_task(actor=people.standing, task=task, **{name: values[name][choice]})
    elif kind == "extension":
        approve, days = what[2], what[3]
        wanted = (task.deadline or D) + timedelta(days=days)
        asked = services.request_extension(
            actor=people.standing, task=task, requested_deadline=wanted, reason="Lý do"
        )
        services.decide_extension(
            actor=people.standing, extension=asked, approve=approve, comment="Ý kiến"
        )
    else:
        state, progress = what[2], what[3]
        extra: dict[str, Any] = PROOF if state == Status.COMPLETED else {"reason": "Lý do"}
        services.record_status(
            actor=people.standing,
            assignment=task.assignments.first(),
            status=state,
            effective_date=date.today(),
            progress=progress,
            **extra,
        )


@pytest.fixture
def refs(db: None) -> dict[str, Any]:
    return {
        "s1": Source.objects.create(code="S1", name="Nguồn 1"),
        "s2": Source.objects.create(code="S2", name="Nguồn 2", issued_on=date(2025, 10, 5)),
        "a1": Area.objects.create(code="A1", name="Lĩnh vực 1"),
        "a2": Area.objects.create(code="A2", name="Lĩnh vực 2"),
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(step, min_size=1, max_size=8), st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_changes_after_a_date_never_change_its_figures(
    people: People, tree: Tree, refs: dict[str, Any], steps: list, deadlines: list[int]
) -> None:
    with transaction.atomic():
        tasks = [
            services.create_task(
                actor=people.standing,
                lead_unit=(tree.dept, tree.other_dept, tree.commune)[i],
                code=f"P{i}",
                title=f"Nhiệm vụ {i}",
                source=(refs["s1"], refs["s2"], refs["s1"])[i],
                area=(refs["a1"], refs["a2"], refs["a2"])[i],
                year=2025,
                start_date=date(2025, 1, 1),
                deadline=DEADLINES[deadlines[i]],
            )
            for i in range(3)
        ]
        services.record_status(
            actor=people.standing,
            assignment=tasks[0].assignments.get(),
            status=Status.IN_PROGRESS,
            effective_date=date(2025, 9, 1),
            progress=40,
        )
        filters = _filters(refs, tree)
        before = [task_stats(as_of=D, flt=flt).items for flt in filters]
        original = task_stats(as_of=D, original_deadlines=True).items
        then = {t.pk: _snapshot(t) for t in Task.objects.all()}
        day = NOW.date()
        for later, what in steps:
            day += timedelta(days=later)
            with time_machine.travel(datetime.combine(day, NOW.timetz()), tick=False):
                try:
                    with transaction.atomic():
                        _apply(people, tree, refs, tasks, what)
                except ValidationError:
                    pass  # refused (a wrong state or date): it must have left nothing behind
        with time_machine.travel(datetime.combine(day, NOW.timetz()), tick=False):
            assert [task_stats(as_of=D, flt=flt).items for flt in filters] == before
            assert task_stats(as_of=D, original_deadlines=True).items == original
            for task in Task.objects.all():
                assert _snapshot(history.as_of(task, D)) == then[task.pk]
        transaction.set_rollback(True)
