from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        from org.signals import units_restructured
        from reporting.receivers import carry_required_units

        units_restructured.connect(carry_required_units, dispatch_uid="reporting.required_units")
