from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from org.signals import units_restructured
        from tasks.receivers import carry_assignments

        units_restructured.connect(carry_assignments, dispatch_uid="tasks.assignments")
