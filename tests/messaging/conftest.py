"""A fake MSG91 on loopback (pytest-httpserver) speaking its documented protocol.

``POST /api/v2/sendsms`` with the ``authkey`` header answers
``{"type": "success", "message": "<request id>"}`` (MSG91 "Send SMS"); the
handler can be switched to an outage (503) or a refusal, or the adapter
pointed at a port where nothing listens.
"""

from __future__ import annotations

import itertools
import json
import uuid

import pytest
from werkzeug import Response

AUTH_KEY = "test-msg91-authkey"
DLR_TOKEN = "test-dlr-token-0123456789"
TEMPLATE_IDS = {"ots_otp.hi": "1107000000000000001", "ots_otp.en": "1107000000000000002"}


class FakeMsg91:
    """Records every request; answers as MSG91 does, or as an outage."""

    def __init__(self, server):
        self.server = server
        self.requests: list[dict] = []
        self.mode = "up"
        self.seen_status: list[str] = []
        self._ids = itertools.count(1)
        server.expect_request("/api/v2/sendsms", method="POST").respond_with_handler(
            self._handle)

    def _handle(self, request):
        if self.on_request is not None:
            self.on_request()
        if self.mode == "down":
            return Response("Service Unavailable", status=503)
        if request.headers.get("authkey") != AUTH_KEY:
            return Response(json.dumps({"type": "error", "message": "Authentication failure"}),
                            status=401, content_type="application/json")
        body = json.loads(request.get_data())
        self.requests.append({"headers": dict(request.headers), "json": body})
        return Response(json.dumps({"type": "success", "message": f"req{next(self._ids):06d}"}),
                        content_type="application/json")

    on_request = None

    @property
    def base(self) -> str:
        return self.server.url_for("/").rstrip("/")


@pytest.fixture
def msg91(settings, httpserver):
    settings.SMS_BACKEND = "messaging.msg91.Msg91Backend"
    settings.SMS_PROVIDER_AUTH_KEY = AUTH_KEY
    settings.SMS_PROVIDER_SENDER = "MVVNLS"
    settings.SMS_PROVIDER_DLR_TOKEN = DLR_TOKEN
    settings.SMS_DLT_ENTITY_ID = "1101000000000000009"
    settings.SMS_DLT_TEMPLATE_IDS = dict(TEMPLATE_IDS)
    fake = FakeMsg91(httpserver)
    settings.SMS_PROVIDER_API_BASE = fake.base
    return fake


@pytest.fixture
def rate_limits(settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"t-{uuid.uuid4().hex}"}
    }
