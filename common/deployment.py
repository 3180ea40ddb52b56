"""Where the sandbox bank and development SMS may run (DEBUG or ALLOW_SANDBOX).

The refusals of production-unsafe settings are the project's (``redportal.deployment``).
"""

from __future__ import annotations

from django.conf import settings


def sandbox_allowed() -> bool:
    """Return True where the sandbox bank and development SMS may run."""
    return bool(settings.DEBUG or getattr(settings, "ALLOW_SANDBOX", False))
