from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consumers.models import MobileChangeRequest


@admin.register(MobileChangeRequest)
class MobileChangeRequestAdmin(SimpleHistoryAdmin):
    """Read only: an officer decides in the staff area (consumers.mobile_change)."""

    list_display = ("case", "new_mobile", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("case__case_number", "new_mobile")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
