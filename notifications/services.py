"""Every write to notifications: `notify` (in-app rows, and e-mail queued to the worker) and
marking them read. Reading them is notifications.queries."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.jobs import send_email
from notifications.models import Notification
from org.models import User

TEXT_MAX = Notification._meta.get_field("text").max_length or 500


def notify(
    *,
    recipients: Iterable[User],
    text: str,
    url: str = "",
    email_subject: str | None = None,
) -> int:
    """One in-app notification per active recipient (each counted once); with `email_subject`,
    also an e-mail to those with an address, queued once the transaction commits. The in-app
    text is cut to fit its column; the e-mail carries it whole, with the link. Returns how many
    people were notified."""
    people = list({user.pk: user for user in recipients if user.is_active}.values())
    Notification.objects.bulk_create(
        Notification(recipient=user, text=_shorten(text), url=url) for user in people
    )
    addresses = sorted({user.email for user in people if user.email})
    if email_subject is not None and addresses:
        body = _email_body(text, url)
        transaction.on_commit(
            partial(send_email.enqueue, subject=email_subject, body=body, recipients=addresses)
        )
    return len(people)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def _email_body(text: str, url: str) -> str:
    parts = [text.strip()]
    if url:
        link = settings.SITE_URL + url if url.startswith("/") else url
        parts.append(_("Xem chi tiết: %(link)s") % {"link": link})
    parts.append(_("Thư này do hệ thống NQ57 gửi tự động, vui lòng không trả lời."))
    return "\n\n".join(parts) + "\n"


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
