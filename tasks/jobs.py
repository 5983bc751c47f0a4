"""Background work of tasks: telling people of deadline extensions once they are committed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.services import notify
from org.models import Role, User
from tasks.models import DeadlineExtension, ExtensionState


@task()
def notify_extension(extension_id: int) -> int:
    """An extension asked: tell the standing office (one notice counting the requests that
    wait); decided: tell the lead unit's reporters and whoever asked. In the app and by
    e-mail. Returns how many were told."""
    extension = DeadlineExtension.objects.select_related("task__lead_unit", "requested_by").get(
        pk=extension_id
    )
    task_ = extension.task
    names = {
        "unit": task_.lead_unit.name,
        "task": task_.code,
        "date": date_format(extension.requested_deadline, "SHORT_DATE_FORMAT"),
        "state": extension.get_state_display(),
    }
    if extension.state == ExtensionState.PENDING:
        return notify(
            recipients=User.objects.filter(role=Role.STANDING_OFFICE, is_active=True),
            text=_("%(unit)s đề nghị gia hạn nhiệm vụ %(task)s đến %(date)s.") % names,
            url=reverse("tasks:extension_list"),
            email_subject=_("[NQ57] Đề nghị gia hạn nhiệm vụ %(task)s") % names,
            key="extension-requested",
            summary=lambda n: (
                _("%(n)s đề nghị gia hạn nhiệm vụ chờ quyết định (mới nhất: %(task)s).")
                % (names | {"n": n})
            ),
        )
    reporters = User.objects.filter(unit=task_.lead_unit, role=Role.REPORTER, is_active=True)
    return notify(
        recipients=[*reporters, extension.requested_by],
        text=_("Đề nghị gia hạn nhiệm vụ %(task)s đến %(date)s: %(state)s.") % names,
        url=reverse("tasks:task_detail", kwargs={"code": task_.code}),
        email_subject=_("[NQ57] Gia hạn nhiệm vụ %(task)s: %(state)s") % names,
    )
