"""Corrections (reporting.corrections): the one way a sealed period still changes. Requested by
the unit's reporter with a reason, approved (applied at once, before/after recorded) or refused
by the standing office, or made by it directly; every denied or refused step changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from indicators import services as indicator_services
from indicators.models import ConfirmedWarning, DataElement, DataValue, RuleKind
from indicators.validation import EntryRejected
from notifications.models import Notification
from org.tests.conftest import People, Tree
from org.tests.test_views import client_for
from reporting import corrections
from reporting.models import Correction, CorrectionState, UnitReport
from reporting.tests import test_figure_lock as figures
from reporting.tests import test_seals as sealed
from reporting.tests import test_views as base
from reporting.tests.test_views import move, url
from tasks.models import Assignment, StatusEvent

pytestmark = pytest.mark.django_db

period = sealed.period
report = sealed.report
work = sealed.work
completed = sealed.completed
element = figures.element
_fresh_clients = base._fresh_clients

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


@pytest.mark.parametrize("decide", ["approve", "refuse"])
@pytest.mark.parametrize(
    ("person", "error"),
    [("reporter", PermissionDenied), ("head", PermissionDenied), ("other_reporter", Http404)],
)
def test_only_the_standing_office_decides(
    people: People,
    submitted: UnitReport,
    completed: Assignment,
    person: str,
    error: type[Exception],
    decide: str,
) -> None:
    correction = ask(people, submitted, completed)
    actor = getattr(people, person)
    with pytest.raises(error):
        if decide == "approve":
            corrections.approve_correction(actor=actor, correction=correction)
        else:
            corrections.refuse_correction(actor=actor, correction=correction, comment="Không")
    assert Correction.objects.get().state == CorrectionState.REQUESTED
    assert StatusEvent.objects.filter(assignment=completed).count() == 1


def test_an_open_period_is_edited_directly_not_corrected(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    with pytest.raises(ValidationError, match="chưa niêm phong"):
        ask(people, report, completed)
    assert not Correction.objects.exists()


def test_a_status_before_the_tasks_latest_update_is_refused_at_request(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    """Approval could never apply it (the history is appended in date order)."""
    with pytest.raises(ValidationError, match="20/09/2025"):
        ask(people, submitted, completed, effective_date=date(2025, 9, 10))
    assert not Correction.objects.exists()


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


# --- from the report page ----------------------------------------------------------------------


def request_data(assignment: Assignment, **over: str) -> dict[str, str]:
    values = {
        "assignment": str(assignment.pk), "status": "in_progress", "progress": "90",
        "effective_date": "30/09/2025", "reason": "Nhập nhầm trạng thái",
    }  # fmt: skip
    return values | over


@pytest.mark.parametrize(
    ("person", "status", "state"),
    [
        ("reporter", 302, CorrectionState.REQUESTED),
        ("standing", 302, CorrectionState.APPROVED),  # corrected directly
        ("head", 403, None),
        ("other_reporter", 404, None),
        ("dept_reporter", 404, None),
        ("province_viewer", 403, None),
    ],
)
def test_the_page_takes_a_correction(
    people: People,
    submitted: UnitReport,
    completed: Assignment,
    person: str,
    status: int,
    state: str | None,
) -> None:
    user = getattr(people, person)
    response = client_for(user).post(url("correction_request"), request_data(completed))
    assert response.status_code == status
    assert list(Correction.objects.values_list("state", flat=True)) == ([state] if state else [])
    assert completed.events.count() == (2 if state == CorrectionState.APPROVED else 1)


def test_the_page_lists_corrections_and_offers_the_forms(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    content = base.page(people.reporter)
    assert 'data-testid="correction-form"' in content
    ask(people, submitted, completed)
    content = base.page(people.reporter)
    assert content.count('data-testid="correction"') == 1 and "Nhập nhầm trạng thái" in content
    assert 'data-testid="correction-approve"' not in content
    assert 'data-testid="correction-approve"' in base.page(people.standing)


def test_a_draft_never_sent_offers_no_correction(
    people: People, report: UnitReport, completed: Assignment
) -> None:
    assert 'data-testid="report-corrections"' not in base.page(people.reporter)


@pytest.mark.parametrize(
    ("person", "decision", "status", "state"),
    [
        ("standing", "approve", 302, CorrectionState.APPROVED),
        ("standing", "refuse", 302, CorrectionState.REFUSED),
        ("reporter", "approve", 403, CorrectionState.REQUESTED),
        ("head", "approve", 403, CorrectionState.REQUESTED),
        ("other_reporter", "approve", 404, CorrectionState.REQUESTED),
        ("standing", "delete", 404, CorrectionState.REQUESTED),
    ],
)
def test_the_page_decides(
    people: People,
    submitted: UnitReport,
    completed: Assignment,
    person: str,
    decision: str,
    status: int,
    state: str,
) -> None:
    correction = ask(people, submitted, completed)
    response = client_for(getattr(people, person)).post(
        url("correction_decide", correction.pk, decision), {"comment": "Ý kiến"}
    )
    assert response.status_code == status
    assert Correction.objects.get().state == state
    assert completed.events.count() == (2 if state == CorrectionState.APPROVED else 1)
    if state == CorrectionState.APPROVED:
        assert "Đã hoàn thành 100% → Đang thực hiện 90%" in base.page(people.standing)


def test_the_office_is_told_of_a_request_and_the_unit_of_the_decision(
    people: People,
    submitted: UnitReport,
    completed: Assignment,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        correction = ask(people, submitted, completed)
    told_office = Notification.objects.get(recipient=people.standing)
    assert told_office.url == reverse("reporting:correction_list")  # the requests that wait
    with django_capture_on_commit_callbacks(execute=True):
        corrections.refuse_correction(actor=people.standing, correction=correction, comment="Đúng")
    told = Notification.objects.get(recipient=people.reporter)
    assert "Không duyệt" in told.text


def test_requests_wait_in_the_offices_queue_counted_on_its_home(
    people: People, submitted: UnitReport, completed: Assignment
) -> None:
    queue = reverse("reporting:correction_list")
    assert client_for(people.reporter).get(queue).status_code == 403  # the office's page
    ask(people, submitted, completed)
    listed = client_for(people.standing).get(queue).content.decode()
    assert listed.count('data-testid="correction-item"') == 1
    assert url("report") + "#report-corrections" in listed
    home = client_for(people.standing).get(reverse("home")).content.decode()
    assert f'href="{queue}" data-testid="count-corrections"><span class="count text-warning-' in (
        home
    )
    assert '<span class="count text-warning-emphasis" data-testid="figure">1</span>' in home


# --- a figure's correction runs the validation rules ---------------------------------------------


def _range_rule(people: People, element: DataElement, severity: str, top: int) -> None:
    indicator_services.create_rule(
        actor=people.standing, code=f"HS_TONG_{severity}", kind=RuleKind.RANGE,
        severity=severity, element=element, min_value=Decimal(0), max_value=Decimal(top),
        message=f"Hồ sơ không quá {top}",
    )  # fmt: skip


def _ask_figure(people: People, report: UnitReport, element: DataElement, value: int) -> Any:
    return corrections.request_correction(
        actor=people.reporter, unit=report.unit, period=report.period, element=element,
        value=Decimal(value), reason="Thiếu hồ sơ tháng 9",
    )  # fmt: skip


def test_a_figure_an_error_rule_refuses_is_not_even_requested(
    people: People, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    _range_rule(people, element, "error", 150)
    with pytest.raises(EntryRejected) as refused:
        _ask_figure(people, report, element, 500)
    assert refused.value.messages == ["Hồ sơ không quá 150"]
    assert not Correction.objects.exists() and DataValue.objects.get().value == 100


def test_an_error_rule_added_since_the_request_refuses_the_approval(
    people: People, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    correction = _ask_figure(people, report, element, 500)
    _range_rule(people, element, "error", 150)
    with pytest.raises(EntryRejected):
        corrections.approve_correction(actor=people.standing, correction=correction)
    correction.refresh_from_db()
    assert correction.state == CorrectionState.REQUESTED  # nothing applied, still to decide
    assert DataValue.objects.get().value == 100
    with pytest.raises(EntryRejected):  # directly, the same
        corrections.correct_directly(
            actor=people.standing, unit=report.unit, period=report.period, element=element,
            value=Decimal(500), reason="Số liệu đúng",
        )  # fmt: skip
    assert Correction.objects.count() == 1


def test_a_warning_needs_the_deciders_confirmation_with_a_comment(
    people: People, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    _range_rule(people, element, "warning", 150)
    correction = _ask_figure(people, report, element, 500)  # a warning does not stop a request
    with pytest.raises(EntryRejected) as asked:
        corrections.approve_correction(actor=people.standing, correction=correction)
    assert asked.value.needs_confirmation
    with pytest.raises(ValidationError):  # confirmed without saying why
        corrections.approve_correction(
            actor=people.standing, correction=correction, accept_warnings=True
        )
    correction.refresh_from_db()
    assert correction.state == CorrectionState.REQUESTED and DataValue.objects.get().value == 100
    assert not ConfirmedWarning.objects.exists()
    corrections.approve_correction(
        actor=people.standing, correction=correction, accept_warnings=True,
        comment="Xã tiếp nhận thêm hồ sơ của 2 xã cũ sáp nhập",
    )  # fmt: skip
    correction.refresh_from_db()
    assert correction.state == CorrectionState.APPROVED and DataValue.objects.get().value == 500
    [warning] = ConfirmedWarning.objects.all()
    assert (warning.comment, warning.confirmed_by) == (
        "Xã tiếp nhận thêm hồ sơ của 2 xã cũ sáp nhập",
        people.standing,
    )
    latest = DataValue.history.latest("history_date")  # type: ignore[attr-defined]
    assert latest.history_change_reason == (
        "Thiếu hồ sơ tháng 9; Xã tiếp nhận thêm hồ sơ của 2 xã cũ sáp nhập"
    )


def test_the_page_asks_to_confirm_a_warning_then_approves(
    people: People, report: UnitReport, element: DataElement
) -> None:
    move(people, report, "submit")
    _range_rule(people, element, "warning", 150)
    correction = _ask_figure(people, report, element, 500)
    client = client_for(people.standing)
    approve = url("correction_decide", correction.pk, "approve")
    response = client.post(approve, {}, follow=True)
    assert "Hồ sơ không quá 150" in response.content.decode()
    assert "Đánh dấu xác nhận và ghi ý kiến để duyệt." in response.content.decode()
    assert DataValue.objects.get().value == 100
    client.post(approve, {"accept_warnings": "on", "comment": "Đã kiểm tra hồ sơ gốc"})
    correction.refresh_from_db()
    assert correction.state == CorrectionState.APPROVED and DataValue.objects.get().value == 500


def test_a_figures_correction_is_not_held_by_the_units_other_figures(
    people: People, report: UnitReport, element: DataElement
) -> None:
    """A required figure the commune left empty is an error of its own, not of the corrected
    figure: only the rules reading the corrected figure judge it."""
    other = indicator_services.create_element(
        actor=people.standing, code="HS_TT", name="Hồ sơ trực tuyến", value_type=element.value_type,
        period_kind=element.period_kind, unit_types=element.unit_types,
    )  # fmt: skip
    indicator_services.create_rule(
        actor=people.standing, code="HS_TT_BAT_BUOC", kind=RuleKind.REQUIRED, severity="error",
        element=other, message="Phải nhập hồ sơ trực tuyến",
    )  # fmt: skip
    move(people, report, "submit")
    correction = _ask_figure(people, report, element, 120)
    corrections.approve_correction(actor=people.standing, correction=correction)
    assert DataValue.objects.get(element=element).value == 120
