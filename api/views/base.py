"""The base of every API endpoint: request log, no caching, the body limit; and
the JSON 404 for any other path under /api/.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from api.access import client_of
from api.errors import ApiError
from api.services import request_log_record
from core.dates import IST


def local_time(value: dt.datetime | None) -> str | None:
    return value.astimezone(IST).isoformat() if value is not None else None


def money_text(value) -> str:
    return f"{value:.2f}"


class ApiView(APIView):
    """Base of every endpoint: logs the request, never lets a proxy keep the answer."""

    required_scopes: dict[str, str] = {}

    def dispatch(self, request, *args, **kwargs):
        started = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        try:
            client = client_of(self.request)
        except Exception:  # noqa: BLE001 - authentication already answered
            client = None
        match = getattr(request, "resolver_match", None)
        request_log_record(
            client=client, method=request.method, endpoint=match.route if match else "?",
            status=response.status_code,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        response["Cache-Control"] = "no-store"
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # DRF reads a JSON body from the raw stream, past Django's own limit.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ApiError("too_large", status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)

    def client_unit(self):
        return client_of(self.request).unit

    def query(self, serializer_class):
        query = serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


class NotFoundView(ApiView):
    """Any other path under /api/: the JSON 404 (never Django's HTML page)."""

    permission_classes: list = []
    throttle_classes: list = []
    schema = None

    def answer(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = head = options = answer
