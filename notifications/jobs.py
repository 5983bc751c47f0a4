"""Background jobs of notifications, run by the django-tasks worker (`manage.py db_worker`)."""

from django_tasks import task

from notifications import digest


@task()
def send_digest(user_id: int) -> int:
    """One person's e-mail digest (notifications.digest.send_digest)."""
    return digest.send_digest(user_id)
