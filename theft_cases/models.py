"""Theft cases fed by JE/SDO, the consumers they were booked against, and their
bulk imports.

Lifecycle (DESIGN §4.3): fed → registered → settled; or fed → flagged →
action_taken (→ registered if they register after all). The action against
defaulters (items, records, reminders) is the ``defaulters`` app's.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 14, "decimal_places": 2}


class Category(models.TextChoices):
    LMV1 = "LMV-1", _("LMV-1 Domestic")
    LMV2 = "LMV-2", _("LMV-2 Non-domestic / commercial")
    LMV3 = "LMV-3", _("LMV-3 Public lamps")
    LMV4 = "LMV-4", _("LMV-4 Institutions")
    LMV5 = "LMV-5", _("LMV-5 Private tubewells")
    LMV6 = "LMV-6", _("LMV-6 Small and medium power")
    LMV7 = "LMV-7", _("LMV-7 Public water works")
    LMV8 = "LMV-8", _("LMV-8 State tubewells")
    LMV9 = "LMV-9", _("LMV-9 Temporary supply")
    LMV10 = "LMV-10", _("LMV-10 Departmental")
    HV1 = "HV-1", _("HV-1")
    HV2 = "HV-2", _("HV-2 Large and heavy power")
    HV3 = "HV-3", _("HV-3")
    HV4 = "HV-4", _("HV-4")
    NC = "NC", _("No connection (direct theft)")


class TheftType(models.TextChoices):
    DIRECT = "direct", _("Direct / katiya")
    BYPASS = "bypass", _("Meter bypass")
    TAMPERING = "tampering", _("Meter tampering")
    UNAUTHORISED_USE = "unauthorised_use", _("Unauthorised use")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    FED = "fed", _("Fed")
    REGISTERED = "registered", _("Registered")
    SETTLED = "settled", _("Settled")
    FLAGGED = "flagged", _("Flagged")
    ACTION_TAKEN = "action_taken", _("Action taken")


class Consumer(models.Model):
    """The person a theft case was booked against, and the premises.

    Case feeding writes it, so it lives here (DESIGN §2); it came from
    ``consumers`` (issue 13) and keeps that app's tables.
    """

    name = models.CharField(_("name"), max_length=200)
    father_or_husband_name = models.CharField(
        _("father's / husband's name"), max_length=200, blank=True
    )
    address = models.TextField(_("address of the premises"))
    # Indexed in Meta: looked up by equality only, so without the extra
    # pattern (LIKE) index PostgreSQL gets for an indexed CharField.
    mobile = models.CharField(_("mobile"), max_length=10, blank=True)
    account_number = models.CharField(_("account number"), max_length=12, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # History rows are read by ``id`` (one consumer's history) and
    # ``history_date`` only: the other indexes simple-history would copy only
    # slow a bulk import down (migration 0008). Its user is checked by the
    # ORM, not by a deferred constraint per row (``user_db_constraint``).
    history = HistoricalRecords(
        table_name="consumers_historicalconsumer",
        no_db_index=["mobile", "account_number"], user_db_constraint=False,
    )

    class Meta:
        db_table = "consumers_consumer"
        indexes = [
            models.Index(fields=["mobile"], name="consumer_mobile"),
            models.Index(fields=["account_number"], name="consumer_account_number"),
        ]
        verbose_name = _("consumer")
        verbose_name_plural = _("consumers")

    def __str__(self):
        return self.name


class TheftCase(models.Model):
    JURISDICTION_FIELD = "sub_division"

    case_number = models.CharField(_("case number"), max_length=40, unique=True)
    detection_date = models.DateField(_("detection date"), db_index=True)
    consumer = models.ForeignKey(
        Consumer, on_delete=models.PROTECT, related_name="cases"
    )
    # No index of its own: the (sub_division, detection_date) index below serves it.
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="theft_cases",
        verbose_name=_("sub-division"), db_index=False,
    )
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    theft_type = models.CharField(_("theft type"), max_length=20, choices=TheftType.choices)
    load_kw = models.DecimalField(
        _("load (kW)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fir_number = models.CharField(_("FIR number"), max_length=60, blank=True)
    police_station = models.CharField(_("police station"), max_length=120, blank=True)
    assessment_amount = models.DecimalField(_("assessment (₹)"), **MONEY)
    compounding_fee = models.DecimalField(_("compounding fee (₹)"), default=0, **MONEY)
    deposited_amount = models.DecimalField(_("deposited (₹)"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FED
    )
    fed_at = models.DateTimeField(_("fed at"), db_index=True)
    # Never filtered on: no index to keep up on each import (deleting a
    # user, which clears it, is a rare admin task that may scan).
    fed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Read by ``id`` (a case's history page, the admin) and ``history_date``
    # only; see Consumer.history.
    history = HistoricalRecords(
        no_db_index=["case_number", "detection_date", "consumer", "sub_division",
                     "fed_at", "fed_by"],
        user_db_constraint=False,
    )

    class Meta:
        verbose_name = _("theft case")
        verbose_name_plural = _("theft cases")
        ordering = ["-detection_date", "case_number"]
        # No index holds ``status`` or ``flagged_at``, and the nightly sweep
        # leaves ``updated_at`` alone (the change feed reads its flags from
        # the new action items, its clearings from CaseStatusChange rows):
        # so flagging ~10⁶ cases is a heap-only (HOT) update that rewrites no
        # index entry, in the free space the table's fillfactor keeps on each
        # page (migration 0007). Do not add one of those columns to an index.
        indexes = [
            # A sub-division's list, newest detection first (staff lists, counts).
            models.Index(fields=["sub_division", "detection_date"],
                         name="theftcase_subdiv_detected"),
            # The integration API's change feed pages on (updated_at, id).
            models.Index(fields=["updated_at", "id"], name="theftcase_updated_id"),
        ]
        constraints = [
            # DESIGN §5: case numbers are unique ignoring case ("lko/ami/1" and
            # "LKO/AMI/1" are one case). The same index serves the public
            # lookup, which matches UPPER(case_number) = UPPER(%s).
            models.UniqueConstraint(Upper("case_number"),
                                    name="theftcase_case_number_upper_uniq"),
            models.CheckConstraint(
                condition=models.Q(assessment_amount__gte=0)
                & models.Q(compounding_fee__gte=0)
                & models.Q(deposited_amount__gte=0),
                name="theftcase_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return self.case_number

    def get_absolute_url(self):
        # Case numbers may hold "/", "-" and spaces: the path converter keeps them.
        return reverse("theft_cases:detail", kwargs={"case_number": self.case_number})


class CaseStatusChange(models.Model):
    """A case whose status a set-based transition changed (``theft_cases.lifecycle``).

    The nightly sweep flags and clears cases in bulk without touching
    ``TheftCase.updated_at`` (an indexed column: bumping it would rewrite
    every index entry of every flagged row). It writes one of these narrow
    rows per case whose flag it clears, and the integration API's change
    feed reads them beside ``updated_at``; a flag needs none, its new action
    item (``created_at``) is the feed's entry. Append-only: one row per change.
    """

    # No constraint and nothing done on delete: a log row may outlive a
    # (deleted) case, and the feed skips it; the sweep's bulk insert then
    # queues no foreign-key check per row for its commit.
    case = models.ForeignKey(TheftCase, on_delete=models.DO_NOTHING, related_name="+",
                             db_index=False, db_constraint=False)
    changed_at = models.DateTimeField()
    # The change feed pages on (changed_at, case) beside (updated_at, id); as
    # the primary key it is the table's one index (no sequence either).
    pk = models.CompositePrimaryKey("changed_at", "case")

    def __str__(self):
        return f"{self.case_id} @ {self.changed_at:%Y-%m-%d %H:%M}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Validating")
    PREVIEWED = "previewed", _("Ready to apply")
    APPLYING = "applying", _("Applying")
    # "Applied" also names a registration funnel step ("applied for"): its own context.
    APPLIED = "applied", pgettext_lazy("import status", "Applied")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class CaseImport(models.Model):
    """One uploaded division list (DESIGN §5): file, preview, outcome, error report."""

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_imports"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(default=list, blank=True)
    error_report = models.FileField(upload_to="imports/reports/%Y/%m/", blank=True)
    message = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case import")
        verbose_name_plural = _("case imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
