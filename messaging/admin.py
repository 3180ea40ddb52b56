from django.contrib import admin

from messaging.models import OtpChallenge, SmsMessage


@admin.register(OtpChallenge)
class OtpChallengeAdmin(admin.ModelAdmin):
    list_display = ("mobile", "purpose", "subject", "created_at", "attempts", "verified_at")
    exclude = ("code_hash",)
    readonly_fields = ("mobile", "purpose", "subject", "created_at", "expires_at",
                       "attempts", "verified_at", "message")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("mobile", "template", "language", "status", "attempts", "created_at")
    list_filter = ("template", "status", "language")
    # The outbox keeps OTPs until sent: never shown nor editable here.
    exclude = ("variables", "text")
    readonly_fields = ("mobile", "template", "language", "status", "created_at", "sent_at",
                       "attempts", "last_attempt_at", "next_attempt_at", "error", "provider",
                       "provider_ref", "delivered_at", "failed_at", "resent_by", "resent_at")
