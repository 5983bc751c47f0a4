from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from org.signals import closure_preview, unit_closed, units_restructured
        from tasks.receivers import carry_assignments, end_closed_unit_assignments, preview_closure

        units_restructured.connect(carry_assignments, dispatch_uid="tasks.assignments")
        unit_closed.connect(end_closed_unit_assignments, dispatch_uid="tasks.closed_unit")
        closure_preview.connect(preview_closure, dispatch_uid="tasks.closure_preview")
