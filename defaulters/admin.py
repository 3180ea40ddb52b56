from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ViewOnlyAdmin
from defaulters.models import ActionItem, ActionRecord, Reminder


class ActionRecordInline(ViewOnlyAdmin, admin.TabularInline):
    model = ActionRecord
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(ViewOnlyAdmin, SimpleHistoryAdmin):
    """Read only: the sweep opens items, officers act in the staff area (defaulters.actions)."""

    list_display = ("case", "scheme", "sub_division", "reason", "status", "due_date",
                    "escalated_at", "closed_reason")
    list_filter = ("status", "reason", "closed_reason", "scheme")
    search_fields = ("case__case_number",)
    date_hierarchy = "created_at"
    raw_id_fields = ("case",)
    inlines = [ActionRecordInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("case", "phase", "days_before", "sent_at")
    raw_id_fields = ("case",)
