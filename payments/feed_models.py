"""Rows of the billing feed (DESIGN §8): the sequence counter and postings.

Kept beside ``payments.models`` (which imports this module) so the ledger's
own models stay as they are; ``payments.ledger_feed`` is the only code that
writes these rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LedgerSequence(models.Model):
    """The last sequence number given to a ledger entry: one row (pk 1).

    Locked for the length of each numbering run, so runs never overlap.
    """

    last_seq = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ledger sequence")
        verbose_name_plural = _("ledger sequence")

    def __str__(self):
        return str(self.last_seq)


class LedgerPosting(models.Model):
    """The billing system's confirmation that it posted one ledger entry."""

    entry = models.OneToOneField(
        "payments.LedgerEntry", on_delete=models.PROTECT, related_name="posting"
    )
    reference = models.CharField(_("billing reference"), max_length=64)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    # Written through the API: in history with the client's service user as
    # its author, like every other write of a client (DESIGN §8).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledger posting")
        verbose_name_plural = _("ledger postings")

    def __str__(self):
        return f"{self.entry_id} → {self.reference}"
