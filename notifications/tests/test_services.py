"""notify (in-app rows, e-mail queued on commit) and marking notifications read."""

from __future__ import annotations

import pytest
from django.core import mail
from django.http import Http404

from notifications import services
from notifications.models import Notification
from notifications.queries import unread_count
from org.models import Role
from org.tests.conftest import People, Tree
from org.tests.factories import UserFactory


def test_notify_writes_one_row_per_active_recipient_and_mails_after_commit(
    people: People, tree: Tree, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://nq57.nghean.gov.vn"
    gone = UserFactory(username="gone", unit=tree.commune, role=Role.REPORTER, is_active=False)
    silent = UserFactory(username="silent", unit=tree.commune, role=Role.REPORTER, email="")
    recipients = [people.reporter, people.head, people.reporter, gone, silent]
    with django_capture_on_commit_callbacks() as callbacks:
        count = services.notify(
            recipients=recipients, text="Báo cáo Quý III/2025 bị trả lại", url="/reports/x/",
            email_subject="[NQ57] Trả lại",
        )  # fmt: skip
        assert not mail.outbox  # nothing leaves before the transaction commits
    assert count == 3
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "bc",
        "ldx",
        "silent",
    ]
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [people.reporter.email, people.head.email]
    message = mail.outbox[0]
    assert message.subject == "[NQ57] Trả lại" and len(message.to) == 1
    assert "Báo cáo Quý III/2025 bị trả lại" in message.body
    assert "https://nq57.nghean.gov.vn/reports/x/" in message.body


def test_notify_without_subject_sends_no_mail_and_cuts_long_text(
    people: People, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify(recipients=[people.reporter], text="x" * 900) == 1
    assert not mail.outbox
    text = Notification.objects.get().text
    assert len(text) == 500 and text.endswith("…")


def test_long_text_goes_whole_by_email(people: People, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[people.reporter], text="ý " * 400, email_subject="S")
    assert mail.outbox[0].body.count("ý") == 400


def test_only_the_recipient_marks_a_notification_read(people: People) -> None:
    services.notify(recipients=[people.reporter, people.head], text="Nhắc nộp")
    mine = Notification.objects.get(recipient=people.reporter)
    with pytest.raises(Http404):
        services.mark_read(user=people.head, notification=mine)
    mine.refresh_from_db()
    assert mine.read_at is None
    services.mark_read(user=people.reporter, notification=mine)
    first = mine.read_at
    assert first is not None
    services.mark_read(user=people.reporter, notification=mine)  # again: nothing changes
    mine.refresh_from_db()
    assert mine.read_at == first
    assert unread_count(people.reporter) == 0 and unread_count(people.head) == 1


def test_mark_all_read_touches_only_own_unread(people: People) -> None:
    for text in ("Một", "Hai", "Ba"):
        services.notify(recipients=[people.reporter, people.head], text=text)
    services.mark_read(
        user=people.reporter, notification=Notification.objects.filter(recipient=people.reporter)[0]
    )
    assert services.mark_all_read(user=people.reporter) == 2
    assert services.mark_all_read(user=people.reporter) == 0
    assert unread_count(people.reporter) == 0 and unread_count(people.head) == 3
