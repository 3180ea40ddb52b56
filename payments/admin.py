from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from payments.models import Payment, PaymentEvent


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "status_before", "status_after", "payload", "created_at")


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ("order_id", "registration", "purpose", "amount", "status", "mode",
                    "gateway_reference", "paid_at")
    list_filter = ("status", "purpose", "mode")
    search_fields = ("order_id", "gateway_reference", "receipt_number")
    raw_id_fields = ("registration",)
    inlines = [PaymentEventInline]
