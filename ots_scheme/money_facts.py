"""What the registration lifecycle needs to know about payments (DESIGN §2).

``payments`` sits above ``ots_scheme``, so nothing here imports it. Instead
``payments`` registers its answers at start-up (``PaymentsConfig.ready``), and
the registration code asks through :func:`payments_in_flight` and
:func:`fee_payments_succeeded`. Both return querysets of payments (each with a
``registration_id``, a ``paid_at``) that the caller narrows further.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

_PROVIDERS: dict[str, Callable[[], QuerySet]] = {}


def register(*, in_flight: Callable[[], QuerySet],
             fee_succeeded: Callable[[], QuerySet]) -> None:
    """Called once by ``payments`` at start-up."""
    _PROVIDERS.update(in_flight=in_flight, fee_succeeded=fee_succeeded)


def _ask(name: str) -> QuerySet:
    try:
        return _PROVIDERS[name]()
    except KeyError:
        raise ImproperlyConfigured(
            "payments has not registered its answers with ots_scheme.money_facts "
            "(is 'payments' in INSTALLED_APPS?)") from None


def payments_in_flight() -> QuerySet:
    """Payments still waiting for the bank (initiated or pending)."""
    return _ask("in_flight")


def fee_payments_succeeded() -> QuerySet:
    """Successful registration-fee payments."""
    return _ask("fee_succeeded")
