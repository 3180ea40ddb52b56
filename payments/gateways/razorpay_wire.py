"""What crosses the wire to and from Razorpay: amounts, statuses, signatures.

Integer paise at the API, ``Decimal`` rupees inside; Razorpay's payment and
refund entities read into the gateway interface's notices.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import razorpay
import requests

from core.money import PAISE, to_paise
from payments.gateways.base import GatewayNotice, NoticeStatus, RefundNotice

DEFAULT_API_BASE = "https://api.razorpay.com"
SIGNATURE_HEADER = "X-Razorpay-Signature"
EVENT_ID_HEADER = "X-Razorpay-Event-Id"
PAYMENT_EVENTS = ("payment.captured", "order.paid", "payment.failed", "payment.authorized")
REFUND_EVENTS = ("refund.created", "refund.processed", "refund.failed")
CURRENCY = "INR"
HEX_SIGNATURE = re.compile(r"[0-9a-f]{64}")
# Connect and read timeouts (seconds): the SDK sets none of its own.
TIMEOUT = (5, 20)
SDK_ERRORS = (
    razorpay.errors.BadRequestError, razorpay.errors.GatewayError,
    razorpay.errors.ServerError, requests.RequestException, ValueError,
)


def paise(amount: Decimal) -> int:
    """Return ``amount`` rupees as integer paise (the API's unit)."""
    return int(to_paise(amount) * 100)


def rupees(value) -> Decimal:
    """Return integer paise from the API as Decimal rupees; raise ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"amount in paise must be a whole number, got {value!r}")
    return (Decimal(value) / 100).quantize(PAISE)


def verified(signature, verify, *args) -> bool:
    """Run one of the SDK's signature checks on ``signature``; False, not its exception.

    A signature that is not 64 lowercase hex digits is refused first: the
    SDK's constant-time comparison raises TypeError on non-ASCII text.
    """
    if not isinstance(signature, str) or not HEX_SIGNATURE.fullmatch(signature):
        return False
    try:
        return bool(verify(*args))
    except razorpay.errors.SignatureVerificationError:
        return False


def moment(value) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def payment_status(entity: dict) -> str:
    """Map a Razorpay payment's status to ours.

    ``refunded`` means it was captured first: the money arrived, and the
    refund is a fact of its own (a refund event).
    """
    status = entity.get("status")
    if status == "captured" or (status == "refunded" and entity.get("captured")):
        return NoticeStatus.SUCCESS
    if status == "failed":
        return NoticeStatus.FAILED
    return NoticeStatus.PENDING  # created, authorized: not yet money


def summary(entity: dict) -> dict:
    """The fields of a payment entity worth keeping (no card or VPA details)."""
    keys = ("id", "order_id", "amount", "currency", "status", "captured", "method",
            "amount_refunded", "refund_status", "error_code", "error_description",
            "error_reason", "created_at")
    return {key: entity.get(key) for key in keys if key in entity}


def payment_notice(order_id: str, entity: dict) -> GatewayNotice:
    """Read a payment entity as a notice about our ``order_id``; raise ValueError."""
    if entity.get("currency") != CURRENCY:
        raise ValueError(f"currency {entity.get('currency')!r}")
    payment_id = str(entity.get("id") or "")
    if not payment_id.startswith("pay_") or len(payment_id) > 64:
        raise ValueError("payment id")
    status = payment_status(entity)
    return GatewayNotice(
        order_id=order_id, status=status, amount=rupees(entity.get("amount")),
        reference=payment_id,
        paid_at=moment(entity.get("created_at")) if status == NoticeStatus.SUCCESS else None,
        raw=summary(entity),
    )


def refund_notice(entity: dict) -> RefundNotice:
    """Read a refund entity; raise KeyError / ValueError when it is not one."""
    refund_id = str(entity["id"])
    reference = str(entity["payment_id"])
    status = str(entity.get("status") or "")
    if not refund_id.startswith("rfnd_") or not reference.startswith("pay_"):
        raise ValueError("refund or payment id")
    if status not in ("pending", "processed", "failed"):
        raise ValueError(f"refund status {status!r}")
    keys = ("id", "payment_id", "amount", "currency", "status", "created_at",
            "speed_processed", "receipt")
    return RefundNotice(refund_id=refund_id, reference=reference, status=status,
                        amount=rupees(entity.get("amount")),
                        raw={key: entity.get(key) for key in keys if key in entity})
