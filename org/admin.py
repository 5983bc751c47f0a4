from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from org.models import Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "unit_type", "active_to")
    search_fields = ("code", "name")
    list_filter = ("unit_type",)
    readonly_fields = ("path", "depth", "numchild")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin):
    list_display = ("username", "full_name", "unit", "role", "is_active")
    search_fields = ("username", "full_name", "email")
    list_filter = ("role", "is_active")
    exclude = ("password",)
