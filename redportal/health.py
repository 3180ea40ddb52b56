"""Health of the portal's backing services, for /healthz (DESIGN §3).

The broker check lives with the queueing helpers (``common.queueing``), which ask it too.
"""

from __future__ import annotations

from django.db import connection

from common.queueing import check_broker


def check_database() -> str | None:
    """Return None when the database answers, else the reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return f"database: {exc.__class__.__name__}"
    return None


def problems() -> list[str]:
    return [p for p in (check_database(), check_broker()) if p]
