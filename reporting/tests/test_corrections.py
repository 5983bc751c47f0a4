"""Corrections (reporting.corrections): the one way a sealed period still changes. Requested by
the unit's reporter with a reason, approved (applied at once, before/after recorded) or refused
by the standing office, or made by it directly; every denied or refused step changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from indicators.models import DataElement, DataValue
from org.tests.conftest import People, Tree
from reporting import corrections
from reporting.models import Correction, CorrectionState, UnitReport
from reporting.tests import test_figure_lock as figures
from reporting.tests import test_seals as sealed
from reporting.tests.test_views import move
from tasks.models import Assignment, StatusEvent

pytestmark = pytest.mark.django_db

period = sealed.period
report = sealed.report
work = sealed.work
completed = sealed.completed
element = figures.element

BACK_TO_90 = {"status": "in_progress", "progress": 90, "effective_date": date(2025, 9, 30)}


@pytest.fixture
def submitted(people: People, report: UnitReport, completed: Assignment) -> UnitReport:
    return move(people, report, "submit")


def ask(people: People, report: UnitReport, assignment: Assignment, **over: object) -> Correction:
    what = {"assignment": assignment, "reason": "Nhập nhầm trạng thái"} | BACK_TO_90 | over
    return corrections.request_correction(
        actor=people.reporter, unit=report.unit, period=report.period, **what
    )


def test_requested_then_approved_changes_the_figures(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    before = sealed.stats()
    correction = ask(people, submitted, completed)
    assert correction.state == CorrectionState.REQUESTED
    assert sealed.stats() == before  # a request changes nothing yet
    corrections.approve_correction(actor=people.standing, correction=correction)
    correction.refresh_from_db()
    assert correction.state == CorrectionState.APPROVED
    assert correction.decided_by == people.standing
    assert correction.before == {"status": "completed", "progress": 100, "date": "2025-09-20"}
    assert correction.after == {"status": "in_progress", "progress": 90, "date": "2025-09-30"}
    assert (before["completed"], sealed.stats()["completed"]) == (1, 0)
    assert completed.events.count() == 2


def test_refused_changes_nothing(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    before = sealed.stats()
    correction = ask(people, submitted, completed)
    with pytest.raises(ValidationError):  # a refusal says why
        corrections.refuse_correction(actor=people.standing, correction=correction, comment=" ")
    corrections.refuse_correction(actor=people.standing, correction=correction, comment="Đúng")
    correction.refresh_from_db()
    assert (correction.state, correction.before, correction.after) == ("refused", None, None)
    assert sealed.stats() == before and completed.events.count() == 1
    with pytest.raises(ValidationError, match="đã được xử lý"):
        corrections.approve_correction(actor=people.standing, correction=correction)
    assert completed.events.count() == 1


def test_a_reason_is_required_and_the_date_inside_the_period(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(people, submitted, completed, reason=" ", effective_date=date(2025, 10, 1))
    assert set(refused.value.message_dict) == {"reason", "effective_date"}
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("person", "error"),
    [("other_reporter", Http404), ("dept_reporter", Http404), ("standing", PermissionDenied)],
)
def test_only_the_units_reporter_requests(
    people: People, submitted: UnitReport, completed: Assignment, person: str, error: type
) -> None:
    with pytest.raises(error):
        corrections.request_correction(
            actor=getattr(people, person), unit=submitted.unit, period=submitted.period,
            assignment=completed, reason="x", **BACK_TO_90,
        )  # fmt: skip
    assert not Correction.objects.exists()


@pytest.mark.parametrize("person", ["reporter", "head", "other_reporter"])
def test_only_the_standing_office_decides(
    people: People, submitted: UnitReport, completed: Assignment, person: str
) -> None:
    correction = ask(people, submitted, completed)
    with pytest.raises((PermissionDenied, Http404)):
        corrections.approve_correction(actor=getattr(people, person), correction=correction)
    assert Correction.objects.get().state == CorrectionState.REQUESTED
    assert StatusEvent.objects.filter(assignment=completed).count() == 1


def test_the_standing_office_corrects_directly(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    correction = corrections.correct_directly(
        actor=people.standing, unit=submitted.unit, period=submitted.period,
        assignment=completed, reason="Theo văn bản của xã", **BACK_TO_90,
    )  # fmt: skip
    assert correction.state == CorrectionState.APPROVED and completed.events.count() == 2
    with pytest.raises(PermissionDenied):
        corrections.correct_directly(
            actor=people.reporter, unit=submitted.unit, period=submitted.period,
            assignment=completed, reason="x", **BACK_TO_90,
        )  # fmt: skip


def test_a_figure_correction(
    people: People, tree: Tree, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    correction = corrections.request_correction(
        actor=people.reporter, unit=tree.commune, period=report.period, element=element,
        value=Decimal(120), reason="Thiếu hồ sơ tháng 9",
    )  # fmt: skip
    assert DataValue.objects.get().value == 100
    corrections.approve_correction(actor=people.standing, correction=correction)
    correction.refresh_from_db()
    assert DataValue.objects.get().value == 120
    assert (correction.before, correction.after) == ({"value": "100.0000"}, {"value": "120.0000"})
