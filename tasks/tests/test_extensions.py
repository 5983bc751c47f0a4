"""Deadline extensions (gia hạn): the lead unit asks, the standing office decides; an approval
moves the deadline from the decision's day only, and the history page shows every record.
Role × unit matrices: works / outsider 404 / read-only 403, nothing changed on denial."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse

from dashboard.tests.test_home import count
from notifications.models import Notification
from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from org.tests.test_views import client_for
from tasks import history, services
from tasks.models import DeadlineExtension, ExtensionState, Task, TaskRevision
from tasks.queries import task_stats
from tasks.tests.test_views import PROOF, Work, new_task, record, work  # noqa: F401
from tasks.timeliness import Status

TODAY = date(2025, 10, 2)  # the suite's clock


@pytest.fixture
def late(people: People, tree: Tree, work: Work) -> Task:  # noqa: F811
    """The department's task, due 30/09/2025 and finished on 01/10: late by its deadline."""
    task = new_task(people, "T-TRE", tree.dept, work.source, work.area, deadline=date(2025, 9, 30))
    record(people, task.assignments.get(), Status.COMPLETED, date(2025, 10, 1), **PROOF)
    return task


def ask(people: People, task: Task, until: date = date(2025, 10, 31)) -> DeadlineExtension:
    return services.request_extension(
        actor=people.dept_reporter, task=task, requested_deadline=until, reason="Chờ kinh phí"
    )


