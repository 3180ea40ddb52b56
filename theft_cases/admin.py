from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from theft_cases.models import ActionItem, ActionRecord, CaseImport, Consumer, Reminder, TheftCase


@admin.register(Consumer)
class ConsumerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account_number", "mobile")
    search_fields = ("name", "account_number", "mobile")


@admin.register(TheftCase)
class TheftCaseAdmin(SimpleHistoryAdmin):
    list_display = ("case_number", "detection_date", "sub_division", "category",
                    "assessment_amount", "status")
    list_filter = ("status", "category", "theft_type")
    search_fields = ("case_number", "consumer__name", "consumer__account_number")
    raw_id_fields = ("consumer",)
    autocomplete_fields = ("sub_division",)
    date_hierarchy = "detection_date"
    # Owned by theft_cases.lifecycle (DESIGN §4.3).
    readonly_fields = ("status", "flagged_at")


@admin.register(CaseImport)
class CaseImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "uploaded_by", "uploaded_at", "status", "total_rows",
                    "created_count", "updated_count", "unchanged_count", "rejected_count")
    list_filter = ("status",)


class ActionRecordInline(admin.TabularInline):
    model = ActionRecord
    extra = 0


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
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
