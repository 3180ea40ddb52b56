from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ViewOnlyAdmin
from consumers.models import MobileChangeRequest


@admin.register(MobileChangeRequest)
class MobileChangeRequestAdmin(ViewOnlyAdmin, SimpleHistoryAdmin):
    """Read only: an officer decides in the staff area (consumers.mobile_change)."""

    list_display = ("case", "new_mobile", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("case__case_number", "new_mobile")
