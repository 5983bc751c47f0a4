"""Every write to notifications: `notify` (in-app rows, folded by kind, and the e-mail digest
queued to the worker) and marking them read. Reading them is notifications.queries; the digests
themselves are notifications.digest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from notifications import digest
from notifications.jobs import send_digest
from notifications.models import Notification
from org.models import User

TEXT_MAX = Notification._meta.get_field("text").max_length or 500


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    text: str,
    url: str = "",
    email_subject: str | None = None,
    key: str = "",
    summary: Callable[[int], str] | None = None,
) -> int:
    """Tell each active recipient (each once) in the app; with `email_subject`, by e-mail too
    for those with an address — in their digest, queued once the transaction commits.

    `key` names the kind of event (e.g. "report-approved:2025-Q3"): while the recipient has an
    unread notification with the same key, the event folds into it (its count goes up, `summary`
    of the count becomes its text, it comes back to the top) instead of adding a row. Returns
    how many people were notified."""
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    mailed = [user for user in people if email_subject is not None and user.email]
    waiting = set(
        Notification.objects.filter(recipient__in=mailed, email_pending=True).values_list(
            "recipient_id", flat=True
        )
    )
    fields = {"url": url, "subject": email_subject or ""}
    for user in people:
        _tell(user, text, key, summary, fields | {"email_pending": user in mailed})
    for user in mailed:
        if user.pk not in waiting:  # the first pending item starts the user's digest
            transaction.on_commit(partial(_queue_digest, user.pk))
    return len(people)


def _tell(
    user: User,
    text: str,
    key: str,
    summary: Callable[[int], str] | None,
    fields: dict[str, object],
) -> None:
    if key and _fold(user, text, key, summary, fields):
        return
    try:
        with transaction.atomic():
            Notification.objects.create(recipient=user, key=key, **_texts(text), **fields)
    except IntegrityError:  # a concurrent event of the same key created the row first
        _fold(user, text, key, summary, fields)


def _fold(
    user: User,
    text: str,
    key: str,
    summary: Callable[[int], str] | None,
    fields: dict[str, object],
) -> bool:
    """Fold the event into the user's unread row of the same key; False when there is none."""
    row = (
        Notification.objects.select_for_update()
        .filter(recipient=user, key=key, read_at__isnull=True)
        .first()
    )
    if row is None:
        return False
    row.count += 1
    for name, value in (_texts(summary(row.count) if summary else text) | fields).items():
        setattr(row, name, value)
    row.email_pending = row.email_pending or bool(fields["email_pending"])
    row.created_at = timezone.now()
    row.save()
    return True


def _texts(text: str) -> dict[str, str]:
    """The in-app text cut to fit its column, and the whole of it when cut (for the e-mail)."""
    flat = " ".join(text.split())
    if len(flat) <= TEXT_MAX:
        return {"text": flat, "whole_text": ""}
    return {"text": flat[: TEXT_MAX - 1] + "…", "whole_text": text.strip()}


def _queue_digest(user_id: int) -> None:
    """The user's digest, after `digest.delay()` where the worker can wait (the in-process
    backend of tests and small setups sends it at once)."""
    if send_digest.get_backend().supports_defer:
        send_digest.using(run_after=timezone.now() + digest.delay()).enqueue(user_id)
    else:
        send_digest.enqueue(user_id)


def mark_read(*, user: User, notification: Notification) -> None:
    """Only the recipient may mark it; to anyone else it does not exist."""
    if notification.recipient_id != user.pk:
        raise Http404
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
