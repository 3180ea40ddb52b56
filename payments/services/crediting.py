"""Crediting money that arrived: one ledger entry per payment, then the lifecycle.

The ledger's unique credit entry per payment makes a second credit
impossible; ``ots_scheme.lifecycle.registration_credit`` moves the
registration on or holds the money for staff (DESIGN §4.2a).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Exists, OuterRef

from ots_scheme.lifecycle import (
    registration_credit,
)
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentStatus,
)
from payments.services.base import event_record, payment_lock

logger = logging.getLogger(__name__)


def ledger_credit(payment: Payment, *, strict: bool) -> None:
    """Credit a successful payment to its registration (same transaction).

    One credit entry per payment (a unique constraint), then the registration
    lifecycle moves the registration on — or holds the money for staff; money
    that arrived is never refused (DESIGN §4.2a). When crediting an online
    payment fails the success still stands (the money was taken): the failure
    is an event, and the reconciliation sweep credits it again.
    """
    if strict:
        _credit_entry(payment)
        event_record(payment, "credited", before=payment.status)
        return
    try:
        with transaction.atomic():
            _credit_entry(payment)
    except Exception as exc:
        logger.exception("payment %s could not be credited", payment.order_id)
        event_record(payment, "credit_failed", before=payment.status,
                     payload={"error": f"{type(exc).__name__}: {exc}"[:500]})
        return
    event_record(payment, "credited", before=payment.status)


@transaction.atomic
def payment_credit(*, payment: Payment) -> None:
    """Credit a payment that is already successful (e.g. a receipt imported elsewhere).

    Once only: a second call finds the credit entry and changes nothing.
    """
    payment = payment_lock(order_id=payment.order_id)
    if payment.status != PaymentStatus.SUCCESS or payment.ledger_entries.filter(
            kind=LedgerKind.CREDIT).exists():
        return
    ledger_credit(payment, strict=True)


def _credit_entry(payment: Payment) -> None:
    LedgerEntry.objects.create(
        kind=LedgerKind.CREDIT, payment=payment, registration_id=payment.registration_id,
        sub_division_id=payment.sub_division_id, amount=payment.amount,
        reference=payment.gateway_reference or payment.receipt_number,
        recorded_by=payment.recorded_by,
    )
    outcome = registration_credit(registration_id=payment.registration_id,
                                  amount=payment.amount, purpose=payment.purpose,
                                  paid_at=payment.paid_at)
    if outcome.action == "needs_attention":
        event_record(payment, "held_for_staff", before=payment.status)


def _credit_entries():
    return LedgerEntry.objects.filter(payment=OuterRef("pk"), kind=LedgerKind.CREDIT)


def uncredited_payments() -> list[int]:
    """Successful payments with no credit entry in the ledger.

    The money was taken (the ledger says success) but the registration did not
    move — the portal's own "money taken, not posted". The reconciliation
    sweep credits them again.
    """
    return list(
        Payment.objects.filter(status=PaymentStatus.SUCCESS)
        .exclude(Exists(_credit_entries()))
        .order_by("pk").values_list("pk", flat=True)[:1000]
    )


@transaction.atomic
def payment_credit_retry(*, payment_id: int) -> bool:
    """Credit a successful payment again after a failed attempt; True when done."""
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    payment = payment_lock(order_id=order_id)
    if payment.status != PaymentStatus.SUCCESS or payment.ledger_entries.filter(
            kind=LedgerKind.CREDIT).exists():
        return False
    ledger_credit(payment, strict=False)
    return payment.ledger_entries.filter(kind=LedgerKind.CREDIT).exists()
