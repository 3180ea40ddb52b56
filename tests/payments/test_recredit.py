"""Money taken but not posted is posted by the reconciliation sweep.

Found by the load bench: a deadlock while crediting left a successful payment
whose registration never moved ("credit_failed"). Such a payment is credited
again by ``reconcile_pending_payments``, once.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from ots_scheme.models import RegistrationStatus
from payments.models import Payment, PaymentEvent, PaymentPurpose, PaymentStatus
from payments.tasks import reconcile_pending_payments
from theft_cases.models import CaseStatus


@pytest.mark.django_db
def test_failed_credit_is_redone_once(make_registration):
    registration = make_registration()
    payment = Payment.objects.create(
        order_id="ORD-RECREDIT-1", registration=registration,
        sub_division=registration.sub_division, purpose=PaymentPurpose.REGISTRATION_FEE,
        amount=Decimal("12346.00"), status=PaymentStatus.SUCCESS, gateway="sandbox",
        gateway_reference="BANK-RECREDIT-1", paid_at=timezone.now(),
    )
    PaymentEvent.objects.create(payment=payment, kind="credit_failed",
                                status_after=PaymentStatus.SUCCESS,
                                payload={"error": "OperationalError: deadlock detected"})

    result = reconcile_pending_payments.delay().get()

    assert result["recredited"] == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID
    assert registration.frozen_at is not None
    assert registration.case.status == CaseStatus.REGISTERED
    assert payment.events.filter(kind="credited").count() == 1
    # A second sweep finds nothing more to post.
    assert reconcile_pending_payments.delay().get()["recredited"] == 0
    assert payment.events.filter(kind="credited").count() == 1
