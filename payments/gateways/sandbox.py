"""A sandbox "bank" inside the portal, for development and tests.

It plays every part a real gateway plays: a hosted page where the person
chooses Pay / Fail / Leave pending, its own record of the outcome
(:class:`payments.models.SandboxTransaction`, answered by the status query),
and a server-to-server callback signed with HMAC-SHA256 over the raw body
(PAYMENT_GATEWAY_SECRET, header ``X-Sandbox-Signature``) that goes through
the same verification path as a real bank's.

Settings (read with defaults; set them in tests with the ``settings`` fixture):

``SANDBOX_CALLBACK_MODE``
    ``"immediate"`` (default; also ``"before_return"``): the callback is
    delivered before the browser is sent back to the portal.
    ``"delay"`` / ``"after_return"``: queued as a Celery task after the
    request commits, ``SANDBOX_CALLBACK_DELAY`` seconds later, so it arrives
    after the browser return.
    ``"duplicate"``: delivered twice. ``"drop"``: never delivered (only the
    status query can find the outcome). ``"reorder"``: the final notice,
    then a stale "pending" notice.
``SANDBOX_CALLBACK_DELAY``
    Seconds for ``delay`` / ``after_return`` (default 5).
``SANDBOX_STATUS_QUERY_FAILS``
    True makes the status query raise ``GatewayError`` (an unreachable bank).
"""

from __future__ import annotations

import json
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from payments.gateways.base import (
    GatewayError,
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
)
from payments.models import SandboxTransaction
from payments.services import callback_receive

CALLBACK_MODES = (
    "immediate", "before_return", "delay", "after_return", "duplicate", "drop", "reorder",
)
BANK_OUTCOMES = (NoticeStatus.SUCCESS, NoticeStatus.FAILED, NoticeStatus.PENDING)


class SandboxGateway(PaymentGateway):
    name = "sandbox"
    signature_header = "X-Sandbox-Signature"
    is_sandbox = True

    def checkout_url(self, *, order_id: str) -> str:
        return reverse("payments:sandbox_bank", args=[order_id])

    def parse_callback(self, *, body: bytes, headers) -> GatewayNotice:
        if not self.signature_ok(body, headers.get(self.signature_header)):
            raise InvalidCallback("bad signature")
        try:
            data = json.loads(body)
            status = data["status"]
            if status not in BANK_OUTCOMES:
                raise ValueError(status)
            paid_at = parse_datetime(data["paid_at"]) if data.get("paid_at") else None
            return GatewayNotice(
                order_id=str(data["order_id"]),
                status=status,
                amount=Decimal(str(data["amount"])),
                reference=str(data.get("bank_reference") or ""),
                paid_at=paid_at,
                raw=data,
            )
        except (ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise InvalidCallback("unreadable body") from exc

    def query_status(self, *, order_id: str) -> GatewayNotice:
        if getattr(settings, "SANDBOX_STATUS_QUERY_FAILS", False):
            raise GatewayError("sandbox bank unreachable (SANDBOX_STATUS_QUERY_FAILS)")
        txn = SandboxTransaction.objects.filter(order_id=order_id).first()
        if txn is None:
            return GatewayNotice(order_id=order_id, status=NoticeStatus.UNKNOWN)
        return GatewayNotice(
            order_id=order_id, status=txn.status, amount=txn.amount,
            reference=txn.bank_reference, paid_at=txn.paid_at, raw=_as_json(txn),
        )


# The bank's side -----------------------------------------------------------

def _as_json(txn, *, status: str | None = None) -> dict:
    return {
        "order_id": txn.order_id,
        "status": status or txn.status,
        "amount": f"{txn.amount:.2f}",
        "bank_reference": txn.bank_reference,
        "paid_at": txn.paid_at.isoformat() if txn.paid_at else "",
    }


def bank_decide(*, order_id: str, outcome: str, amount: Decimal, paid_at=None):
    """Record the bank's outcome for an order; a decided order stays decided.

    ``amount`` is what the bank charged; ``paid_at`` defaults to now.
    """
    if outcome not in BANK_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    with transaction.atomic():
        txn = SandboxTransaction.objects.select_for_update().filter(order_id=order_id).first()
        moment = paid_at or timezone.now()
        if txn is None:
            txn = SandboxTransaction.objects.create(
                order_id=order_id,
                bank_reference=f"SBX{secrets.token_hex(6).upper()}",
                amount=amount,
                status=outcome,
                paid_at=moment if outcome == NoticeStatus.SUCCESS else None,
            )
        elif txn.status == NoticeStatus.PENDING and outcome != NoticeStatus.PENDING:
            txn.status = outcome
            txn.paid_at = moment if outcome == NoticeStatus.SUCCESS else None
            txn.save(update_fields=["status", "paid_at", "updated_at"])
    return txn


def signed_callback(txn, *, status: str | None = None) -> tuple[bytes, dict]:
    """Return the raw body and headers of a callback about ``txn``."""
    body = json.dumps(_as_json(txn, status=status), sort_keys=True).encode()
    return body, {SandboxGateway.signature_header: SandboxGateway.sign(body)}


def sandbox_status_reply(*, order_id: str, full: bool = True) -> tuple[bytes, dict]:
    """Return the signed body and headers the bank's status endpoint answers.

    ``full=False``: only the order and its status, no amount or reference.
    """
    notice = SandboxGateway().query_status(order_id=order_id)
    data = notice.raw or {"order_id": order_id, "status": notice.status}
    if not full:
        data = {"order_id": order_id, "status": notice.status}
    body = json.dumps(data, sort_keys=True).encode()
    return body, {SandboxGateway.signature_header: SandboxGateway.sign(body)}


def deliver_callback(*, order_id: str, status: str | None = None) -> int:
    """Send the bank's callback for ``order_id`` through the portal's handler.

    Returns the HTTP status the portal answered. The handler is the one the
    callback URL runs, so the signature is verified exactly as for a bank.
    """
    txn = SandboxTransaction.objects.get(order_id=order_id)
    body, headers = signed_callback(txn, status=status)
    return callback_receive(body=body, headers=headers).http_status


def send_callbacks(*, order_id: str) -> None:
    """Deliver the callback(s) for a decided order as SANDBOX_CALLBACK_MODE says."""
    # function-level: a cycle, payments.tasks imports this module at module level
    from payments.tasks import deliver_sandbox_callback

    mode = getattr(settings, "SANDBOX_CALLBACK_MODE", "immediate")
    if mode not in CALLBACK_MODES:
        raise ValueError(f"SANDBOX_CALLBACK_MODE must be one of {CALLBACK_MODES}")
    if mode in ("immediate", "before_return"):
        deliver_callback(order_id=order_id)
    elif mode == "duplicate":
        deliver_callback(order_id=order_id)
        deliver_callback(order_id=order_id)
    elif mode == "reorder":
        deliver_callback(order_id=order_id)
        deliver_callback(order_id=order_id, status=NoticeStatus.PENDING)
    elif mode in ("delay", "after_return"):
        delay = int(getattr(settings, "SANDBOX_CALLBACK_DELAY", 5))
        transaction.on_commit(
            lambda: deliver_sandbox_callback.apply_async((order_id,), countdown=delay)
        )
    # "drop": the bank never calls back; reconciliation must find the outcome.
