"""The plumbing's own rows: the background worker's heartbeat and schedule, import jobs, and
rate-limit counters. No domain data lives here."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running `db_worker`, renewed every WORKER_HEARTBEAT_SECONDS from a thread of
    its own (so a long job does not make it look dead). /healthz reads it; a job claimed by a
    worker that stopped beating is rescued (nq57.worker.rescue_stuck_jobs)."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class ScheduleMark(models.Model):
    """When a periodic job (settings.WORKER_SCHEDULE) was last queued; locked while one worker
    decides, so several workers queue it once."""

    task_path = models.CharField(max_length=255, primary_key=True)
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.task_path


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã xong")
    REJECTED = "rejected", _("Tệp có lỗi, không lưu gì")
    FAILED = "failed", _("Không nhập được")


class ImportJob(models.Model):
    """An XLSX import run in the background (nq57.imports): the request stores the file and
    returns; the worker reads it, applies all rows or none through the app's own import, and
    keeps the outcome here for the page. The file is deleted once read."""

    handler = models.CharField(max_length=200)  # dotted path of the app's import function
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/", blank=True)
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    # The import function's other arguments, from the form (ImportForm.job_options).
    options = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    errors = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    summary = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    # Shown once, then erased (one-time passwords of imported accounts).
    secret = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.original_name

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED)


class ThrottleHit(models.Model):
    """One attempt counted against a limit (org.throttle): `scope` names the limit, `key` whom
    it counts (an account, an e-mail address, a client address, hashed)."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return self.scope
