"""Length caps on free text (issue 18, finding 8): one limit (nq57.limits) checked in the
services every path goes through; a 100 kB unbroken string is refused by name, nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from nq57.limits import TEXT_MAX, TITLE_MAX
from org.tests.conftest import People, Tree
from reporting import services as reporting
from reporting.models import SectionKind, UnitReport
from reporting.tests.test_workflow import texts
from tasks import services as tasks
from tasks.models import Task
from tasks.tests.test_views import Work
from tasks.timeliness import Status

HUGE = "x" * 100_000  # one unbroken word, as sent by the attacker


def test_a_task_title_is_capped(people: People, work: Work) -> None:
    fields = {
        "code": "T-DAI", "title": HUGE, "source": work.source, "area": work.area, "year": 2025,
        "deadline": date(2025, 12, 31),
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        tasks.create_task(actor=people.standing, lead_unit=work.dept_task.lead_unit, **fields)
    assert "title" in refused.value.message_dict and "Tối đa 500 ký tự" in str(refused.value)
    assert not Task.objects.filter(code="T-DAI").exists()
    fields["title"] = "t" * TITLE_MAX
    assert tasks.create_task(actor=people.standing, lead_unit=work.dept_task.lead_unit, **fields)
    with pytest.raises(ValidationError):
        tasks.update_task(actor=people.standing, task=work.dept_task, title=HUGE)


def test_a_status_note_and_reason_are_capped(people: People, work: Work) -> None:
    assignment = work.dept_task.assignments.get()
    for field in ("note", "reason"):
        with pytest.raises(ValidationError, match=r"Tối đa 10\.000 ký tự"):
            tasks.record_status(
                actor=people.dept_reporter, assignment=assignment, status=Status.PAUSED,
                effective_date=date(2025, 9, 1), **{"reason": "lý do", field: HUGE},
            )  # fmt: skip
    assert not assignment.events.exists()


def test_report_items_answers_and_comments_are_capped(
    people: People, tree: Tree, report: UnitReport
) -> None:
    with pytest.raises(ValidationError, match=r"Tối đa 10\.000 ký tự"):
        reporting.save_report(
            actor=people.reporter, report=report, version=report.version,
            sections=texts((SectionKind.RESULTS, "đạt"), (SectionKind.RESULTS, HUGE)),
        )  # fmt: skip
    report.refresh_from_db()
    assert not report.sections.exists() and report.version == 0
    ok = texts((SectionKind.RESULTS, "y" * TEXT_MAX))
    reporting.save_report(actor=people.reporter, report=report, version=0, sections=ok)
    reporting.submit_report(actor=people.reporter, report=report)
    with pytest.raises(ValidationError, match="Tối đa"):
        reporting.return_report(actor=people.head, report=report, comment=HUGE)
