from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import DocumentProfile, GeneratedReport, OutlineSection, SectionText


@admin.register(DocumentProfile)
class DocumentProfileAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "unit", "style", "issuer", "signer_name")
    list_filter = ("kind", "style")
    search_fields = ("issuer", "unit__code", "unit__name")
    raw_id_fields = ("unit",)


@admin.register(GeneratedReport)
class GeneratedReportAdmin(admin.ModelAdmin):
    """Read-only: rows are made by requests and jobs, and kept as versions."""

    list_display = (
        "kind", "period", "unit", "version", "as_of", "format", "status", "requested_at",
    )  # fmt: skip
    list_filter = ("kind", "format", "status")
    search_fields = ("unit__code", "period__code")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # a generated version is kept: never deleted


@admin.register(OutlineSection)
class OutlineSectionAdmin(SimpleHistoryAdmin):
    """The outlines are edited on their page (/documents/outlines/); here to read their history."""

    list_display = ("outline", "order", "code", "level", "title")
    list_filter = ("outline__kind", "level")


@admin.register(SectionText)
class SectionTextAdmin(SimpleHistoryAdmin):
    """The prose is written in the composer; here to read its history."""

    list_display = ("kind", "period", "unit", "section", "version", "updated_by", "updated_at")
    list_filter = ("kind",)
    raw_id_fields = ("period", "unit", "updated_by")
