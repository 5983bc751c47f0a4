"""The block counting extended tasks on time by the extended and by the original deadlines
(issue 14 item 1: "hoàn thành đúng hạn (theo hạn gốc / theo hạn đã gia hạn)")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from documents.composer.blocks import BLOCKS
from documents.composer.report import facts_for
from documents.content import Kind
from org.tests.conftest import People, Tree
from periods.models import Period, PeriodKind
from tasks import services
from tasks.models import Task
from tasks.tests.test_views import PROOF, Work, new_task, record, work  # noqa: F401
from tasks.timeliness import Status

TZ = timezone.get_default_timezone()


def _quarter() -> Period:
    return Period.objects.create(
        code="2025-Q4", kind=PeriodKind.QUARTER, title="Quý IV/2025",
        starts_on=date(2025, 10, 1), ends_on=date(2025, 12, 31),
        opens_at=datetime(2025, 12, 20, tzinfo=TZ), due_at=datetime(2026, 1, 5, 17, tzinfo=TZ),
    )  # fmt: skip


def _extend(people: People, task_code: str, until: date) -> None:
    task = Task.objects.get(code=task_code)
    extension = services.request_extension(
        actor=people.dept_reporter, task=task, requested_deadline=until, reason="Chờ kinh phí"
    )
    services.decide_extension(actor=people.standing, extension=extension, approve=True)


def test_extended_tasks_on_time_by_either_deadline(
    people: People,
    tree: Tree,
    work: Work,  # noqa: F811
) -> None:
    # Due 30/09, finished 01/10: late by its original deadline, on time by the extended one.
    saved = new_task(people, "T-CUU", tree.dept, work.source, work.area, deadline=date(2025, 9, 30))
    record(people, saved.assignments.get(), Status.COMPLETED, date(2025, 10, 1), **PROOF)
    # Due 30/09, finished 20/09 and extended all the same: on time by both.
    early = new_task(people, "T-SOM", tree.dept, work.source, work.area, deadline=date(2025, 9, 30))
    record(people, early.assignments.get(), Status.COMPLETED, date(2025, 9, 20), **PROOF)
    # Not extended: not counted by the block.
    new_task(people, "T-KHAC", tree.dept, work.source, work.area, deadline=date(2025, 9, 30))
    quarter = _quarter()
    facts = facts_for(Kind.QUARTERLY, quarter, tree.province, date(2025, 10, 2))
    assert BLOCKS["tasks.extended"].run(facts, None) == []  # nothing extended yet
    _extend(people, "T-CUU", date(2025, 10, 31))
    _extend(people, "T-SOM", date(2025, 10, 31))
    facts = facts_for(Kind.QUARTERLY, quarter, tree.province, date(2025, 10, 2))
    [line] = BLOCKS["tasks.extended"].run(facts, None)
    assert line.text == (
        "Có 02 nhiệm vụ được gia hạn thời hạn: hoàn thành đúng hạn 02 nhiệm vụ theo hạn đã gia "
        "hạn, 01 nhiệm vụ theo hạn gốc."
    )
    assert dict(line.figures) == {
        "extended": "02", "on_time.extended": "02", "on_time.original": "01",
    }  # fmt: skip
    # Read as of the day before the approval, nothing was extended yet.
    facts = facts_for(Kind.QUARTERLY, quarter, tree.province, date(2025, 10, 1))
    assert BLOCKS["tasks.extended"].run(facts, None) == []
