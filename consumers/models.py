"""Consumers: requests of the public journey (a change of the mobile on record).

OTP challenges and the SMS outbox moved to ``messaging``, the ``Consumer``
itself to ``theft_cases`` (issue 13); their tables kept their names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ots_scheme.models import IdProofType


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
            models.UniqueConstraint(fields=["case"],
                                    condition=models.Q(status=MobileChangeStatus.PENDING),
                                    name="one_pending_mobile_change_per_case"),
        ]

    def __str__(self):
        return f"{self.case_id}: …{self.new_mobile[-4:]} ({self.status})"
