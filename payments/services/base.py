"""What every payment service shares: the refusal, the order, the lock, the event.

Locks are taken registration first, then payment — the order every service
here follows, so concurrent requests never deadlock.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import IST
from core.errors import ServiceError
from ots_scheme import services as settlement_services
from ots_scheme.models import Registration, RegistrationStatus
from ots_scheme.settlement import QuoteError
from payments.models import (
    Payment,
    PaymentEvent,
    PaymentMode,
    PaymentPurpose,
    PaymentStatus,
)

OPEN_STATUSES = (PaymentStatus.INITIATED, PaymentStatus.PENDING)
COUNTER_MODES = (PaymentMode.CASH, PaymentMode.CHEQUE, PaymentMode.DD)
COUNTER_GATEWAY = "counter"


class PaymentError(ServiceError):
    """Bad input or a payment that cannot be made now; the message is for people."""


def expire_after() -> dt.timedelta:
    """How long an order may stay open with the bank never having heard of it."""
    return dt.timedelta(minutes=getattr(settings, "PAYMENT_EXPIRE_AFTER_MINUTES", 120))


def event_record(payment: Payment, kind: str, *, before: str = "", after: str = "",
                 payload: dict | None = None) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment, kind=kind, status_before=before,
        status_after=after or payment.status, payload=payload or {},
    )


def new_order_id() -> str:
    """Return a fresh, unguessable order id such as ``OTS260104A1B2C3D4E5F6``."""
    return f"OTS{timezone.now().astimezone(IST):%y%m%d}{secrets.token_hex(6).upper()}"


def payment_lock(*, order_id: str) -> Payment | None:
    """Lock the payment's registration, then the payment, and return the payment.

    Registration before payment, the same order ``payment_start`` and
    ``counter_payment_record`` take, so concurrent requests never deadlock.
    """
    row = Payment.objects.filter(order_id=order_id).values("pk", "registration_id").first()
    if row is None:
        return None
    list(Registration.objects.select_for_update().filter(pk=row["registration_id"])
         .values_list("pk", flat=True))
    return Payment.objects.select_for_update().get(pk=row["pk"])


def amount_due(*, registration: Registration, purpose: str) -> Decimal:
    """Return what ``registration`` owes for ``purpose`` now, or raise PaymentError.

    The balance is the frozen total payable less the money actually credited
    (DESIGN §4.2a), not the quote's figure.
    """
    if purpose == PaymentPurpose.REGISTRATION_FEE:
        if registration.status != RegistrationStatus.SUBMITTED or registration.held_reason:
            raise PaymentError(_("The registration fee is not due on this registration."))
        if not registration.registration_fee or registration.registration_fee <= 0:
            raise PaymentError(_("The registration fee has not been worked out yet."))
        return registration.registration_fee
    if purpose == PaymentPurpose.BALANCE:
        if registration.status not in Registration.BALANCE_DUE_STATUSES:
            raise PaymentError(_("The balance can be paid only after the registration fee."))
        if registration.balance_due <= 0:
            raise PaymentError(_("No balance is due on this registration."))
        return registration.balance_due
    raise PaymentError(_("Unknown payment purpose."))


def end_of_ist_day(moment: dt.datetime) -> dt.datetime:
    """Return the first instant of the IST day after ``moment`` (an order's expiry)."""
    day = moment.astimezone(IST).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=IST)


def registration_requote(registration: Registration, day: dt.date) -> None:
    """Re-quote an unfrozen registration for the day its fee is paid (§4.2a).

    The fee order carries the quote of the day it is made; raises
    PaymentError when no phase is open that day.
    """
    if registration.is_frozen or registration.quoted_on == day:
        return
    try:
        result = settlement_services.quote_for_case(
            case=registration.case, scheme=registration.scheme, on=day)
    except QuoteError as err:
        raise PaymentError(settlement_services.error_message(err)) from err
    settlement_services.quote_apply(registration=registration, quote=result, on=day)
