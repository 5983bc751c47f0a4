"""Every step of a report's workflow tells who acts next, or the unit once it is decided, in
the app and by e-mail; the standing office gets one notice per period counting the reports that
wait, not one per report; history recorded after the fact (`at=`) tells no one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from notifications.models import Notification
from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory
from reporting import services
from reporting.models import UnitReport
from reporting.tests import test_workflow as base
from reporting.tests.test_workflow import DUE

period, report = base.period, base.report  # the workflow tests' fixtures


def told(run: Callable[[], Any], capture: Any) -> dict[str, list[str]]:
    """Username → the texts of the notifications a step created (each counted as it stands)."""
    before = set(Notification.objects.values_list("pk", "count"))
    mail.outbox.clear()
    with capture(execute=True):
        run()
    after = Notification.objects.select_related("recipient").order_by("recipient__username")
    found: dict[str, list[str]] = {}
    for note in after:
        if (note.pk, note.count) not in before:
            found.setdefault(note.recipient.username, []).append(note.text)
    return found


def test_each_step_tells_who_acts_next(
    people: People,
    tree: Tree,
    report: UnitReport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    capture = django_capture_on_commit_callbacks
    second_office = UserFactory(username="tt2", unit=tree.province, role=Role.STANDING_OFFICE)
    unit = report.unit.name

    def submit() -> None:
        services.submit_report(actor=people.reporter, report=report)

    assert told(submit, capture) == {"ldx": [f"{unit}: báo cáo Quý III/2025 đã được nộp, chờ "
                                             "đồng chí duyệt."]}  # fmt: skip
    assert [m.to for m in mail.outbox] == [[people.head.email]]
    assert mail.outbox[0].subject == "[NQ57] Báo cáo Quý III/2025 chờ duyệt"

    def approve() -> None:
        services.approve_report(actor=people.head, report=report)

    waiting = f"{unit}: báo cáo Quý III/2025 đã được lãnh đạo đơn vị duyệt, chờ tiếp nhận."
    assert told(approve, capture) == {"tt": [waiting], "tt2": [waiting]}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people.standing.email, second_office.email]
    )
    office_note = Notification.objects.get(recipient=people.standing)
    assert office_note.url == "/reports/2025-Q3/board/?state=approved"

    def back_from_office() -> None:
        services.return_report(actor=people.standing, report=report, comment="Bổ sung số văn bản")

    returned = told(back_from_office, capture)
    assert sorted(returned) == ["bc", "ldx"]  # past the head's approval: the head is told too
    assert returned["bc"][0].endswith("Ý kiến: Bổ sung số văn bản")

    def again() -> None:
        services.submit_report(actor=people.reporter, report=report)
        services.approve_report(actor=people.head, report=report)

    assert sorted(told(again, capture)) == ["ldx", "tt", "tt2"]

    def receive() -> None:
        services.receive_report(actor=people.standing, report=report)

    received = f"Cơ quan thường trực đã tiếp nhận báo cáo Quý III/2025 của {unit}."
    assert told(receive, capture) == {"bc": [received], "ldx": [received]}


def test_the_office_gets_one_notice_counting_the_reports_that_wait(
    people: People, tree: Tree, period: Any, django_capture_on_commit_callbacks: Any
) -> None:
    other_head = UserFactory(username="ld2", unit=tree.other_commune, role=Role.UNIT_HEAD)
    dept_head = UserFactory(username="lds", unit=tree.dept, role=Role.UNIT_HEAD)
    units = [
        (tree.commune, people.reporter, people.head),
        (tree.other_commune, people.other_reporter, other_head),
        (tree.dept, people.dept_reporter, dept_head),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for unit, reporter, head in units:
            started = services.start_report(actor=reporter, unit=unit, period=period)
            submitted = services.submit_report(actor=reporter, report=started)
            services.approve_report(actor=head, report=submitted)
    notes = Notification.objects.filter(recipient=people.standing)
    assert [(n.count, n.text.split(" (")[0]) for n in notes] == [
        (3, "3 báo cáo Quý III/2025 đã được lãnh đạo đơn vị duyệt, chờ tiếp nhận")
    ]
    office_mails = [m for m in mail.outbox if m.to == [people.standing.email]]
    assert len(office_mails) == 1  # one digest


def test_history_recorded_after_the_fact_tells_no_one(
    people: People, report: UnitReport, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_report(actor=people.reporter, report=report, at=DUE)
        services.return_report(actor=people.head, report=submitted, comment="Sửa", at=DUE)
    assert not Notification.objects.exists() and not mail.outbox


@pytest.mark.parametrize("person", ["standing", "sysadmin"])
def test_a_report_the_office_reopens_tells_the_unit(
    people: People, report: UnitReport, person: str, django_capture_on_commit_callbacks: Any
) -> None:
    report = services.approve_report(
        actor=people.head, report=services.submit_report(actor=people.reporter, report=report)
    )
    report = services.receive_report(actor=people.standing, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        services.reopen_report(actor=getattr(people, person), report=report, comment="Sai số")
    told_users = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told_users == {"bc", "ldx"}
    note = Notification.objects.filter(recipient=people.reporter).get()
    assert "mở lại để đơn vị bổ sung" in note.text and note.text.endswith("Ý kiến: Sai số")
