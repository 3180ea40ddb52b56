from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ViewOnlyAdmin
from payments.models import (
    LedgerEntry,
    MissingPaymentReport,
    Payment,
    PaymentEvent,
    RefusedCallbackTally,
    SandboxTransaction,
)


class PaymentEventInline(admin.TabularInline):
    """The ledger is append-only: events are shown, never edited or deleted."""

    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "status_before", "status_after", "payload", "created_at")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("order_id", "registration", "purpose", "amount", "status", "mode",
                    "gateway_reference", "paid_at")
    list_filter = ("status", "purpose", "mode")
    search_fields = ("order_id", "gateway_reference", "receipt_number")
    raw_id_fields = ("registration",)
    inlines = [PaymentEventInline]
    # The ledger moves only on what the bank says (payments.services).
    readonly_fields = ("status", "amount", "gateway_reference", "paid_at", "expires_at",
                       "order_id", "purpose", "mode", "gateway", "receipt_number",
                       "recorded_by")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = ("id", "seq", "kind", "payment", "registration", "amount", "reference",
                    "created_at")
    list_filter = ("kind",)
    search_fields = ("payment__order_id", "registration__registration_number", "reference")


@admin.register(MissingPaymentReport)
class MissingPaymentReportAdmin(SimpleHistoryAdmin):
    list_display = ("registration", "bank_reference", "found", "payment", "created_at",
                    "resolved_at")
    list_filter = ("found", ("resolved_at", admin.EmptyFieldListFilter))
    search_fields = ("registration__registration_number", "bank_reference")
    raw_id_fields = ("registration", "payment")


@admin.register(SandboxTransaction)
class SandboxTransactionAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Read only: the sandbox bank's own records (payments.gateways.sandbox)."""

    list_display = ("order_id", "bank_reference", "amount", "status", "paid_at")
    search_fields = ("order_id", "bank_reference")


@admin.register(RefusedCallbackTally)
class RefusedCallbackTallyAdmin(admin.ModelAdmin):
    list_display = ("day", "reason", "count", "first_at", "last_at")
    list_filter = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
