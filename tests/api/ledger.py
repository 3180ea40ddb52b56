"""Money for the API tests, written the way the payments code writes it.

Issue 12's services make exactly one credit ``LedgerEntry`` for each
successful payment, inside the payment's transaction; until they land,
:func:`credit` does the same here (and :func:`refund` a staff refund).
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMode,
    PaymentPurpose,
    PaymentStatus,
)

_numbers = itertools.count(1)


def credit(registration, amount="12346.00", *, purpose=PaymentPurpose.REGISTRATION_FEE,
           mode=PaymentMode.ONLINE, before_commit=None) -> LedgerEntry:
    """Record a successful payment and its credit entry in one transaction.

    ``before_commit`` runs inside the transaction after the entry is written
    (the concurrency test holds a commit back with it).
    """
    number = next(_numbers)
    with transaction.atomic():
        online = mode == PaymentMode.ONLINE
        payment = Payment.objects.create(
            order_id=f"T{timezone.now():%H%M%S%f}{number}", registration=registration,
            sub_division=registration.sub_division, purpose=purpose, amount=Decimal(amount),
            status=PaymentStatus.SUCCESS, mode=mode, gateway="sandbox" if online else "",
            gateway_reference=f"BANK{number:08d}-{timezone.now():%f}" if online else "",
            receipt_number="" if online else f"RCPT{number:06d}-{timezone.now():%f}",
            paid_at=timezone.now(),
        )
        entry = LedgerEntry.objects.create(
            kind=LedgerKind.CREDIT, payment=payment, registration=registration,
            sub_division=registration.sub_division, amount=payment.amount,
            reference=payment.gateway_reference or payment.receipt_number,
        )
        registration.credited += payment.amount
        registration.save(update_fields=["credited"])
        if before_commit is not None:
            before_commit(entry)
    return entry


def refund(entry: LedgerEntry, amount=None, *, reference="REFUND-1") -> LedgerEntry:
    with transaction.atomic():
        refund_entry = LedgerEntry.objects.create(
            kind=LedgerKind.REFUND, payment=entry.payment, registration=entry.registration,
            sub_division=entry.sub_division, amount=Decimal(amount or entry.amount),
            reference=reference,
        )
        registration = entry.registration
        registration.credited -= refund_entry.amount
        registration.save(update_fields=["credited"])
    return refund_entry
