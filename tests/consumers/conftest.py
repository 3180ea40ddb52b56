"""Fixtures of the consumer journey tests."""

import uuid

import pytest


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Give each test its own cache namespace, so per-IP counters never leak."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"t-{uuid.uuid4().hex}"}
    }


@pytest.fixture
def demo(schemes):
    return schemes["DEMO-OTS-THEFT"]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def otp_from_outbox(mobile):
    from messaging.models import SmsMessage

    message = SmsMessage.objects.filter(mobile=mobile, template__in=[
        "ots_otp", "ots_assisted_consent"]).order_by("-created_at", "-pk").first()
    return message.variables["code"]
