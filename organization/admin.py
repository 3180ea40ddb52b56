from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from organization.models import OrgUnit, StaffProfile


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_hi", "kind", "parent", "phone")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_hi")
    readonly_fields = ("path", "depth")
    fieldsets = (
        (None, {"fields": ("kind", "code", "parent", "name_hi", "name_en", "path", "depth")}),
        (_("Office contacts (shown to the public)"),
         {"fields": ("address_hi", "address_en", "phone", "hours_hi", "hours_en")}),
    )


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code")
    autocomplete_fields = ("unit",)
