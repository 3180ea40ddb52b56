"""Celery tasks of ots_scheme: thin wrappers over services.

Shared by two areas; add to your own section only.
"""

from celery import shared_task  # noqa: F401

# --- Settlement: freeze, recompute (ots_scheme/services.py) ---


# --- Registration lifecycle: expiry (ots_scheme/registrations.py) ---
