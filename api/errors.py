"""Every API error as ``{"code", "message_hi", "message_en", "fields"}`` (DESIGN §8).

DRF's exception handler is replaced by :func:`api_exception_handler`; the
catch-all URL under ``/api/`` and the ``handler`` views below make Django's
own 404 answer in the same shape for unknown API paths.
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import ServiceError

logger = logging.getLogger(__name__)

MESSAGES = {
    "invalid": _("Some fields are not valid: see fields."),
    "malformed": _("The request body is not valid JSON."),
    "unauthenticated": _("Send a valid bearer token in the Authorization header."),
    "bad_token": _("The token is not valid or has been revoked."),
    "forbidden": _("This client does not hold the scope this endpoint needs."),
    "not_found": _("Nothing was found at this address."),
    "method_not_allowed": _("This method is not allowed here."),
    "not_acceptable": _("This endpoint answers only application/json."),
    "unsupported_media_type": _("Send the body as application/json."),
    "throttled": _("Too many requests from this client: wait and try again."),
    "conflict": _("The request conflicts with what is already recorded."),
    "posting_conflict": _("This entry was already posted under another billing reference."),
    "too_many_rows": _("Send at most 1,000 rows in one request."),
    "busy": _("Another request changed the same cases at the same time: send it again."),
    "too_large": _("The request body is too large."),
    "unavailable": _("The portal's database is not answering: try again in a minute."),
}


class ApiError(exceptions.APIException):
    """A refusal with one of the codes above."""

    def __init__(self, code: str, *, status_code: int = status.HTTP_400_BAD_REQUEST,
                 fields: dict | None = None):
        super().__init__(detail=str(MESSAGES[code]), code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


def _code(exc: exceptions.APIException) -> str:
    if isinstance(exc, ApiError):
        return exc.error_code
    if isinstance(exc, exceptions.ParseError):
        return "malformed"
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "bad_token"
    if isinstance(exc, exceptions.NotAuthenticated):
        return "unauthenticated"
    by_class = [
        (exceptions.ValidationError, "invalid"), (exceptions.PermissionDenied, "forbidden"),
        (exceptions.NotFound, "not_found"), (exceptions.MethodNotAllowed, "method_not_allowed"),
        (exceptions.NotAcceptable, "not_acceptable"),
        (exceptions.UnsupportedMediaType, "unsupported_media_type"),
        (exceptions.Throttled, "throttled"),
    ]
    for cls, code in by_class:
        if isinstance(exc, cls):
            return code
    return "conflict" if exc.status_code == status.HTTP_409_CONFLICT else "invalid"


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"rows.3.reference": [messages]}``."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else "_"
            found.update(flatten(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            found[prefix or "_"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                found.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        found[prefix or "_"] = [str(detail)]
    return found


def error_body(code: str, fields: dict | None = None) -> dict:
    message = MESSAGES[code]
    with translation.override("hi"):
        message_hi = str(message)
    with translation.override("en"):
        message_en = str(message)
    return {"code": code, "message_hi": message_hi, "message_en": message_en,
            "fields": fields or {}}


def service_error_body(exc: ServiceError) -> dict:
    """The error shape for a service's refusal (``core.errors``), in both languages.

    A lazy message is rendered in each language; one already translated is
    given as it is in both.
    """
    with translation.override("hi"):
        message_hi = str(exc.message)
    with translation.override("en"):
        message_en = str(exc.message)
    return {"code": exc.code, "message_hi": message_hi, "message_en": message_en,
            "fields": {}}


def api_exception_handler(exc, context):
    """Answer every refusal in the one error shape; unknown exceptions go on up."""
    if isinstance(exc, ServiceError):
        set_rollback()
        return Response(service_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database went away (a restart): a retry hint, as for the pages.
        logger.warning("api: database unavailable: %s", exc.__class__.__name__)
        exc = ApiError("unavailable", status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
        exc.wait = 30
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    code = _code(exc)
    if isinstance(exc, ApiError):
        fields = exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
    else:
        fields = {}
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback()
    return Response(error_body(code, fields), status=exc.status_code, headers=headers)
