"""Celery tasks of theft_cases: thin wrappers over services.

Shared by two areas; add to your own section only.
"""

from celery import shared_task  # noqa: F401

# --- Bulk import (theft_cases/importing.py) ---


# --- Defaulters: lapse, flagging, escalation, reminders (theft_cases/flagging.py) ---
