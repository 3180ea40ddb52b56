from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from consumers.models import Consumer, OtpChallenge, SmsMessage


@admin.register(Consumer)
class ConsumerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "account_number", "mobile")
    search_fields = ("name", "account_number", "mobile")


@admin.register(OtpChallenge)
class OtpChallengeAdmin(admin.ModelAdmin):
    list_display = ("mobile", "purpose", "subject", "created_at", "attempts", "verified_at")
    exclude = ("code_hash",)
    readonly_fields = ("mobile", "purpose", "subject", "created_at", "expires_at",
                       "attempts", "verified_at")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("mobile", "template", "language", "status", "created_at")
    list_filter = ("template", "status", "language")
