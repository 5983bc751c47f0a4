"""Background jobs of documents, run by the django-tasks worker (`manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import TaskContext, task

from documents import generation


@task(takes_context=True)
def generate_report(context: TaskContext, report_id: int) -> str:
    """Generate a requested report (documents.generation.run_report); returns its final status.
    A second attempt means the worker of the first died mid-run (nq57.worker rescued the job)."""
    return generation.run_report(report_id, retry=context.attempt > 1).status


@task()
def sweep_reports() -> int:
    """The periodic sweep of dead runs (management command `sweep_reports`); see
    documents.generation.fail_stale_reports. Returns how many it failed."""
    return generation.fail_stale_reports(timezone.now())
