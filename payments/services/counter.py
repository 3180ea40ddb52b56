"""Counter payments: a cash / cheque / DD receipt taken by staff (DESIGN §4.2a).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import IST, ist_date, today_ist
from core.money import format_inr
from ots_scheme.models import Registration, RegistrationStatus
from payments.models import (
    Payment,
    PaymentPurpose,
    PaymentStatus,
)
from payments.services.base import (
    COUNTER_GATEWAY,
    COUNTER_MODES,
    PaymentError,
    amount_due,
    event_record,
    new_order_id,
    registration_requote,
)
from payments.services.crediting import ledger_credit


@transaction.atomic
def counter_payment_record(*, registration: Registration, purpose: str, amount: Decimal,
                           mode: str, receipt_number: str, received_on: dt.date,
                           officer) -> Payment:
    """Record a cash / cheque / DD receipt taken at the counter: a success at once.

    The phase of a counter registration-fee payment is fixed by the receipt
    date (DESIGN §4.2a), so ``paid_at`` is noon IST of ``received_on``, or
    now when the receipt is today's; the date may not be before the
    registration was submitted nor after today.
    """
    if mode not in COUNTER_MODES:
        raise PaymentError(_("Choose cash, cheque or demand draft."))
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise PaymentError(_("Enter the receipt number."))
    today = today_ist()
    if received_on > today:
        raise PaymentError(_("The receipt date cannot be in the future."))
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("case", "scheme").get(pk=registration.pk))
    submitted_on = ist_date(registration.created_at)
    if received_on < submitted_on:
        # DESIGN §4.2a: a backdated receipt must not buy an earlier phase.
        raise PaymentError(
            _("The receipt date cannot be before the registration was made (%(day)s).")
            % {"day": submitted_on.strftime("%d-%m-%Y")})
    if purpose == PaymentPurpose.REGISTRATION_FEE and \
            registration.status == RegistrationStatus.SUBMITTED:
        try:
            registration_requote(registration, received_on)
        except PaymentError:
            # No phase open on the receipt date: the money is still taken and
            # held for staff by the lifecycle; the stored quote's fee is due.
            pass
    due = amount_due(registration=registration, purpose=purpose)
    if Decimal(amount) != due:
        raise PaymentError(
            _("The amount must be exactly %(due)s (the scheme takes no part payments).")
            % {"due": format_inr(due)}
        )
    if Payment.objects.filter(mode=mode, receipt_number=receipt_number).exists():
        raise PaymentError(_("This receipt number has already been entered."))
    paid_at = (
        timezone.now() if received_on == today
        else dt.datetime.combine(received_on, dt.time(12, 0), tzinfo=IST)
    )
    payment = Payment.objects.create(
        order_id=new_order_id(), registration=registration,
        sub_division=registration.sub_division, purpose=purpose, amount=due,
        status=PaymentStatus.SUCCESS, mode=mode, gateway=COUNTER_GATEWAY,
        receipt_number=receipt_number, recorded_by=officer, paid_at=paid_at,
    )
    event_record(payment, "counter_receipt", after=PaymentStatus.SUCCESS, payload={
        "mode": mode, "receipt_number": receipt_number,
        "received_on": received_on.isoformat(), "officer": officer.get_username(),
        "amount": f"{due:.2f}",
    })
    ledger_credit(payment, strict=True)
    return payment
