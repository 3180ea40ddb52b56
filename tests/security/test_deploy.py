"""Production settings: `check --deploy` clean, cookies and HSTS on (DESIGN §7).

Settings are read once per process, so the production environment is tried
in a subprocess, exactly as an operator would run it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

# A staging site as DESIGN §7 and issue 17 put it: DEBUG off, a secret key,
# allowed hosts, ALLOW_SANDBOX=1 and a gateway secret of its own, nothing
# else — HTTPS redirect, secure cookies and HSTS are on by default.
STAGING_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "ALLOW_SANDBOX": "1",
    "PAYMENT_GATEWAY_SECRET": secrets.token_urlsafe(32),
    "DJANGO_SETTINGS_MODULE": "redportal.settings",
}
PRODUCTION_ENV = STAGING_ENV  # the name other tests import


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run our Python with only ``env`` (default: the staging env) set.

    Nothing of the test runner's environment leaks in (it sets
    DJANGO_ALLOW_ASYNC_UNSAFE, maybe DATABASE_URL …): exactly what an
    operator's env file holds.
    """
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT")
            if k in os.environ}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, *args], cwd=settings.BASE_DIR,
        env={**base, **(STAGING_ENV if env is None else env)},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_is_clean():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY")}))
"""


def test_production_cookies_and_transport():
    result = _run("-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"]


def test_check_deploy_refuses_a_development_sms_backend():
    env = {**os.environ, **PRODUCTION_ENV, "SMS_BACKEND": "messaging.backends.OutboxBackend"}
    env.pop("ALLOW_SANDBOX", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "messaging.E001" in result.stdout + result.stderr
