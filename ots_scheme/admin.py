from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ots_scheme.models import Phase, Registration, Scheme


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_en", "eligible_from", "eligible_to", "is_demo", "is_active")
    inlines = [PhaseInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ("registration_number", "case", "scheme", "status", "total_payable",
                    "registration_fee", "balance")
    list_filter = ("status", "scheme")
    search_fields = ("registration_number", "case__case_number", "mobile")
    raw_id_fields = ("case", "assisted_by", "verified_by", "rejected_by")
