"""Consumers: the accused person and the premises.

OTP challenges and the SMS outbox moved to ``messaging`` (tables kept).
"""

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
