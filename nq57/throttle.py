"""Counting attempts against a limit, in the database so every app server counts the same.

A window slides: an attempt is refused while `limit` counted attempts fall within the last
`window`. Refused attempts are not counted, so a limit never extends itself: it lifts when the
oldest counted attempt leaves the window, whatever is tried meanwhile."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.utils import timezone

from nq57.models import ThrottleHit


def _key(key: str) -> str:
    # Stored hashed: the table says how often, never whose e-mail address or which account.
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()


def allowed(scope: str, key: str, *, limit: int, window: timedelta) -> bool:
    """Whether one more attempt may be made now."""
    since = timezone.now() - window
    count = ThrottleHit.objects.filter(scope=scope, key=_key(key), at__gte=since).count()
    return count < limit


def record(scope: str, key: str, *, window: timedelta) -> None:
    """Count one attempt (and forget those of this scope older than the window)."""
    now = timezone.now()
    ThrottleHit.objects.filter(scope=scope, at__lt=now - window).delete()
    ThrottleHit.objects.create(scope=scope, key=_key(key), at=now)


def clear(scope: str, key: str) -> None:
    ThrottleHit.objects.filter(scope=scope, key=_key(key)).delete()
