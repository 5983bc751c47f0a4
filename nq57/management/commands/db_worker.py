"""`manage.py db_worker`: django-tasks-db's command, running nq57.worker.ResilientWorker."""

from typing import Any

from django_tasks_db.management.commands import db_worker

from nq57.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run the background worker: retries with backoff on database errors, writes a "
        "heartbeat (/healthz), rescues jobs left running by a stopped worker and queues the "
        "periodic jobs (settings.WORKER_SCHEDULE)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
