"""Dashboard summary tables, refreshed set-based by Celery (dashboard/services.py).

The pages read only these rows (≤ one per scheme × sub-division, plus one per
day for the trend charts), so the discom-level page stays fast at 10⁶ cases.
What each column counts is defined once, in ``dashboard/queries.py``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

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
