"""Background jobs of documents, run by the django-tasks worker (`manage.py db_worker`)."""

from django_tasks import task

from documents import services


@task()
def generate_report(report_id: int) -> str:
    """Generate a requested report (documents.services.run_report); returns its final status."""
    return services.run_report(report_id).status
