"""Consumers (the accused person and premises), OTP challenges and SMS outbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Consumer(models.Model):
    """The person a theft case was booked against, and the premises."""

    name = models.CharField(_("name"), max_length=200)
    father_or_husband_name = models.CharField(
        _("father's / husband's name"), max_length=200, blank=True
    )
    address = models.TextField(_("address of the premises"))
    mobile = models.CharField(_("mobile"), max_length=10, blank=True, db_index=True)
    account_number = models.CharField(
        _("account number"), max_length=12, blank=True, db_index=True
    )
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consumer")
        verbose_name_plural = _("consumers")

    def __str__(self):
        return self.name


class OtpPurpose(models.TextChoices):
    REGISTER = "register", _("Registration")
    STATUS = "status", _("Status")
    ASSISTED = "assisted", _("Assisted registration consent")


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

    class Meta:
        verbose_name = _("OTP challenge")
        verbose_name_plural = _("OTP challenges")
        indexes = [models.Index(fields=["mobile", "created_at"])]

    def __str__(self):
        return f"OTP {self.purpose} …{self.mobile[-4:]}"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class SmsMessage(models.Model):
    """An SMS, kept as the outbox (DLT template id + its variables + text)."""

    mobile = models.CharField(max_length=10, db_index=True)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=5, default="hi")
    variables = models.JSONField(default=dict)
    text = models.TextField()
    status = models.CharField(max_length=8, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"SMS {self.template} …{self.mobile[-4:]}"
