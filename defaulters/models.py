"""Action against unregistered defaulters (DESIGN §4.4): items, records, reminders.

The tables keep their names from when these models were ``theft_cases``'
(``db_table``; issue 13 moved them with every row): the set-based sweep and
the bench data write them by name, and an upgrade renames nothing.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from theft_cases.models import TheftCase


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ActionItem(models.Model):
    """Work on one flagged defaulter, assigned to the case's sub-division (§4.4)."""

    JURISDICTION_FIELD = "sub_division"

    case = models.ForeignKey(TheftCase, on_delete=models.PROTECT, related_name="action_items")
    # Not indexed on their own (issue 18: each index is a write per item the
    # sweep opens): nothing lists items by scheme (deleting a scheme, which
    # PROTECT checks, is an admin's rare act), and a sub-division's items are
    # read on (sub_division, status, due_date) below.
    scheme = models.ForeignKey(
        "ots_scheme.Scheme", on_delete=models.PROTECT, related_name="action_items",
        db_index=False,
    )
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="action_items",
        db_index=False,
    )
    reason = models.CharField(
        max_length=16,
        choices=[("unregistered", _("Not registered")), ("lapsed", _("Registration lapsed"))],
    )
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("due date"))
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=12, choices=ClosedReason.choices, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # History rows are read by ``id`` (an item's history on the case page, the
    # admin) ordered by ``history_date`` only: the sweep writes one per item it
    # opens, and each index simple-history would copy is a write per row. Its
    # user is checked by the ORM, not by a deferred constraint per row.
    history = HistoricalRecords(
        table_name="theft_cases_historicalactionitem",
        no_db_index=["case", "scheme", "sub_division"], user_db_constraint=False,
    )

    class Meta:
        db_table = "theft_cases_actionitem"
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            # The sweep is idempotent: at most one open item per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=~models.Q(status="closed"),
                name="one_open_action_item_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["sub_division", "status", "due_date"]),
            # The API's case change feed pages the sweep's flags (a new item
            # is a flag) on (created_at, case) beside the cases' (updated_at, id).
            models.Index(fields=["created_at", "case"], name="actionitem_created_case"),
        ]

    def __str__(self):
        return f"{self.case} ({self.get_status_display()})"


class ActionKind(models.TextChoices):
    NOTICE = "notice", _("Notice served")
    CALL = "call", _("Reminder call")
    DISCONNECTION = "disconnection", _("Disconnection")
    RC = "rc", _("Recovery certificate sent to tehsil")
    FIR = "fir", _("FIR follow-up")
    NOT_TRACEABLE = "not_traceable", _("Person not traceable")


class ActionRecord(models.Model):
    """What an officer did about an action item (date, officer, remarks)."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("action"), max_length=16, choices=ActionKind.choices)
    done_on = models.DateField(_("date"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    remarks = models.TextField(_("remarks"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="theft_cases_historicalactionrecord")

    class Meta:
        db_table = "theft_cases_actionrecord"
        ordering = ["-done_on", "-created_at"]
        verbose_name = _("action record")
        verbose_name_plural = _("action records")

    def __str__(self):
        return f"{self.get_kind_display()} {self.done_on}"


class Reminder(models.Model):
    """A reminder SMS sent for a case in a phase (at most one per phase and kind)."""

    case = models.ForeignKey(TheftCase, on_delete=models.CASCADE, related_name="reminders")
    phase = models.ForeignKey("ots_scheme.Phase", on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "theft_cases_reminder"
        constraints = [
            models.UniqueConstraint(
                fields=["case", "phase", "days_before"], name="one_reminder_per_phase_kind"
            )
        ]
