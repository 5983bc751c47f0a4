"""E-mail digests: each person gets one message with everything pending for them, a while after
the first of it, instead of one message per event (the deadline hour would otherwise send the
standing office a hundred). Run by the job `send_digest` (queued by services.notify) and swept
by `send_due_digests` (the hourly job), so a lost job delays a digest, never drops it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from org.models import User


def delay() -> timedelta:
    """How long a digest waits for more to tell after its first item."""
    return timedelta(minutes=settings.NOTIFICATION_DIGEST_MINUTES)


def send_digest(user_id: int) -> int:
    """Mail the user what is pending for them, in one message, and mark it sent; returns how
    many notifications it carried (0: nothing pending, or no address). The rows stay pending if
    sending fails (the transaction is rolled back), for the next run."""
    with transaction.atomic():
        pending = Notification.objects.select_for_update().filter(
            recipient_id=user_id, email_pending=True
        )
        rows = list(pending.order_by("created_at", "id"))
        if not rows:
            return 0
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(email_pending=False)
        user = User.objects.get(pk=user_id)
        if not (user.is_active and user.email):
            return 0
        message = mail.EmailMessage(_subject(rows), _body(rows), to=[user.email])
        message.send()
    return len(rows)


def send_due_digests(now: datetime) -> int:
    """Every digest whose first item has waited its delay (a job lost, a worker down): the
    hourly sweep. Returns how many digests went out."""
    due = Notification.objects.filter(email_pending=True, created_at__lte=now - delay())
    users = sorted(set(due.values_list("recipient_id", flat=True)))
    return sum(1 for user_id in users if send_digest(user_id))


def _subject(rows: list[Notification]) -> str:
    if len(rows) == 1 and rows[0].subject:
        return rows[0].subject
    n = sum(row.count for row in rows)
    return ngettext("[NQ57] %(n)s thông báo mới", "[NQ57] %(n)s thông báo mới", n) % {"n": n}


def _body(rows: list[Notification]) -> str:
    parts = [_item(row) for row in rows]
    parts.append(_("Thư này do hệ thống NQ57 gửi tự động, vui lòng không trả lời."))
    return "\n\n".join(parts) + "\n"


def _item(row: Notification) -> str:
    text = row.whole_text or row.text
    if not row.url:
        return text
    link = settings.SITE_URL + row.url if row.url.startswith("/") else row.url
    return f"{text}\n" + _("Xem chi tiết: %(link)s") % {"link": link}
