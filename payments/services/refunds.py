"""Refunds of money held for staff: ledger entries, through the bank or recorded.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.money import format_inr
from ots_scheme.lifecycle import (
    RegistrationError,
    registration_debit,
)
from ots_scheme.models import Registration
from payments.gateways import (
    GatewayError,
    get_gateway,
)
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMode,
    PaymentStatus,
)
from payments.services.base import PaymentError, event_record

logger = logging.getLogger(__name__)


def refund_send(*, registration: Registration, payment: Payment, amount: Decimal,
                officer, note: str = "") -> LedgerEntry:
    """Send a refund of held money through the gateway's refund API, then record it.

    The bank is asked first, outside any transaction (a slow bank must not
    hold a row lock); its refund id becomes the ledger entry's reference. An
    idempotency key per (payment, refunds so far) makes a retry after a lost
    answer refund once. When the bank refuses or cannot be reached nothing
    is recorded and the officer is told.
    """
    if payment.mode != PaymentMode.ONLINE or payment.status != PaymentStatus.SUCCESS:
        raise PaymentError(_("Only a successful online payment can be refunded through "
                             "the bank; record the refund's reference instead."))
    gateway = get_gateway()
    if payment.gateway != gateway.name or not gateway.can_refund:
        raise PaymentError(_("This payment was made through another bank; record the "
                             "refund's reference instead."))
    if not registration.held_reason:
        raise PaymentError(_("Only money held for staff can be refunded."))
    done = payment.ledger_entries.filter(kind=LedgerKind.REFUND).count()
    try:
        notice = gateway.refund(
            payment=payment, amount=amount,
            notes={"registration": registration.registration_number,
                   "officer": officer.get_username(), "note": (note or "")[:200]},
            idempotency_key=f"{payment.order_id}-R{done + 1}",
        )
    except GatewayError as exc:
        logger.warning("refund of %s through %s failed: %s", payment.order_id, gateway.name, exc)
        raise PaymentError(_("The bank could not make the refund now. Try again later, or "
                             "refund at the bank and record its reference.")) from exc
    if notice.status == "failed":
        raise PaymentError(_("The bank refused the refund; nothing was recorded."))
    return refund_record(registration=registration, payment=payment, amount=amount,
                         reference=notice.refund_id, officer=officer, note=note)


@transaction.atomic
def refund_record(*, registration: Registration, payment: Payment, amount: Decimal,
                  reference: str, officer, note: str = "") -> LedgerEntry:
    """Record a refund of held money, with the bank's reference (a ledger entry).

    Only money held for staff can be refunded (DESIGN §4.2a), at most what
    the payment brought less what was refunded of it already.
    """
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise PaymentError(_("Enter the bank's refund reference (up to 64 characters)."))
    amount = Decimal(amount)
    if amount <= 0:
        raise PaymentError(_("Enter the amount refunded."))
    list(Registration.objects.select_for_update(of=("self",)).filter(pk=registration.pk)
         .values_list("pk", flat=True))
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.registration_id != registration.pk or payment.status != PaymentStatus.SUCCESS:
        raise PaymentError(_("Choose a successful payment of this registration."))
    refunded = sum((e.amount for e in payment.ledger_entries.filter(kind=LedgerKind.REFUND)),
                   Decimal("0"))
    if amount > payment.amount - refunded:
        raise PaymentError(
            _("At most %(left)s of this payment can be refunded.")
            % {"left": format_inr(payment.amount - refunded)})
    entry = LedgerEntry.objects.create(
        kind=LedgerKind.REFUND, payment=payment, registration=registration,
        sub_division_id=registration.sub_division_id, amount=amount, reference=reference,
        note=(note or "").strip()[:500], recorded_by=officer,
    )
    try:
        registration_debit(registration_id=registration.pk, amount=amount, officer=officer)
    except RegistrationError as err:
        raise PaymentError(err.message, code=err.code) from err
    event_record(payment, "refund_recorded", before=payment.status, payload={
        "amount": f"{amount:.2f}", "reference": reference,
        "officer": officer.get_username(),
    })
    return entry
