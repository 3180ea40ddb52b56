"""The same callback at the same moment twice credits once (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways.sandbox import bank_decide, signed_callback
from payments.models import PaymentPurpose, PaymentStatus


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_duplicate_callbacks_credit_once(make_registration):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (runs in the PostgreSQL CI run)")
    registration = make_registration()
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    body, headers = signed_callback(txn)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def deliver():
        try:
            barrier.wait()
            outcomes.append(services.callback_receive(body=body, headers=headers).outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["credited", "duplicate", "duplicate", "duplicate"]
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert registration.status == RegistrationStatus.FEE_PAID
    assert payment.events.filter(kind="credited").count() == 1
