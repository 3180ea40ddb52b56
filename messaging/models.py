"""SMS outbox and OTP challenges (DESIGN §2: the messaging layer).

Both tables were made by the ``consumers`` app and keep their names
(``db_table``), so moving the models here moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OtpPurpose(models.TextChoices):
    REGISTER = "register", _("Registration")
    STATUS = "status", _("Status")
    ASSISTED = "assisted", _("Assisted registration consent")
    RECOVER = "recover", _("Find a registration by case number")
    MOBILE_CHANGE = "mobile_change", _("Change of mobile")


class SmsStatus(models.TextChoices):
    """queued → sending → sent → delivered / failed (owner: messaging/sms.py)."""

    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class SmsMessage(models.Model):
    """An SMS, kept as the outbox (DLT template + its variables + text)."""

    mobile = models.CharField(max_length=10, db_index=True)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=5, default="hi")
    variables = models.JSONField(default=dict)
    text = models.TextField()
    status = models.CharField(max_length=12, choices=SmsStatus.choices,
                              default=SmsStatus.QUEUED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # New columns have database defaults: rows written by code of the old
    # layout during an upgrade (and by raw-SQL benches) stay valid.
    # Sending: each try is counted; a transient failure leaves the message
    # queued until ``next_attempt_at``, after MAX_ATTEMPTS it fails for staff.
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True, default="", db_default="")
    provider = models.CharField(max_length=32, blank=True, default="", db_default="")
    provider_ref = models.CharField(max_length=64, blank=True, default="", db_default="",
                                    db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # IT support sent a failed message again (who and when: DESIGN §1).
    resent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "consumers_smsmessage"
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"SMS {self.template} …{self.mobile[-4:]}"


class OtpChallenge(models.Model):
    """One OTP sent to a mobile (DESIGN §7: 6 digits, hashed, 10 min, 5 tries)."""

    mobile = models.CharField(max_length=10, db_index=True)
    purpose = models.CharField(max_length=16, choices=OtpPurpose.choices)
    subject = models.CharField(
        max_length=64, blank=True, help_text="case number or registration number"
    )
    code_hash = models.CharField(max_length=128)
    # Who asked: sends are limited per (mobile, address) as well as per
    # mobile, so a stranger cannot use up a person's sends (DESIGN §7).
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    # The SMS that carries the code: the OTP page tells the person when it is
    # delayed (provider down) instead of leaving them waiting.
    message = models.ForeignKey(SmsMessage, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        db_table = "consumers_otpchallenge"
        verbose_name = _("OTP challenge")
        verbose_name_plural = _("OTP challenges")
        indexes = [models.Index(fields=["mobile", "created_at"],
                                name="consumers_o_mobile_fed585_idx")]

    def __str__(self):
        return f"OTP {self.purpose} …{self.mobile[-4:]}"
