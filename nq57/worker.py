"""The background worker that survives its database: django-tasks-db's worker loop with
retries and backoff, a heartbeat, the rescue of jobs whose worker died, and periodic jobs.

`manage.py db_worker` (nq57/management/commands/db_worker.py) runs `ResilientWorker`. What the
library's worker does on its own, and what this adds:
- a database error while polling (PostgreSQL restarting, SQLite "database is locked") no longer
  ends the process: the connection is dropped and the loop waits 1, 2, 4 … 60 s, then goes on;
- a job that fails on a database error is queued again after the same backoff, up to
  JOB_MAX_ATTEMPTS runs in all, instead of being failed at once;
- a thread writes a heartbeat every WORKER_HEARTBEAT_SECONDS (nq57.models.WorkerHeartbeat; read
  by /healthz), even while a long job runs;
- jobs left "running" by a worker that stopped beating (killed, machine lost) are queued again,
  or failed after JOB_MAX_ATTEMPTS runs — never left running;
- the jobs of settings.WORKER_SCHEDULE are queued at their interval, once for all workers."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, TaskResultStatus
from django_tasks_db.utils import exclusive_transaction

from nq57.models import ScheduleMark, WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 60
# A job failing on these (the database gone or restarting) is run again; any other error of
# the database (a constraint, bad data) fails it, as another run would fail the same way.
DATABASE_OUTAGE = (OperationalError, InterfaceError)
HOUSEKEEPING_SECONDS = 30


class WorkerLost(Exception):
    """Recorded on a job whose worker stopped while running it, after its last attempt."""


def backoff_seconds(failures: int) -> float:
    """1, 2, 4 … up to MAX_BACKOFF_SECONDS, with jitter so several workers do not stampede."""
    base: float = min(2 ** max(failures - 1, 0), MAX_BACKOFF_SECONDS)
    return base * random.uniform(0.8, 1.2)


def _drop_connection() -> None:
    """Forget a connection that failed; the next query opens a new one."""
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None


def requeue_or_fail(job: DBTaskResult, reason: BaseException, now: datetime) -> str:
    """Queue the job again after a backoff while it has runs left, else fail it with `reason`.
    Returns the status given."""
    attempts = len(job.worker_ids)
    if attempts < settings.JOB_MAX_ATTEMPTS:
        DBTaskResult.objects.filter(pk=job.pk).update(
            status=TaskResultStatus.READY,
            started_at=None,
            run_after=now + timedelta(seconds=backoff_seconds(attempts)),
        )
        return TaskResultStatus.READY
    job.set_failed(reason)
    return TaskResultStatus.FAILED


def rescue_stuck_jobs(now: datetime, *, own_worker_id: str | None = None) -> int:
    """Jobs "running" for a worker that no longer beats are queued again or failed (see
    requeue_or_fail). `own_worker_id`: the calling worker, idle, so any job still running under
    its id was lost (its result could not be written while the database was down). Idempotent.
    Returns how many jobs it moved."""
    stale = now - timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=stale).values_list("worker_id", flat=True)
    )
    if own_worker_id is not None:
        alive.discard(own_worker_id)
    moved = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for job in running:
            last_worker = job.worker_ids[-1] if job.worker_ids else None
            if last_worker in alive:
                continue
            requeue_or_fail(job, WorkerLost("the worker running this job stopped"), now)
            moved += 1
    return moved


def queue_scheduled(now: datetime, schedule: list[tuple[str, int]]) -> list[str]:
    """Queue each periodic job whose interval has passed since it was last queued (by any
    worker). Returns the paths queued."""
    queued = []
    for path, every in schedule:
        with transaction.atomic():
            mark, created = ScheduleMark.objects.select_for_update().get_or_create(
                task_path=path, defaults={"queued_at": now}
            )
            if created or now - mark.queued_at >= timedelta(seconds=every):
                import_string(path).enqueue()
                ScheduleMark.objects.filter(pk=path).update(queued_at=now)
                queued.append(path)
    return queued


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat row every WORKER_HEARTBEAT_SECONDS until stopped, on a
    connection of its own; a failed write is retried at the next beat."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="nq57-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": self.started_at,
                "beat_at": timezone.now(),
            },
        )

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.beat()
            except DatabaseError as exc:
                logger.warning("Worker heartbeat not written: %s", exc)
                _drop_connection()
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        with contextlib.suppress(DatabaseError):
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        connection.close()


class ResilientWorker(Worker):
    """django-tasks-db's Worker with the loop, job run and housekeeping described above."""

    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(self.worker_id)
        self.next_housekeeping = 0.0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        self.heartbeat.start()
        try:
            self._loop()
        finally:
            self.heartbeat.stopped.set()

    def _loop(self) -> None:
        failures = 0
        while self.running:
            try:
                close_old_connections()
                self._housekeeping()
                job, polled = self._claim()
                if job is not None:
                    self.run_task(job)
                failures = 0
            except DatabaseError as exc:
                failures += 1
                delay = backoff_seconds(failures)
                logger.warning("Database error in the worker (%s); retrying in %.0f s", exc, delay)
                _drop_connection()
                self.sleep(delay)
                continue
            if self.batch and polled and job is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            if self.running and job is None:
                self.sleep(self.interval)

    def _claim(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready job, claimed for this worker; (None, False) when the database was
        locked (SQLite), so nothing could be polled."""
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(jobs.db):
            job = jobs.get_locked()
            if job is not None:
                job.claim(self.worker_id)
        return job, True

    def _housekeeping(self) -> None:
        if time.monotonic() < self.next_housekeeping:
            return
        self.next_housekeeping = time.monotonic() + HOUSEKEEPING_SECONDS
        now = timezone.now()
        rescued = rescue_stuck_jobs(now, own_worker_id=self.worker_id)
        if rescued:
            logger.warning("Rescued %s jobs left running by a stopped worker", rescued)
        queue_scheduled(now, settings.WORKER_SCHEDULE)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed job: successful, failed, or — on a database error — queued again."""
        self.running_task = True
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                context = TaskContext(task_result=task_result)
                value = task.call(context, *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except DATABASE_OUTAGE as exc:
            logger.warning("Job %s hit a database outage: %s", db_task_result.pk, exc)
            _drop_connection()
            requeue_or_fail(db_task_result, exc, timezone.now())
        except BaseException as exc:
            db_task_result.set_failed(exc)
            logger.exception("Job %s failed", db_task_result.pk)
        finally:
            self.running_task = False
            self._run_tasks += 1
