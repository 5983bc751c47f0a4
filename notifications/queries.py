from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import Notification
from org.models import User


def for_user(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return for_user(user).filter(read_at__isnull=True).count()
