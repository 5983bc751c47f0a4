"""Background jobs of documents, run by the django-tasks worker (`manage.py db_worker`)."""

from django.utils import timezone
from django_tasks import task

from documents import generation


@task()
def generate_report(report_id: int) -> str:
    """Generate a requested report (documents.generation.run_report); returns its final status."""
    return generation.run_report(report_id).status


@task()
def sweep_reports() -> int:
    """The periodic sweep of dead runs (management command `sweep_reports`); see
    documents.generation.fail_stale_reports. Returns how many it failed."""
    return generation.fail_stale_reports(timezone.now())
