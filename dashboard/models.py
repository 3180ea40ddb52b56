"""Dashboard summary tables, refreshed set-based by Celery (dashboard/services.py).

The pages read only these rows (≤ one per scheme × sub-division, plus one per
day for the trend charts), so the discom-level page stays fast at 10⁶ cases.
What each column counts is defined once, in ``dashboard/queries.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}


class UnitSummary(models.Model):
    """The figures of one scheme in one sub-division (see queries.FIGURES)."""

    JURISDICTION_FIELD = "sub_division"

    scheme = models.ForeignKey("ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+")
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.CASCADE, related_name="+"
    )
    on_portal = models.PositiveIntegerField(default=0)
    assessed = models.DecimalField(**MONEY)
    eligible = models.PositiveIntegerField(default=0)
    reminded = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    registered = models.PositiveIntegerField(default=0)
    fee_paid = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    settled = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)
    realised = models.DecimalField(**MONEY)
    waiver = models.DecimalField(**MONEY)
    outstanding = models.DecimalField(**MONEY)
    flagged = models.PositiveIntegerField(default=0)
    actions_taken = models.PositiveIntegerField(default=0)
    fed_last_7_days = models.PositiveIntegerField(default=0)
    without_mobile = models.PositiveIntegerField(default=0)
    without_fir = models.PositiveIntegerField(default=0)
    without_account = models.PositiveIntegerField(default=0)
    awaiting_verification = models.PositiveIntegerField(default=0)
    by_phase = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dashboard summary")
        verbose_name_plural = _("dashboard summaries")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "sub_division"],
                                    name="one_summary_per_scheme_sub_division"),
        ]

    def __str__(self):
        return f"{self.scheme_id}/{self.sub_division_id}"


class DailySummary(models.Model):
    """Registrations (fees paid) and rupees realised per IST day and sub-division."""

    JURISDICTION_FIELD = "sub_division"

    scheme = models.ForeignKey("ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+")
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    registrations = models.PositiveIntegerField(default=0)
    realised = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "sub_division", "day"],
                                    name="one_daily_summary_per_unit_day"),
        ]
        indexes = [models.Index(fields=["scheme", "day"])]

    def __str__(self):
        return f"{self.scheme_id}/{self.sub_division_id}/{self.day}"


class SummaryRefresh(models.Model):
    """When a scheme's summary was last rebuilt, and how long it took."""

    scheme = models.OneToOneField(
        "ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+"
    )
    refreshed_at = models.DateTimeField()
    seconds = models.DecimalField(max_digits=8, decimal_places=3, default=0)

    def __str__(self):
        return f"{self.scheme_id} @ {self.refreshed_at}"


class FeedingTarget(models.Model):
    """A division's own count of the theft cases it has to feed onto the portal.

    The Director (Commercial) owns getting every case older than a month onto
    the portal (DESIGN §1); the portal cannot count cases nobody fed, so each
    division states how many cases detected in the scheme's eligibility window
    (for OTS-THEFT-23: 2023) and older than a month it has on its registers.
    Entered by the division's Executive Engineer or the Director, with history.
    """

    JURISDICTION_FIELD = "division"

    scheme = models.ForeignKey("ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+")
    division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("division"),
    )
    cases_to_feed = models.PositiveIntegerField(
        _("theft cases on the division's registers"),
        help_text=_("Cases detected in the scheme's window and older than a month, "
                    "by the division's own count (fed and not yet fed)."),
    )
    counted_on = models.DateField(_("counted on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feeding target")
        verbose_name_plural = _("feeding targets")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "division"],
                                    name="one_feeding_target_per_scheme_division"),
        ]

    def __str__(self):
        return f"{self.scheme_id}/{self.division_id}: {self.cases_to_feed}"


class FeedingSummary(models.Model):
    """Cases fed in a scheme's eligibility window, per sub-division (refreshed by Celery).

    Recounted only for sub-divisions whose cases changed since the last run
    (``dashboard.services.feeding_refresh``), so the figures stay under a
    minute old at 10⁶ cases.
    """

    JURISDICTION_FIELD = "sub_division"

    scheme = models.ForeignKey("ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+")
    sub_division = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.CASCADE, related_name="+"
    )
    fed = models.PositiveIntegerField(default=0)
    last_fed_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "sub_division"],
                                    name="one_feeding_summary_per_scheme_sub_division"),
        ]

    def __str__(self):
        return f"{self.scheme_id}/{self.sub_division_id}: {self.fed}"


class FeedingRefresh(models.Model):
    """Up to when case changes have been counted into a scheme's FeedingSummary."""

    scheme = models.OneToOneField(
        "ots_scheme.Scheme", on_delete=models.CASCADE, related_name="+"
    )
    counted_upto = models.DateTimeField()
    sub_divisions = models.PositiveIntegerField(default=0)  # recounted in the last run

    def __str__(self):
        return f"{self.scheme_id} @ {self.counted_upto}"
