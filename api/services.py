"""Writes of the api app: making and revoking machine clients, the request log."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets

from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient, ApiRequestLog, Scope
from core.errors import ServiceError
from organization.models import OrgUnit

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "rp1_"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


class ClientInputError(ServiceError):
    """Bad input for a new client (reported by the command as ``{"error"}``)."""


def hash_token(token: str) -> str:
    """Return the SHA-256 of a token, as stored.

    The token has 256 random bits, so a fast hash is enough (no stretching);
    a client is found by looking the hash up, never by comparing tokens.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def service_username(name: str) -> str:
    return f"api.{name}"


def parse_scopes(text: str) -> list[str]:
    scopes = [s.strip() for s in text.split(",") if s.strip()]
    known = set(Scope.values)
    unknown = [s for s in scopes if s not in known]
    if unknown or not scopes:
        raise ClientInputError(
            _("Unknown scope %(scopes)s; choose from %(known)s.")
            % {"scopes": ", ".join(unknown) or "—", "known": ", ".join(Scope.values)}
        )
    return list(dict.fromkeys(scopes))


@transaction.atomic
def client_create(*, name: str, unit_code: str, scopes: list[str],
                  created_by=None) -> tuple[ApiClient, str]:
    """Make a machine client; return it and its token (shown once, never stored)."""
    if not NAME_PATTERN.match(name):
        raise ClientInputError(_("A client name is 1–60 lower-case letters, digits, - or _."))
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ClientInputError(_("No unit has the code %(code)s.") % {"code": unit_code})
    user_model = get_user_model()
    if ApiClient.objects.filter(name=name).exists() or \
            user_model.objects.filter(username=service_username(name)).exists():
        raise ClientInputError(_("A client named %(name)s exists already.") % {"name": name})
    user = user_model(username=service_username(name), is_active=True, is_staff=False)
    user.set_unusable_password()  # the service user can never log in to a page
    user.save()
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=name, unit=unit, scopes=scopes, token_hash=hash_token(token),
        token_hint=token[:10], service_user=user, created_by=created_by,
    )
    client._history_user = created_by
    client.save()
    return client, token


@transaction.atomic
def client_revoke(*, client_id: int, user=None) -> ApiClient:
    """Revoke a client: its token answers 401 from now on."""
    client = ApiClient.objects.select_for_update().get(pk=client_id)
    if client.active:
        client.active = False
        client.revoked_at = timezone.now()
        client._history_user = user
        client.save(update_fields=["active", "revoked_at"])
    return client


def request_log_record(*, client: ApiClient | None, method: str, endpoint: str,
                       status: int, duration_ms: int) -> None:
    """Keep one request in the log; a failure to log never fails the request."""
    logger.info("api %s %s %s %sms client=%s", method, endpoint, status, duration_ms,
                client.name if client else "-")
    try:
        ApiRequestLog.objects.create(
            client=client, method=method[:8], endpoint=endpoint[:120], status=status,
            duration_ms=max(0, duration_ms),
        )
    except DatabaseError:
        logger.warning("api request log not written", exc_info=True)


# How long the request log is kept: long enough to answer "did billing call
# on that day", short enough that the table stays small.
REQUEST_LOG_DAYS = 90


def request_log_prune(*, now=None) -> int:
    """Delete request-log rows older than :data:`REQUEST_LOG_DAYS`; return how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=REQUEST_LOG_DAYS)
    deleted, _rows = ApiRequestLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