def test_approval_moves_the_deadline_from_the_decision_day(
    people: People, late: Task, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        extension = ask(people, late)
    assert extension.state == ExtensionState.PENDING and extension.current_deadline == date(
        2025, 9, 30
    )
    told = Notification.objects.get(recipient=people.standing)
    assert "đề nghị gia hạn nhiệm vụ T-TRE" in told.text
    before = task_stats(as_of=date(2025, 9, 30)).counts
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_extension(actor=people.standing, extension=extension, approve=True)
    assert "Đã đồng ý" in Notification.objects.get(recipient=people.dept_reporter).text
    late.refresh_from_db()
    assert late.deadline == date(2025, 10, 31) and late.revised_on == TODAY
    revision = TaskRevision.objects.get(task=late)
    assert revision.extension == extension and revision.recorded_by == people.standing
    assert revision.changes == {"deadline": ["2025-09-30", "2025-10-31"]}
    # Yesterday's figures keep the deadline they had; from today the extended one counts.
    assert task_stats(as_of=date(2025, 9, 30)).counts == before
    now = task_stats(as_of=TODAY)
    assert now.verdicts[late.pk].timeliness == "completed_on_time"
    original = task_stats(as_of=TODAY, original_deadlines=True)
    assert original.verdicts[late.pk].timeliness == "completed_late"
    assert original.counts["completed_late"] == now.counts["completed_late"] + 1
    assert history.original_deadlines(TODAY) == {late.pk: date(2025, 9, 30)}
    out = io.StringIO()
    args = ("--as-of", "2025-10-02", "--original-deadlines", "--json")
    call_command("task_stats", *args, stdout=out)
    assert json.loads(out.getvalue()) == original.counts
    assert history.as_of(late, date(2025, 10, 1)).deadline == date(2025, 9, 30)


def test_a_later_edit_of_the_deadline_is_the_new_original(people: People, late: Task) -> None:
    services.decide_extension(actor=people.standing, extension=ask(people, late), approve=True)
    late.refresh_from_db()
    services.update_task(actor=people.standing, task=late, deadline=date(2025, 11, 30))
    assert history.original_deadlines(TODAY) == {}


def test_refusal_needs_a_reason_and_changes_nothing(people: People, late: Task) -> None:
    extension = ask(people, late)
    with pytest.raises(ValidationError):
        services.decide_extension(actor=people.standing, extension=extension, approve=False)
    services.decide_extension(
        actor=people.standing, extension=extension, approve=False, comment="Không có căn cứ"
    )
    late.refresh_from_db()
    assert late.deadline == date(2025, 9, 30) and not TaskRevision.objects.exists()
    with pytest.raises(ValidationError, match="đã được quyết định"):
        services.decide_extension(actor=people.standing, extension=extension, approve=True)


@pytest.mark.parametrize(
    ("until", "field"),
    [(date(2025, 9, 30), "requested_deadline"), (date(2025, 9, 1), "requested_deadline")],
)
def test_a_request_must_move_the_deadline_later(
    people: People, late: Task, until: date, field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        ask(people, late, until)
    assert field in refused.value.message_dict
    assert not DeadlineExtension.objects.exists()


def test_one_pending_request_per_task_and_none_for_recurring(
    people: People,
    tree: Tree,
    late: Task,
    work: Work,  # noqa: F811
) -> None:
    ask(people, late)
    with pytest.raises(ValidationError, match="đang chờ"):
        ask(people, late, date(2025, 12, 31))
    recurring = new_task(people, "T-TX", tree.dept, work.source, work.area, deadline=None)
    with pytest.raises(ValidationError, match="thường xuyên"):
        ask(people, recurring)
    with pytest.raises(ValidationError, match="lý do"):
        services.request_extension(
            actor=people.dept_reporter, task=late, requested_deadline=date(2026, 1, 1), reason=" "
        )


@pytest.mark.parametrize(
    ("person", "error"),
    [("reporter", Http404), ("province_viewer", PermissionDenied), ("head", Http404)],
)
def test_services_refuse_the_wrong_people(
    people: People, late: Task, person: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        services.request_extension(
            actor=getattr(people, person), task=late, requested_deadline=date(2025, 12, 1),
            reason="x",
        )  # fmt: skip
    extension = ask(people, late)
    with pytest.raises((Http404, PermissionDenied)):
        services.decide_extension(actor=people.dept_reporter, extension=extension, approve=True)
    assert DeadlineExtension.objects.get().state == ExtensionState.PENDING


# --- pages ------------------------------------------------------------------------------------


@pytest.fixture
def dept_head(tree: Tree) -> Any:
    return UserFactory(username="lds", unit=tree.dept, role=Role.UNIT_HEAD)


def who(people: People, dept_head: Any, person: str) -> Any:
    return dept_head if person == "dept_head" else getattr(people, person)


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("dept_reporter", 302),
        ("standing", 302),
        ("sysadmin", 302),
        ("dept_head", 403),
        ("province_viewer", 403),
        ("reporter", 404),
        ("other_reporter", 404),
        ("communes_admin", 404),
    ],
)
def test_request_page_matrix(
    people: People, dept_head: Any, late: Task, person: str, status: int
) -> None:
    url = reverse("tasks:extension_request", args=[late.code])
    data = {"requested_deadline": "31/10/2025", "reason": "Chờ kinh phí"}
    response = client_for(who(people, dept_head, person)).post(url, data)
    assert response.status_code == status
    assert DeadlineExtension.objects.count() == (1 if status == 302 else 0)


def test_detail_offers_the_request_to_the_lead_unit_only(
    people: People, dept_head: Any, late: Task
) -> None:
    url = reverse("tasks:task_detail", args=[late.code])
    assert "extension-form" in client_for(people.dept_reporter).get(url).content.decode()
    assert "extension-form" not in client_for(dept_head).get(url).content.decode()
    assert "extension-form" not in client_for(people.province_viewer).get(url).content.decode()


def test_a_refused_request_shows_why_and_saves_nothing(people: People, late: Task) -> None:
    url = reverse("tasks:extension_request", args=[late.code])
    data = {"requested_deadline": "01/09/2025", "reason": "Chờ kinh phí"}
    page = client_for(people.dept_reporter).post(url, data, follow=True).content.decode()
    assert "phải sau thời hạn hiện tại (30/09/2025)" in page
    assert not DeadlineExtension.objects.exists()


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("standing", 302),
        ("sysadmin", 302),
        ("dept_reporter", 403),
        ("dept_head", 403),
        ("province_viewer", 403),
        ("reporter", 404),
        ("communes_admin", 404),
    ],
)
def test_decision_matrix(
    people: People, dept_head: Any, late: Task, person: str, status: int
) -> None:
    extension = ask(people, late)
    url = reverse("tasks:extension_decide", args=[extension.pk])
    response = client_for(who(people, dept_head, person)).post(url, {"decision": "approve"})
    assert response.status_code == status
    extension.refresh_from_db()
    late.refresh_from_db()
    if status == 302:
        assert extension.state == ExtensionState.APPROVED
        assert late.deadline == date(2025, 10, 31)
    else:
        assert extension.state == ExtensionState.PENDING and extension.decided_by is None
        assert late.deadline == date(2025, 9, 30) and not TaskRevision.objects.exists()


