"""Celery tasks of ots_scheme: thin wrappers over services.

Shared by two areas; add to your own section only.
"""

from celery import shared_task  # noqa: F401

# --- Settlement: freeze, recompute (ots_scheme/services.py) ---


# --- Registration lifecycle: expiry (ots_scheme/registrations.py) ---


@shared_task(name="ots_scheme.tasks.expire_unpaid_registrations")
def expire_unpaid_registrations() -> int:
    """Expire registrations left unpaid 48 hours (idempotent by status)."""
    from ots_scheme import registrations

    return registrations.expire_unpaid_registrations()
