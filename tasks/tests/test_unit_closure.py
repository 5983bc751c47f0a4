"""A unit closed with no successor (org.services.close_unit) stops carrying its open tasks after
its last day: the assignments end then, each logged; figures up to that day are unchanged, later
ones no longer count the unit. The closing page says beforehand how many it will end."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org import services as org_services
from org.models import Unit, UnitChange, UnitType
from org.tests.conftest import People, Tree
from org.tests.factories import make_unit
from org.tests.test_views import client_for
from tasks import services
from tasks.models import AssigneeChange, Assignment, StatusEvent, Task
from tasks.queries import TaskFilter, assignee_states, task_stats
from tasks.tests.conftest import copies_match_events
from tasks.tests.test_views import PROOF, Work, new_task, record
from tasks.timeliness import Group, Status

LAST_DAY = date(2025, 6, 30)
NEXT_DAY = date(2025, 7, 1)
REASON = "Quyết định giải thể số 15/QĐ-UBND"
OTHERS = ["reporter", "head", "communes_admin", "province_viewer", "dept_reporter"]


def _counts(day: date, **flt: object) -> dict[str, int]:
    return task_stats(as_of=day, flt=TaskFilter(**flt)).counts  # type: ignore[arg-type]


def _units_on(task: Task, day: date) -> set[str]:
    return {state.assignment.unit.code for state in assignee_states(task, day)}


def _its_own(people: People, tree: Tree, work: Work, code: str, **kw: object) -> Task:
    """A task commune 16690 alone carries."""
    return new_task(
        people, code, tree.communes, work.source, work.area, deadline=date(2025, 9, 30),
        assignees=[tree.other_commune], **kw,
    )  # fmt: skip


def _state() -> list[tuple]:
    return list(
        Assignment.objects.order_by("pk").values_list("pk", "ended_on", "latest_status")
    ) + list(AssigneeChange.objects.values_list("pk"))


def test_closing_ends_the_open_assignments_on_the_last_day(
    people: People, tree: Tree, work: Work
) -> None:
    """16690 dissolved after 30/06/2025: its in-progress part of the communes' task ends then
    (the task was not on time for ever after); its own task is left with nobody and said so;
    its completed task stays its own and still counts."""
    theirs = work.commune_task.assignments.get(unit=tree.other_commune)
    record(people, work.mine(), Status.COMPLETED, date(2025, 6, 10), **PROOF)
    record(people, theirs, Status.IN_PROGRESS, date(2025, 6, 1), progress=30)
    alone = _its_own(people, tree, work, "T-RIENG")
    done = _its_own(people, tree, work, "T-XONG")
    record(people, done.assignments.get(), Status.COMPLETED, date(2025, 6, 20), **PROOF)
    days = (date(2025, 3, 31), LAST_DAY, NEXT_DAY, date(2026, 1, 31))
    before = {day: (_counts(day), _counts(day, unit=tree.communes, subtree=True)) for day in days}
    events = StatusEvent.objects.count()
    assert _counts(date(2026, 1, 31))[Group.NOT_ON_TIME] == 3  # overdue: it never ends

    closure = org_services.close_unit(
        actor=people.standing, unit=tree.other_commune, active_to=LAST_DAY, reason=REASON
    )

    # up to its last day: exactly as before
    for day in days[:2]:
        assert (_counts(day), _counts(day, unit=tree.communes, subtree=True)) == before[day]
    # from the next day: its unfinished parts no longer count, the completed task still does
    assert _units_on(work.commune_task, NEXT_DAY) == {"16681"}
    assert _units_on(done, NEXT_DAY) == {"16690"}
    assert _units_on(alone, NEXT_DAY) == set()
    assert _counts(NEXT_DAY)["total"] == before[NEXT_DAY][0]["total"] - 1
    assert _counts(NEXT_DAY, unit=tree.other_commune)["total"] == 1
    later = _counts(date(2026, 1, 31))
    assert later[Group.NOT_ON_TIME] == 1  # the department's own task only
    assert later[Group.COMPLETED] == 2  # the communes' task and 16690's completed one
    # the assignments end, their rows and events stay; the log says who, when and why
    ended = Assignment.objects.exclude(ended_on=None)
    assert set(ended.values_list("task__code", "unit__code", "ended_on")) == {
        ("T-XA", "16690", LAST_DAY),
        ("T-RIENG", "16690", LAST_DAY),
    }
    assert StatusEvent.objects.count() == events and copies_match_events()
    log = list(AssigneeChange.objects.order_by("task__code"))
    assert [(c.task.code, c.unit, c.kind, c.effective_on, c.actor) for c in log] == [
        ("T-RIENG", tree.other_commune, AssigneeChange.Kind.REMOVED, LAST_DAY, people.standing),
        ("T-XA", tree.other_commune, AssigneeChange.Kind.REMOVED, LAST_DAY, people.standing),
    ]
    assert log[0].reason == f"Đơn vị ngừng hoạt động sau ngày 30/06/2025. {REASON}"
    # what the closure tells its caller
    (effect,) = closure.effects
    assert effect.count == 2
    assert effect.summary == "Đã kết thúc 2 nhiệm vụ đơn vị đang thực hiện, sau ngày 30/06/2025."
    assert effect.left_behind == ("Nhiệm vụ T-RIENG",)
    assert "hãy giao cho đơn vị khác" in effect.left_behind_note


def test_a_unit_with_nothing_open_closes_as_before(people: People, tree: Tree) -> None:
    closure = org_services.close_unit(
        actor=people.standing, unit=tree.other_commune, active_to=LAST_DAY
    )
    assert closure.effects == () and not AssigneeChange.objects.exists()


def test_a_task_given_after_the_last_day_refuses_the_closure(
    people: People, tree: Tree, work: Work
) -> None:
    later = new_task(people, "T-SAU", tree.communes, work.source, work.area)
    services.assign_units(
        actor=people.standing, task=later, units=[tree.other_commune],
        active_from=date(2025, 8, 1),
    )  # fmt: skip
    before = _state()
    with pytest.raises(ValidationError, match="Nhiệm vụ T-SAU"):
        org_services.close_unit(
            actor=people.standing, unit=tree.other_commune, active_to=LAST_DAY, reason=REASON
        )
    assert Unit.objects.get(pk=tree.other_commune.pk).active_to is None
    assert _state() == before and not UnitChange.objects.exists()


def _close_and_count(people: People, unit: Unit) -> int:
    with CaptureQueriesContext(connection) as queries:
        org_services.close_unit(actor=people.standing, unit=unit, active_to=LAST_DAY)
    return len(queries)


def test_the_closure_queries_do_not_grow_with_its_tasks(
    people: People, tree: Tree, work: Work
) -> None:
    """Two communes alike but for their tasks: one carries one, the other nine."""
    small, large = (make_unit(tree.communes, code, UnitType.COMMUNE) for code in ("X1", "X2"))
    new_task(people, "T-X1", tree.communes, work.source, work.area, assignees=[small])
    for n in range(9):
        new_task(people, f"T-{n}", tree.communes, work.source, work.area, assignees=[large])
    one = _close_and_count(people, small)
    nine = _close_and_count(people, large)
    assert Assignment.objects.filter(ended_on=LAST_DAY).count() == 10
    assert AssigneeChange.objects.count() == 10
    assert nine == one


# --- the closing page ---------------------------------------------------------------------------


def test_the_closing_page_says_what_it_will_end(people: People, tree: Tree, work: Work) -> None:
    _its_own(people, tree, work, "T-RIENG")
    client = client_for(people.standing)
    url = reverse("org:unit_close", args=[tree.other_commune.code])
    page = client.get(url).content.decode()
    assert 'data-testid="closure-effect" data-count="2"' in page
    assert "Ngừng hoạt động sẽ kết thúc 2 nhiệm vụ" in page
    assert "<li>Nhiệm vụ T-RIENG</li>" in page and "<li>Nhiệm vụ T-XA</li>" not in page
    quiet = client.get(reverse("org:unit_close", args=[tree.other_dept.code])).content.decode()
    assert 'data-testid="closure-effect"' not in quiet  # nothing open: nothing said
    response = client.post(url, {"active_to": "30/06/2025", "reason": REASON}, follow=True)
    shown = response.content.decode()
    assert "Đã kết thúc 2 nhiệm vụ đơn vị đang thực hiện, sau ngày 30/06/2025." in shown
    assert "Nhiệm vụ T-RIENG." in shown
    assert AssigneeChange.objects.count() == 2


@pytest.mark.parametrize("person", OTHERS)
def test_others_closing_change_no_assignment(
    people: People, tree: Tree, work: Work, person: str
) -> None:
    """As for every page that changes the tree: 403 on a unit they see, 404 on one they do
    not; the assignments and their log stay as they were."""
    before = _state()
    url = reverse("org:unit_close", args=[tree.other_commune.code])
    status = (
        client_for(getattr(people, person))
        .post(url, {"active_to": "30/06/2025", "reason": REASON})
        .status_code
    )
    assert status == (403 if person in ("communes_admin", "province_viewer") else 404)
    assert _state() == before and not UnitChange.objects.exists()
