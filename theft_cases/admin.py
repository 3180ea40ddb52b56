from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ViewOnlyAdmin
from theft_cases.models import CaseImport, Consumer, TheftCase


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
class CaseImportAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Read only: uploaded, previewed and applied on the staff import pages."""

    list_display = ("original_name", "uploaded_by", "uploaded_at", "status", "total_rows",
                    "created_count", "updated_count", "unchanged_count", "rejected_count")
    list_filter = ("status",)
