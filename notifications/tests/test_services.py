"""notify (in-app rows, e-mail queued on commit) and marking notifications read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from notifications import digest, services
from notifications.jobs import send_digest
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


# --- folding events of one kind, and e-mail digests --------------------------------------------


def fold(user: object, unit: str) -> int:
    return services.notify(
        recipients=[user], text=f"{unit}: báo cáo chờ tiếp nhận", url="/reports/2025-Q3/board/",
        email_subject="[NQ57] Báo cáo chờ tiếp nhận", key="report-approved:2025-Q3",
        summary=lambda n: f"{n} báo cáo chờ tiếp nhận (mới nhất: {unit})",
    )  # fmt: skip


def test_events_of_one_kind_fold_into_one_unread_row(
    people: People, django_capture_on_commit_callbacks
) -> None:
    services.notify(recipients=[people.standing], text="Khác")
    with django_capture_on_commit_callbacks(execute=True):
        for unit in ("Xã A", "Xã B", "Xã C"):
            fold(people.standing, unit)
    rows = list(Notification.objects.filter(recipient=people.standing))
    assert [(r.text, r.count) for r in rows] == [
        ("3 báo cáo chờ tiếp nhận (mới nhất: Xã C)", 3),  # back on top
        ("Khác", 1),
    ]
    assert unread_count(people.standing) == 2
    services.mark_all_read(user=people.standing)
    fold(people.standing, "Xã D")  # once read, the next event starts a new row
    assert Notification.objects.filter(recipient=people.standing).count() == 3
    assert Notification.objects.get(read_at__isnull=True).text == "Xã D: báo cáo chờ tiếp nhận"


def test_one_digest_carries_everything_pending(
    people: People, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://nq57.nghean.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        fold(people.standing, "Xã A")
        fold(people.standing, "Xã B")
        services.notify(
            recipients=[people.standing], text="Xã C đề nghị điều chỉnh", url="/reports/x/",
            email_subject="[NQ57] Đề nghị điều chỉnh",
        )  # fmt: skip
    assert len(mail.outbox) == 1  # one message, not three
    message = mail.outbox[0]
    assert message.subject == "[NQ57] 3 thông báo mới" and message.to == [people.standing.email]
    assert "2 báo cáo chờ tiếp nhận (mới nhất: Xã B)" in message.body
    assert "Xã C đề nghị điều chỉnh\nXem chi tiết: https://nq57.nghean.gov.vn/reports/x/" in (
        message.body
    )
    assert not Notification.objects.filter(email_pending=True).exists()


def test_a_deferring_worker_waits_then_the_sweep_sends_what_is_late(
    people: People, django_capture_on_commit_callbacks, settings
) -> None:
    """With a worker that can wait (the database backend), the digest is queued for later; if
    it is lost, the hourly sweep sends it once its delay has passed, and only once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NOTIFICATION_DIGEST_MINUTES = 10
    with django_capture_on_commit_callbacks(execute=True):
        fold(people.standing, "Xã A")
        fold(people.standing, "Xã B")
    queued = send_digest.get_backend().results  # type: ignore[attr-defined]
    assert len(queued) == 1  # the first pending item started the digest; the second joined it
    wait = queued[0].task.run_after - timezone.now()
    assert timedelta(minutes=9) < wait <= timedelta(minutes=10)
    assert not mail.outbox
    assert digest.send_due_digests(timezone.now()) == 0  # not due yet
    later = timezone.now() + timedelta(minutes=11)
    assert digest.send_due_digests(later) == 1 and len(mail.outbox) == 1
    assert digest.send_due_digests(later) == 0 and len(mail.outbox) == 1
