"""Machine clients in the admin: listed, revocable (never made here: the token
is shown once by ``manage.py api_client_create``), and the request log."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from api import services
from api.models import ApiClient, ApiRequestLog


@admin.register(ApiClient)
class ApiClientAdmin(SimpleHistoryAdmin):
    list_display = ("name", "unit", "scopes", "active", "token_hint", "created_at", "revoked_at")
    list_filter = ("active",)
    search_fields = ("name",)
    readonly_fields = ("name", "unit", "scopes", "active", "token_hint", "created_by",
                       "created_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected clients' tokens"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.client_revoke(client_id=client.pk, user=request.user)
        self.message_user(request, _("Revoked."), messages.SUCCESS)


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "client", "method", "endpoint", "status", "duration_ms")
    list_filter = ("status", "method")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
