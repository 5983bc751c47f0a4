"""Background jobs of tasks, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.services import notify
from org.models import Role, Unit, User
from tasks.models import Task


@task()
def send_task_reminders(task_id: int, unit_ids: list[int]) -> int:
    """The lead unit's reminder (tasks.services.remind_late) to the reporters of each late
    assignee, in the app and by e-mail (in their digests). Returns how many people were told."""
    work = Task.objects.select_related("lead_unit").get(pk=task_id)
    url = reverse("tasks:task_detail", kwargs={"code": work.code})
    reporters: dict[int, list[User]] = {}
    for user in User.objects.filter(unit_id__in=unit_ids, role=Role.REPORTER, is_active=True):
        reporters.setdefault(user.unit_id, []).append(user)
    deadline = date_format(work.deadline, "SHORT_DATE_FORMAT") if work.deadline else "—"
    told = 0
    for unit in Unit.objects.filter(pk__in=unit_ids).order_by("path"):
        values = {
            "lead": work.lead_unit.name,
            "code": work.code,
            "title": work.title,
            "unit": unit.name,
            "deadline": deadline,
        }
        told += notify(
            recipients=reporters.get(unit.pk, []),
            text=_(
                "%(lead)s nhắc %(unit)s: nhiệm vụ %(code)s — %(title)s (hạn %(deadline)s) đang "
                "chậm. Đề nghị cập nhật tiến độ và minh chứng."
            )
            % values,
            url=url,
            email_subject=_("[NQ57] Nhắc thực hiện nhiệm vụ %(code)s") % values,
            key=f"task-reminder:{work.code}:{unit.code}",  # the latest replaces an unread one
        )
    return told
