"""Consumers (the accused person and premises), OTP challenges and SMS outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ots_scheme.models import IdProofType


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
    RECOVER = "recover", _("Find a registration by case number")
    MOBILE_CHANGE = "mobile_change", _("Change of mobile")


class OtpChallenge(models.Model):
    """One OTP sent to a mobile (DESIGN §7: 6 digits, hashed, 10 min, 5 tries)."""

    mobile = models.CharField(max_length=10, db_index=True)
    purpose = models.CharField(max_length=16, choices=OtpPurpose.choices)
    subject = models.CharField(
        max_length=64, blank=True, help_text="case number or registration number"
    )
    code_hash = models.CharField(max_length=128)
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


class MobileChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class MobileChangeRequest(models.Model):
    """A person's request to replace a case's mobile on record (issue 16).

    The new mobile is proven by OTP and the person by an ID proof; an officer
    (SDO or above) of the case's jurisdiction decides. Status is owned by
    ``consumers.mobile_change``.
    """

    JURISDICTION_FIELD = "case__sub_division"

    case = models.ForeignKey("theft_cases.TheftCase", on_delete=models.PROTECT,
                             related_name="mobile_change_requests", verbose_name=_("case"))
    old_mobile = models.CharField(_("mobile on record"), max_length=10, blank=True)
    new_mobile = models.CharField(_("new mobile"), max_length=10)
    id_proof_type = models.CharField(_("ID proof"), max_length=20, choices=IdProofType.choices)
    id_proof_last4 = models.CharField(_("last 4 of the ID number"), max_length=4)
    document = models.FileField(_("copy of the ID proof"), upload_to="mobile-change/%Y/%m/")
    status = models.CharField(_("status"), max_length=10, choices=MobileChangeStatus.choices,
                              default=MobileChangeStatus.PENDING, db_index=True)
    language = models.CharField(max_length=5, default="hi")  # of the SMS sent back
    reason = models.CharField(_("reason for refusing"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("change of mobile")
        verbose_name_plural = _("changes of mobile")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request per case: a second waits for the first decision.
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="pending"),
                                    name="one_pending_mobile_change_per_case"),
        ]

    def __str__(self):
        return f"{self.case_id}: …{self.new_mobile[-4:]} ({self.status})"
