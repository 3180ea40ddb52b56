"""Starting an online payment: the order the person takes to the bank (DESIGN §4.2a).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import today_ist
from ots_scheme.lifecycle import (
    registration_settle_nothing_due,
)
from ots_scheme.models import Registration, RegistrationStatus
from payments.gateways import (
    get_gateway,
)
from payments.models import (
    Payment,
    PaymentMode,
    PaymentPurpose,
    PaymentStatus,
)
from payments.services.base import (
    OPEN_STATUSES,
    PaymentError,
    amount_due,
    end_of_ist_day,
    event_record,
    new_order_id,
    registration_requote,
)


@transaction.atomic
def payment_start(*, registration: Registration, purpose: str) -> Payment:
    """Return an open online payment for ``registration`` and ``purpose``.

    A fee order carries today's quote (IST) and expires at the end of the IST
    day (DESIGN §4.2a). An order already open today for the same amount is
    reused rather than piling up orders (a second click, a back button);
    otherwise a new order is made.
    """
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("case", "scheme").get(pk=registration.pk))
    now = timezone.now()
    if purpose == PaymentPurpose.REGISTRATION_FEE and registration.status == \
            RegistrationStatus.SUBMITTED:
        if registration.expires_at and registration.expires_at <= now:
            raise PaymentError(_("This registration has expired; please register again."))
        registration_requote(registration, today_ist())
        if registration.total_payable == 0:
            registration_settle_nothing_due(registration=registration)
            raise PaymentError(_("Nothing is to be paid: the registration is settled."))
    amount = amount_due(registration=registration, purpose=purpose)
    gateway = get_gateway()
    existing = (
        Payment.objects.select_for_update()
        .filter(registration=registration, purpose=purpose, mode=PaymentMode.ONLINE,
                status__in=OPEN_STATUSES, amount=amount, gateway=gateway.name,
                expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    payment = Payment.objects.create(
        order_id=new_order_id(), registration=registration,
        sub_division=registration.sub_division, purpose=purpose, amount=amount,
        gateway=gateway.name, mode=PaymentMode.ONLINE, expires_at=end_of_ist_day(now),
    )
    event_record(payment, "created", after=PaymentStatus.INITIATED,
                 payload={"amount": f"{amount:.2f}", "purpose": purpose,
                    "expires_at": payment.expires_at.isoformat()})
    return payment


@transaction.atomic
def payment_mark_sent(*, payment: Payment) -> Payment:
    """Note that the browser was sent to the bank: initiated → pending."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.INITIATED:
        payment.status = PaymentStatus.PENDING
        payment.save(update_fields=["status", "updated_at"])
        event_record(payment, "sent_to_gateway", before=PaymentStatus.INITIATED)
    return payment
