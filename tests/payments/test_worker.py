"""Reconciliation through a real Celery worker on Redis (PostgreSQL run)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways.sandbox import bank_decide
from payments.models import Payment, PaymentPurpose, PaymentStatus
from payments.tasks import query_payment_status, reconcile_pending_payments


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_dropped_callback_is_reconciled_by_the_worker(celery_worker, make_registration):
    registration = make_registration()
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    services.payment_mark_sent(payment=payment)
    # The bank took the money but its callback never came.
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=20))

    result = reconcile_pending_payments.delay().get(timeout=60)

    assert result["credited"] == 1
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert registration.status == RegistrationStatus.FEE_PAID
    # Delivered again (acks_late redelivery, a second sweep): nothing more happens.
    assert query_payment_status.delay(payment.pk).get(timeout=60) == "final"
    assert payment.events.filter(kind="credited").count() == 1
