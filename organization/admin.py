from django.contrib import admin

from organization.models import OrgUnit, StaffProfile


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_hi", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("code", "name_en", "name_hi")
    readonly_fields = ("path", "depth")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code")
    autocomplete_fields = ("unit",)
