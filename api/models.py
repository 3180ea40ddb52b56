"""Machine clients of the integration API and their request log (DESIGN §8).

A client belongs to an ``OrgUnit`` (it sees that unit and below, through
``organization.scoping``), holds scopes, and authenticates with a bearer
token of which only the SHA-256 is stored. Each client acts through its own
service ``User`` (no password, no staff profile): that user is the author of
every change the client makes, in the same history tables as staff changes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Scope(models.TextChoices):
    CASES_WRITE = "cases:write", _("Feed cases")
    CASES_READ = "cases:read", _("Read cases")
    LEDGER_READ = "ledger:read", _("Read the money ledger")
    LEDGER_POST = "ledger:post", _("Confirm ledger postings")
    DUES_READ = "dues:read", _("Read dues of defaulters")


class ApiClient(models.Model):
    name = models.SlugField(_("name"), max_length=60, unique=True)
    unit = models.ForeignKey(
        "organization.OrgUnit", on_delete=models.PROTECT, related_name="api_clients",
        verbose_name=_("unit"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    active = models.BooleanField(_("active"), default=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the token, so an operator can tell tokens apart.
    token_hint = models.CharField(_("token starts with"), max_length=12, editable=False)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiRequestLog(models.Model):
    """One API request: who, which endpoint, the answer, how long. No personal data.

    ``endpoint`` is the URL pattern (``api/v1/cases/<path:case_number>/``),
    never the path itself, which may carry a case number.
    """

    client = models.ForeignKey(
        ApiClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=8)
    endpoint = models.CharField(max_length=120)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.method} {self.endpoint} {self.status}"
