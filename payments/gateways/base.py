"""The interface every payment gateway adapter implements.

A gateway payment runs: create order → browser redirect to the bank →
browser return → server-to-server callback → status query. Webhooks arrive
at least once, late, out of order or never (LIBRARIES.md), so an adapter only
translates: it verifies and parses what the bank says into a
:class:`GatewayNotice`; ``payments.services`` alone decides what a notice does
to a payment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string


class GatewayError(Exception):
    """The gateway could not be reached or answered nonsense: worth a retry."""


class InvalidCallback(Exception):  # noqa: N818 - reads as the reason in logs
    """A callback that cannot be trusted or read (bad signature, bad body)."""


class NoticeStatus:
    SUCCESS = "success"
    FAILED = "failed"
    PENDING = "pending"
    # The bank has never heard of the order (the person never reached it).
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class GatewayNotice:
    """What the bank says about one order, from a callback or a status query."""

    order_id: str
    status: str
    amount: Decimal | None = None
    reference: str = ""
    paid_at: dt.datetime | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundNotice:
    """What the bank says about a refund of one captured payment."""

    refund_id: str
    reference: str  # the bank's reference of the refunded payment
    status: str  # "pending", "processed" or "failed" (the bank's words)
    amount: Decimal | None = None
    raw: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CheckoutForm:
    """A form the browser posts to the bank (for banks that take no redirect)."""

    action: str
    fields: tuple[tuple[str, str], ...]


class PaymentGateway:
    """Base class: subclasses set ``name`` and implement the three calls."""

    name = ""
    signature_header = ""
    # True for the portal's own pretend bank: refused in production unless
    # ALLOW_SANDBOX names a staging site (redportal/deployment.py).
    is_sandbox = False
    # Whether the bank offers a refund API this adapter speaks (Razorpay's
    # Refunds API); without one, staff record the bank's refund reference.
    can_refund = False

    def checkout_url(self, *, order_id: str) -> str:
        """Return the URL the browser is sent to, to pay ``order_id``."""
        raise NotImplementedError

    def checkout_form(self, *, payment, request) -> CheckoutForm | None:
        """Return the form to post to the bank, or None to redirect to checkout_url.

        May raise GatewayError (the bank could not make the order).
        """
        return None

    def refund(self, *, payment, amount: Decimal, notes: dict | None = None) -> RefundNotice:
        """Ask the bank to refund ``amount`` of a captured payment; raise GatewayError."""
        raise GatewayError(f"{self.name or 'this gateway'} offers no refund API")

    def parse_callback(self, *, body: bytes, headers) -> GatewayNotice:
        """Verify and parse a server-to-server callback; raise InvalidCallback."""
        raise NotImplementedError

    def query_status(self, *, order_id: str) -> GatewayNotice:
        """Ask the bank about ``order_id``; raise GatewayError when it cannot answer."""
        raise NotImplementedError

    # Helpers shared by HMAC-signing adapters.
    @staticmethod
    def sign(body: bytes) -> str:
        """Return the hex HMAC-SHA256 of ``body`` with PAYMENT_GATEWAY_SECRET."""
        secret = settings.PAYMENT_GATEWAY_SECRET.encode()
        return hmac.new(secret, body, hashlib.sha256).hexdigest()

    @classmethod
    def signature_ok(cls, body: bytes, signature: str | None) -> bool:
        return bool(signature) and hmac.compare_digest(cls.sign(body), str(signature))


def get_gateway() -> PaymentGateway:
    """Return an instance of the configured gateway (settings.PAYMENT_GATEWAY)."""
    return import_string(settings.PAYMENT_GATEWAY)()
