"""What the portal refuses to run with in production (DESIGN §3, §7).

With DEBUG off the sandbox bank, the development SMS backends (console,
outbox) and any default or example secret are refused, each by the name of
the setting that selects it:

* as a system check with ``--deploy`` (``manage.py check --deploy``), so an
  operator sees every problem at once;
* at start-up of every process that serves or works — ``redportal.wsgi``
  (gunicorn) and the Celery worker and beat (``redportal.celery``) — which
  refuse to start, so a mistyped environment file cannot take money.

``ALLOW_SANDBOX=1`` names a staging site: the sandbox and development
backends run there (and every page says "test site — no real money"), but a
default secret is refused all the same.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from common.deployment import sandbox_allowed

# Fallbacks in settings.py and the placeholders of deploy/env.example: a
# secret with one of these in it was never set by the operator.
DEVELOPMENT_SECRET_KEY = "django-insecure-redportal-development-key-change-me-0123456789"
DEFAULT_GATEWAY_SECRET = "sandbox-secret-change-me"
EXAMPLE_MARKERS = ("change-me", "changeme", "django-insecure", "example-secret")


def _backend(path: str):
    try:
        return import_string(path)
    except Exception:  # noqa: BLE001 - any reason it cannot load is reported by name
        return None


def sandbox_gateway_configured() -> bool:
    gateway = _backend(settings.PAYMENT_GATEWAY)
    return bool(getattr(gateway, "is_sandbox", False))


def development_sms_configured() -> bool:
    backend = _backend(settings.SMS_BACKEND)
    return bool(getattr(backend, "development_only", False))


def test_site() -> bool:
    """Return True when no real money moves here: the banner of every page."""
    return sandbox_allowed() and (sandbox_gateway_configured() or development_sms_configured())


def _looks_default(value: str, *defaults: str) -> bool:
    text = (value or "").strip()
    lowered = text.lower()
    return not text or text in defaults or any(m in lowered for m in EXAMPLE_MARKERS)


def _secrets() -> list[tuple[str, str, tuple[str, ...]]]:
    """(environment variable, value, its defaults) of every secret the portal holds."""
    found = [
        ("DJANGO_SECRET_KEY", settings.SECRET_KEY, (DEVELOPMENT_SECRET_KEY,)),
        ("PAYMENT_GATEWAY_SECRET", settings.PAYMENT_GATEWAY_SECRET, (DEFAULT_GATEWAY_SECRET,)),
    ]
    password = settings.DATABASES.get("default", {}).get("PASSWORD") or ""
    if password:
        found.append(("DATABASE_URL (password)", password, ()))
    for name in ("RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET", "SMS_PROVIDER_API_KEY"):
        value = getattr(settings, name, None)
        if value:
            found.append((name, value, ()))
    return found


def unsafe_production_settings() -> list[checks.CheckMessage]:
    """Return an Error per setting production must not run with (none when DEBUG)."""
    if settings.DEBUG:
        return []
    errors: list[checks.CheckMessage] = []
    for name in ("PAYMENT_GATEWAY", "SMS_BACKEND"):
        if _backend(getattr(settings, name)) is None:
            errors.append(checks.Error(
                f"{name} = {getattr(settings, name)!r} cannot be imported.",
                hint=f"Set {name} to the dotted path of an installed adapter.",
                id="redportal.E004",
            ))
    if not getattr(settings, "ALLOW_SANDBOX", False):
        if sandbox_gateway_configured():
            errors.append(checks.Error(
                f"PAYMENT_GATEWAY is the sandbox bank ({settings.PAYMENT_GATEWAY}) and "
                "DEBUG is off: anyone could mark a payment paid.",
                hint="Set PAYMENT_GATEWAY to a real gateway adapter, or ALLOW_SANDBOX=1 "
                     "on a staging site where no real money moves.",
                id="redportal.E001",
            ))
        if development_sms_configured():
            errors.append(checks.Error(
                f"SMS_BACKEND is a development backend ({settings.SMS_BACKEND}) and "
                "DEBUG is off: OTPs would never reach anyone's phone.",
                hint="Set SMS_BACKEND to a real SMS provider, or ALLOW_SANDBOX=1 on a "
                     "staging site.",
                id="redportal.E002",
            ))
    for name, value, defaults in _secrets():
        if _looks_default(value, *defaults):
            errors.append(checks.Error(
                f"{name} is a default or example value and DEBUG is off.",
                hint=f"Set {name} to a long random value of your own "
                     "(python3 -c \"import secrets; print(secrets.token_urlsafe(64))\").",
                id="redportal.E003",
            ))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs):
    """``manage.py check --deploy``: refuse the sandbox and default secrets."""
    return unsafe_production_settings()


def refuse_unsafe_production() -> None:
    """Raise ImproperlyConfigured naming each unsafe setting (process start-up)."""
    errors = unsafe_production_settings()
    if errors:
        lines = [f"{e.id}: {e.msg} {e.hint}" for e in errors]
        raise ImproperlyConfigured(
            "The RED portal refuses to start with these production settings:\n  "
            + "\n  ".join(lines)
        )
