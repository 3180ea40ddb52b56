"""Health of the portal's backing services, for /healthz (DESIGN §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    """Return None when the database answers, else the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return f"database: {exc.__class__.__name__}"
    return None


def check_broker() -> str | None:
    """Return None when the Celery broker answers (or none is configured)."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return None
    from redportal.celery import app

    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel  # noqa: B018 - opening the channel is the check
    except Exception as exc:  # noqa: BLE001
        return f"broker: {exc.__class__.__name__}"
    return None


def problems() -> list[str]:
    return [p for p in (check_database(), check_broker()) if p]