@pytest.mark.parametrize(
    ("person", "status"),
    [("standing", 200), ("dept_reporter", 403), ("province_viewer", 403), ("reporter", 403)],
)
def test_extension_list_matrix(people: People, late: Task, person: str, status: int) -> None:
    ask(people, late)
    response = client_for(getattr(people, person)).get(reverse("tasks:extension_list"))
    assert response.status_code == status
    if status == 200:
        assert "Chờ kinh phí" in response.content.decode()


def test_refusing_on_the_list_needs_a_comment(
    people: People, late: Task, django_assert_max_num_queries: Any
) -> None:
    extension = ask(people, late)
    client = client_for(people.standing)
    url = reverse("tasks:extension_decide", args=[extension.pk])
    page = client.post(url, {"decision": "refuse"}, follow=True).content.decode()
    assert "Phải nêu lý do không đồng ý gia hạn." in page
    client.post(url, {"decision": "refuse", "comment": "Không có căn cứ"})
    extension.refresh_from_db()
    assert extension.state == ExtensionState.REFUSED and extension.comment == "Không có căn cứ"
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("tasks:extension_list") + "?state=refused")
    assert "Không có căn cứ" in listing.content.decode()


def test_detail_shows_both_deadlines_once_extended(people: People, late: Task) -> None:
    services.decide_extension(actor=people.standing, extension=ask(people, late), approve=True)
    page = client_for(people.dept_reporter).get(reverse("tasks:task_detail", args=[late.code]))
    text = page.content.decode()
    assert "theo hạn gốc (30/09/2025)" in text and "Hoàn thành quá hạn" in text
    assert "theo hạn đã gia hạn (31/10/2025)" in text and "Hoàn thành đúng hạn" in text
    past = client_for(people.dept_reporter).get(
        reverse("tasks:task_detail", args=[late.code]) + "?as_of=01/10/2025"
    )
    assert 'data-testid="task-deadline">30/09/2025' in past.content.decode()


# --- the history page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("dept_reporter", 200),
        ("standing", 200),
        ("province_viewer", 200),
        ("reporter", 404),
        ("communes_admin", 404),
    ],
)
def test_history_page(
    people: People,
    late: Task,
    work: Work,  # noqa: F811
    person: str,
    status: int,
    django_assert_max_num_queries: Any,
) -> None:
    services.update_task(
        actor=people.standing, task=late, area=work.area, title="Tên mới", reason="Sửa tên"
    )
    services.decide_extension(actor=people.standing, extension=ask(people, late), approve=True)
    url = reverse("tasks:task_history", args=[late.code])
    client = client_for(getattr(people, person))
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == status
    if status != 200:
        return
    text = response.content.decode()
    assert (
        text.count('data-testid="history-entry"') == 5
    )  # edit, request, decision, revision, event
    assert "Tên nhiệm vụ</strong>: Nhiệm vụ T-TRE → Tên mới" in text
    assert "Sửa tên" in text and "Chờ kinh phí" in text
    assert "Thời hạn</strong>: 30/09/2025 → 31/10/2025" in text
    assert "Đã hoàn thành · 100%" in text
    assert people.standing.full_name in text


def test_the_office_home_counts_the_requests_waiting(people: People, late: Task) -> None:
    ask(people, late)
    home = client_for(people.standing).get(reverse("home")).content.decode()
    assert count(home, "extensions") == ("1", reverse("tasks:extension_list"))
    assert "Đề nghị gia hạn nhiệm vụ chờ quyết định" in home


def test_the_task_list_as_of_a_past_day_shows_the_deadline_then(people: People, late: Task) -> None:
    services.decide_extension(actor=people.standing, extension=ask(people, late), approve=True)
    client = client_for(people.dept_reporter)
    url = reverse("tasks:task_list")
    past = client.get(url, {"as_of": "01/10/2025"}).content.decode()
    now = client.get(url).content.decode()
    assert "30/09/2025" in past and "31/10/2025" not in past
    assert "31/10/2025" in now
