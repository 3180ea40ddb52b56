"""What the bank says about an order: callbacks, status answers, refund notices.

A payment moves only on the bank's verified word, after its order and amount
are checked against what was stored (domain.md, "Payments and messages in
practice"); a duplicate notice changes nothing and a success is never undone
(DESIGN §7).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.dates import today_ist
from payments.gateways import (
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
    RefundNotice,
    get_gateway,
)
from payments.models import (
    Payment,
    PaymentMode,
    PaymentStatus,
    RefusedCallbackTally,
)
from payments.services.base import OPEN_STATUSES, event_record, expire_after, payment_lock
from payments.services.crediting import ledger_credit

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CallbackResult:
    outcome: str
    http_status: int


def callback_receive(*, body: bytes, headers, gateway: PaymentGateway | None = None
                     ) -> CallbackResult:
    """Verify a server-to-server callback and apply it; never raise on bad input.

    A callback with a bad signature or an unreadable body changes nothing: it
    is logged (and kept as an event on the order it names, if any) and
    answered 400.
    """
    gateway = gateway or get_gateway()
    try:
        notice = gateway.parse_callback(body=body, headers=headers)
    except InvalidCallback as exc:
        _log_refused_callback(body=body, reason=str(exc))
        return CallbackResult("refused_" + str(exc).replace(" ", "_"), 400)
    outcome = notice_apply(notice=notice, source="callback", gateway_name=gateway.name)
    status = {"unknown_order": 404, "amount_mismatch": 409, "reference_reused": 409}
    return CallbackResult(outcome, status.get(outcome, 200))


def _log_refused_callback(*, body: bytes, reason: str) -> None:
    """Count a refused callback on today's tally; never one row per callback.

    Anyone can post to the callback URL, so what they send is not stored
    (an event per post grew the ledger without bound): the day's count per
    reason goes up by one, and the log says which order the body named.
    """
    try:
        named = str(json.loads(body).get("order_id", ""))[:40]
    except (ValueError, AttributeError, UnicodeDecodeError):
        named = ""
    logger.warning("payment callback refused: %s (order %r)", reason, named)
    day, reason = today_ist(), reason[:64]
    tallies = RefusedCallbackTally.objects.filter(day=day, reason=reason)
    if tallies.update(count=F("count") + 1, last_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            RefusedCallbackTally.objects.create(day=day, reason=reason, count=1)
    except IntegrityError:  # another callback made the row a moment ago
        tallies.update(count=F("count") + 1, last_at=timezone.now())


def _notice_payload(notice: GatewayNotice, source: str) -> dict:
    return {
        "source": source,
        "status": notice.status,
        "amount": f"{notice.amount:.2f}" if notice.amount is not None else None,
        "reference": notice.reference,
        "paid_at": notice.paid_at.isoformat() if notice.paid_at else None,
    }


def notice_apply(*, notice: GatewayNotice, source: str, gateway_name: str) -> str:
    """Apply what the bank said about an order; return what happened.

    Outcomes: ``credited``, ``failed``, ``pending``, ``expired``, ``duplicate``
    (nothing new), ``ignored`` (stale or a late failure after success),
    ``unknown_order``, ``amount_mismatch``, ``reference_reused``.
    """
    with transaction.atomic():
        payment = payment_lock(order_id=notice.order_id)
        if payment is None:
            logger.warning("payment notice for unknown order %s (%s)", notice.order_id, source)
            return "unknown_order"
        before = payment.status
        payload = _notice_payload(notice, source)
        if payment.mode != PaymentMode.ONLINE or payment.gateway != gateway_name:
            event_record(payment, f"{source}_wrong_gateway", before=before, payload=payload)
            return "ignored"
        if notice.amount is not None and notice.amount != payment.amount:
            event_record(payment, f"{source}_amount_mismatch", before=before, payload=payload)
            logger.error("payment %s: bank amount %s != stored %s", payment.order_id,
                         notice.amount, payment.amount)
            return "amount_mismatch"
        if notice.status == NoticeStatus.SUCCESS:
            return _apply_success(payment, notice, source, payload)
        if notice.status == NoticeStatus.FAILED:
            if before in (PaymentStatus.INITIATED, PaymentStatus.PENDING, PaymentStatus.EXPIRED):
                payment.status = PaymentStatus.FAILED
                payment.save(update_fields=["status", "updated_at"])
                event_record(payment, source, before=before, payload=payload)
                return "failed"
        elif notice.status == NoticeStatus.PENDING:
            if before == PaymentStatus.INITIATED:
                payment.status = PaymentStatus.PENDING
                payment.save(update_fields=["status", "updated_at"])
                event_record(payment, source, before=before, payload=payload)
                return "pending"
        elif notice.status == NoticeStatus.UNKNOWN:
            # The bank never heard of the order: the person never paid it.
            if before in OPEN_STATUSES and payment.created_at <= timezone.now() - expire_after():
                payment.status = PaymentStatus.EXPIRED
                payment.save(update_fields=["status", "updated_at"])
                event_record(payment, source, before=before, payload=payload)
                return "expired"
        event_record(payment, source, before=before, payload=payload)
        return "duplicate" if before == notice.status else "ignored"


def _apply_success(payment: Payment, notice: GatewayNotice, source: str, payload: dict) -> str:
    before = payment.status
    if before == PaymentStatus.SUCCESS:
        event_record(payment, source, before=before, payload={**payload, "duplicate": True})
        return "duplicate"
    # The bank's word that money was taken outranks an earlier failure or our
    # own expiry: money taken must never be lost (domain.md).
    reference = notice.reference or notice.order_id
    clash = (
        Payment.objects.filter(gateway=payment.gateway, gateway_reference=reference)
        .exclude(pk=payment.pk)
        .exists()
    )
    if clash:
        event_record(payment, f"{source}_reference_reused", before=before, payload=payload)
        logger.error("payment %s: bank reference %s already used", payment.order_id, reference)
        return "reference_reused"
    payment.status = PaymentStatus.SUCCESS
    payment.gateway_reference = reference
    payment.paid_at = notice.paid_at or timezone.now()
    try:
        with transaction.atomic():
            payment.save(update_fields=["status", "gateway_reference", "paid_at", "updated_at"])
    except IntegrityError:
        payment.refresh_from_db()
        event_record(payment, f"{source}_reference_reused", before=before, payload=payload)
        return "reference_reused"
    event_record(payment, source, before=before, payload=payload)
    ledger_credit(payment, strict=False)
    return "credited"


def gateway_event_record(*, order_id: str, kind: str, payload: dict) -> bool:
    """Keep something the bank (or the browser on its behalf) said, moving nothing.

    Used for a browser return that cannot be trusted or that reports a
    failure without a signature: it decides nothing (the status query and
    the webhook do), but it is kept. Returns False when no such order exists.
    """
    with transaction.atomic():
        payment = payment_lock(order_id=order_id)
        if payment is None:
            return False
        event_record(payment, kind[:32], before=payment.status, payload=payload)
    return True


def refund_callback_receive(*, body: bytes, headers, gateway: PaymentGateway
                            ) -> CallbackResult:
    """Verify a refund webhook and keep it as an event; never raise on bad input."""
    try:
        notice = gateway.parse_refund_callback(body=body, headers=headers)
    except InvalidCallback as exc:
        _log_refused_callback(body=body, reason=str(exc))
        return CallbackResult("refused_" + str(exc).replace(" ", "_"), 400)
    outcome = refund_notice_apply(notice=notice, source="callback", gateway_name=gateway.name)
    return CallbackResult(outcome, 404 if outcome == "unknown_payment" else 200)


def refund_notice_apply(*, notice: RefundNotice, source: str, gateway_name: str) -> str:
    """Record what the bank said about a refund; return ``recorded`` or ``duplicate``.

    A refund changes no payment status here: the money arrived and stays in
    the ledger; the refund is an event on the payment it came from
    (``refund_pending`` / ``refund_processed`` / ``refund_failed``).
    ``unknown_payment`` when no payment of this gateway has that reference.
    """
    with transaction.atomic():
        order_id = (Payment.objects.filter(gateway=gateway_name,
                                           gateway_reference=notice.reference)
                    .values_list("order_id", flat=True).first())
        payment = payment_lock(order_id=order_id) if order_id else None
        if payment is None:
            logger.warning("refund notice %s for unknown payment %s (%s)", notice.refund_id,
                           notice.reference, source)
            return "unknown_payment"
        kind = f"refund_{notice.status}"
        duplicate = payment.events.filter(kind=kind,
                                          payload__refund_id=notice.refund_id).exists()
        event_record(payment, kind, before=payment.status, payload={
            "source": source, "refund_id": notice.refund_id, "reference": notice.reference,
            "amount": f"{notice.amount:.2f}" if notice.amount is not None else None,
            "status": notice.status, "duplicate": duplicate, "raw": notice.raw,
        })
    return "duplicate" if duplicate else "recorded"
