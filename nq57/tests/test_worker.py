"""The background worker survives its database (issue 18, finding 3): retries with backoff,
keeps beating, rescues the jobs of a worker that died (a report generation killed mid-run is
run again, never left "running"), queues the periodic jobs once for all workers; /healthz
shows it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from documents.content import Kind
from documents.models import Format, GeneratedReport, JobStatus
from documents.services import request_report
from nq57.models import ScheduleMark, WorkerHeartbeat
from nq57.worker import Heartbeat, ResilientWorker, queue_scheduled, rescue_stuck_jobs
from org.tests.conftest import People, Tree
from periods.models import Period

# The worker runs outside any transaction and drops a failed connection: its tests commit, as
# in production (inside a test's transaction a dropped PostgreSQL connection would lose it).
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CALLS: list[str] = []


@task()
def flaky(label: str) -> str:
    """Fails on a database outage the first time, then works."""
    CALLS.append(label)
    if CALLS.count(label) == 1:
        raise OperationalError("terminating connection due to administrator command")
    return f"done {label}"


@task()
def broken_data() -> None:
    raise IntegrityError("duplicate key")


@pytest.fixture(autouse=True)
def _queue(settings: Any) -> None:
    settings.TASKS = DATABASE_QUEUE  # jobs wait in the database for a worker, as in production
    settings.WORKER_SCHEDULE = []  # tested on its own below
    CALLS.clear()


def worker(**options: Any) -> ResilientWorker:
    made = ResilientWorker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=options.pop("max_tasks", None),
        worker_id=options.pop("worker_id", "w-test"), excluded_queue_names=[],
    )  # fmt: skip
    made.slept = []  # type: ignore[attr-defined]
    made.sleep = made.slept.append  # type: ignore[assignment,attr-defined]
    return made


def test_database_errors_while_polling_do_not_stop_the_worker(db: None) -> None:
    """The library's worker exited on the first error; this one waits 1 s, 2 s … and goes on."""
    flaky.enqueue("a")
    running = worker()
    real_claim = running._claim
    outages = [
        OperationalError("could not connect to server"),
        OperationalError("database is locked"),
    ]

    def claim() -> Any:
        if outages:
            raise outages.pop(0)
        return real_claim()

    running._claim = claim  # type: ignore[method-assign]
    running._loop()
    delays = running.slept  # type: ignore[attr-defined]
    assert 0.8 <= delays[0] <= 1.2 and 1.6 <= delays[1] <= 2.4
    assert DBTaskResult.objects.get().status != TaskResultStatus.RUNNING


def test_a_job_failing_on_an_outage_runs_again_after_a_backoff(db: None) -> None:
    result = flaky.enqueue("b")
    worker(max_tasks=1)._loop()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY and job.run_after > timezone.now()
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now())
    worker(worker_id="w-2")._loop()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value == "done b"
    assert job.worker_ids == ["w-test", "w-2"]


def test_other_database_errors_fail_the_job_at_once(db: None) -> None:
    result = broken_data.enqueue()
    worker()._loop()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.FAILED


def test_a_dead_workers_jobs_are_queued_again_then_failed(db: None, settings: Any) -> None:
    result = flaky.enqueue("c")
    job = DBTaskResult.objects.get(pk=result.id)
    job.claim("killed-worker")  # it died holding the job: no heartbeat any more
    now = timezone.now()
    assert rescue_stuck_jobs(now) == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert rescue_stuck_jobs(now) == 0  # idempotent
    for dead in ("killed-2", "killed-3"):  # each run dies again
        DBTaskResult.objects.filter(pk=job.pk).update(status=TaskResultStatus.READY)
        job.refresh_from_db()
        job.claim(dead)
        rescue_stuck_jobs(now)
    job.refresh_from_db()
    assert len(job.worker_ids) == settings.JOB_MAX_ATTEMPTS
    assert job.status == TaskResultStatus.FAILED and "WorkerLost" in job.exception_class_path


def test_a_live_workers_jobs_are_left_alone(db: None) -> None:
    result = flaky.enqueue("d")
    DBTaskResult.objects.get(pk=result.id).claim("busy-worker")
    Heartbeat("busy-worker").beat()
    assert rescue_stuck_jobs(timezone.now()) == 0
    # The worker itself, idle, knows a job still "running" under its id was lost.
    assert rescue_stuck_jobs(timezone.now(), own_worker_id="busy-worker") == 1


def test_periodic_jobs_are_queued_once_per_interval(db: None) -> None:
    schedule = [("nq57.tests.test_worker.broken_data", 600)]
    now = timezone.now()
    assert queue_scheduled(now, schedule) == ["nq57.tests.test_worker.broken_data"]
    assert queue_scheduled(now + timedelta(minutes=5), schedule) == []  # another worker, too soon
    assert queue_scheduled(now + timedelta(minutes=11), schedule) != []
    assert DBTaskResult.objects.count() == 2 and ScheduleMark.objects.count() == 1


def test_health_shows_the_worker(db: None, settings: Any) -> None:
    client = Client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["worker"]["ok"] is False
    Heartbeat("w-health").beat()
    body = client.get("/healthz").json()
    assert body["status"] == "ok", body
    assert body["checks"]["database"]["ok"] and body["checks"]["disk"]["ok"]
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=5))
    assert client.get("/healthz").status_code == 503
    settings.HEALTH_MIN_FREE_MB = 10**12  # a disk nearly full
    Heartbeat("w-health").beat()
    disk = client.get("/healthz").json()["checks"]["disk"]
    assert disk["ok"] is False and disk["free_mb"] > 0


def test_a_report_whose_worker_was_killed_is_generated_again(
    people: People, tree: Tree, quarter: Period, profiles: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(
            actor=people.standing, kind=Kind.QUARTERLY, period=quarter, unit=tree.province,
            fmt=Format.DOCX,
        )  # fmt: skip
    job = DBTaskResult.objects.get()
    job.claim("killed-worker")  # the run started …
    GeneratedReport.objects.filter(pk=report.pk).update(status=JobStatus.RUNNING, progress=40)
    # … and its worker was killed (kill -9): nothing more is written.
    assert rescue_stuck_jobs(timezone.now()) == 1
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now())
    worker(worker_id="w-new")._loop()
    report.refresh_from_db()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert report.status == JobStatus.DONE and report.file, report.error
