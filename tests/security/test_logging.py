"""No personal data in logs (DESIGN §7): a mobile number never reaches a log line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.security.urlmap import walk

MOBILE = "9876501234"
PUBLIC = sorted(
    {"/" + r.route for r in walk()
     if not r.arguments and not r.route.startswith(("admin/", "staff/", "dashboard/"))}
)


class Everything(logging.Handler):
    """Keep every record any logger emits, formatted with its arguments."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text}")


@pytest.fixture
def captured():
    handler = Everything()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # Loggers that do not propagate would hide their lines from the root.
    quiet = [lg for lg in logging.Logger.manager.loggerDict.values()
             if isinstance(lg, logging.Logger) and not lg.propagate]
    for logger in quiet:
        logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for logger in quiet:
            logger.removeHandler(handler)


def _assert_clean(lines):
    leaked = [line for line in lines if MOBILE in line or MOBILE[-6:] in line]
    assert not leaked, leaked


@pytest.mark.django_db
def test_public_requests_with_a_mobile_do_not_log_it(client, schemes, captured):
    for path in PUBLIC:
        client.get(path, {"mobile": MOBILE, "q": MOBILE})
        client.post(path, {"mobile": MOBILE, "username": MOBILE, "password": MOBILE,
                           "case_number": "LKO/AMN/2023/0123"})
    assert captured or PUBLIC  # the requests ran
    _assert_clean(captured)


@pytest.mark.django_db
def test_failed_staff_login_with_a_mobile_as_username(client, users, captured):
    client.post("/accounts/login/", {"username": MOBILE, "password": "x"})
    _assert_clean(captured)


@pytest.mark.django_db(transaction=True)
def test_sms_console_backend_masks_the_mobile(settings, captured):
    from messaging import sms
    from messaging.registry import REGISTRY, VarType

    settings.SMS_BACKEND = "messaging.backends.ConsoleBackend"
    REGISTRY.register("security-test", hi="परीक्षण {code}", en="Test {code}",
                      variables={"code": VarType.NUMERIC})
    try:
        message = sms.sms_queue(mobile=MOBILE, template="security-test",
                                variables={"code": "1"}, language="en")
        sms.sms_deliver(message.pk)
    finally:
        REGISTRY.unregister("security-test")
    assert any("SMS to" in line for line in captured)
    _assert_clean(captured)


def test_access_logs_leave_out_query_strings():
    """Public GET forms carry the mobile in the query string: access logs omit it."""
    gunicorn = (Path(settings.BASE_DIR) / "deploy/gunicorn.conf.py").read_text()
    fmt = re.search(r"access_log_format\s*=\s*(.+)", gunicorn).group(1)
    assert "%(r)s" not in fmt and "%(q)s" not in fmt and "%(U)s" in fmt
    nginx = (Path(settings.BASE_DIR) / "deploy/nginx/redportal.conf").read_text()
    log_format = re.search(r"log_format\s+redportal\s+([^;]+);", nginx).group(1)
    assert "$request " not in log_format + " " and "$args" not in log_format
    assert "$request_uri" not in log_format and "$uri" in log_format
