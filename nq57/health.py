"""/healthz for the province's monitoring: the database answers, a background worker beats,
the disk where uploads and reports are written has room. 200 when all hold, 503 otherwise,
with each check in JSON; nothing about users or data."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nq57.models import WorkerHeartbeat


def _database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"ok": False}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _worker() -> dict[str, Any]:
    try:
        beat = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
        last = beat.first()
    except DatabaseError:
        return {"ok": False}
    if last is None:
        return {"ok": False, "seconds_since_beat": None}
    age = timezone.now() - last
    return {
        "ok": age <= timedelta(seconds=settings.WORKER_STALE_SECONDS),
        "seconds_since_beat": int(age.total_seconds()),
    }


def _disk() -> dict[str, Any]:
    folder = Path(settings.MEDIA_ROOT)
    while not folder.exists():  # before the first upload: the folder it will be made in
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    return {"ok": free_mb >= settings.HEALTH_MIN_FREE_MB, "free_mb": free_mb}


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "worker": _worker(), "disk": _disk()}
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "fail", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
