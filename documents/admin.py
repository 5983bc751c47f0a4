from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import DocumentProfile, GeneratedReport


@admin.register(DocumentProfile)
class DocumentProfileAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "unit", "style", "issuer", "signer_name")
    list_filter = ("kind", "style")
    search_fields = ("issuer", "unit__code", "unit__name")
    raw_id_fields = ("unit",)


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Read-only: rows are made by requests and jobs, and kept as versions."""

    list_display = ("kind", "period", "unit", "as_of", "format", "status", "requested_at")
    list_filter = ("kind", "format", "status")
    search_fields = ("unit__code", "period__code")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
