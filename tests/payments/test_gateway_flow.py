"""Online payments through the sandbox bank: callbacks, returns, reconciliation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.dates import IST
from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways.sandbox import bank_decide, deliver_callback, signed_callback
from payments.models import Payment, PaymentEvent, PaymentPurpose, PaymentStatus
from payments.tasks import reconcile_days_payments, reconcile_pending_payments

pytestmark = pytest.mark.django_db

CALLBACK = "/payments/callback/"


def post_callback(client, body: bytes, headers: dict):
    return client.post(CALLBACK, data=body, content_type="application/json",
                       headers=headers)


def fee_payment(registration) -> Payment:
    return services.payment_start(registration=registration,
                                  purpose=PaymentPurpose.REGISTRATION_FEE)


def status_marker(response) -> str:
    html = response.content.decode()
    for marker in ("success", "failed", "confirming"):
        if f'data-payment-status="{marker}"' in html:
            return marker
    raise AssertionError("no payment status on the page")


def test_start_payment_reuses_open_order_and_refuses_balance_before_fee(registration):
    first = fee_payment(registration)
    again = fee_payment(registration)
    assert again.pk == first.pk
    assert first.amount == Decimal("12346.00")
    assert first.sub_division == registration.sub_division
    assert first.status == PaymentStatus.INITIATED
    with pytest.raises(services.PaymentError):
        services.payment_start(registration=registration, purpose=PaymentPurpose.BALANCE)


def test_callback_with_bad_signature_is_refused(client, registration):
    payment = fee_payment(registration)
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    body, headers = signed_callback(txn)
    forged = {"X-Sandbox-Signature": "0" * 64}

    response = post_callback(client, body, forged)

    assert response.status_code == 400
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED
    assert registration.status == RegistrationStatus.SUBMITTED
    # Counted on the day's tally, not stored as an event (issue 17).
    from payments.models import RefusedCallbackTally

    assert not payment.events.filter(kind="callback_refused").exists()
    assert RefusedCallbackTally.objects.get(reason="bad signature").count == 1
    # A body changed after signing is refused too.
    tampered = body.replace(b"12346.00", b"1.00")
    assert post_callback(client, tampered, headers).status_code == 400
    assert post_callback(client, body, {}).status_code == 400


def test_same_callback_twice_credits_once(client, registration):
    payment = fee_payment(registration)
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    body, headers = signed_callback(txn)

    first = post_callback(client, body, headers)
    second = post_callback(client, body, headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert Payment.objects.filter(registration=registration).count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway_reference == txn.bank_reference
    assert payment.events.filter(kind="credited").count() == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID
    assert registration.fee_paid_at == payment.paid_at
    statuses = list(registration.history.order_by("history_date", "history_id")
                    .values_list("status", flat=True))
    became_fee_paid = [
        i for i in range(1, len(statuses))
        if statuses[i] == RegistrationStatus.FEE_PAID and statuses[i - 1] != statuses[i]
    ]
    assert len(became_fee_paid) == 1


def test_duplicate_mode_through_the_bank_page_credits_once(
    client, consumer_client, pay_at_bank, registration, settings
):
    settings.SANDBOX_CALLBACK_MODE = "duplicate"
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)

    pay_at_bank(client, payment)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.events.filter(kind="credited").count() == 1
    assert payment.events.filter(kind="callback").count() == 2


def test_dropped_callback_is_settled_by_reconciliation(
    client, consumer_client, pay_at_bank, registration, settings
):
    settings.SANDBOX_CALLBACK_MODE = "drop"
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    pay_at_bank(client, payment)
    response = client.get(reverse("payments:return", args=[payment.order_id]))
    assert status_marker(response) == "confirming"

    # Too young to reconcile: the sweep leaves it alone.
    reconcile_pending_payments.delay()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16))
    result = reconcile_pending_payments.delay().get()

    assert result["credited"] == 1
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert registration.status == RegistrationStatus.FEE_PAID
    assert status_marker(
        client.get(reverse("payments:return", args=[payment.order_id]))) == "success"
    # Reconciling again changes nothing.
    assert reconcile_pending_payments.delay().get()["checked"] == 0
    assert payment.events.filter(kind="credited").count() == 1


def test_callback_before_the_browser_return_ends_in_one_success(
    client, consumer_client, pay_at_bank, registration, settings
):
    settings.SANDBOX_CALLBACK_MODE = "before_return"
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)

    response = pay_at_bank(client, payment)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS

    page = client.get(response["Location"])
    assert status_marker(page) == "success"
    assert Payment.objects.filter(status=PaymentStatus.SUCCESS).count() == 1


def test_callback_after_the_browser_return_ends_in_one_success(
    client, consumer_client, pay_at_bank, registration, settings,
    django_capture_on_commit_callbacks,
):
    settings.SANDBOX_CALLBACK_MODE = "after_return"
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = pay_at_bank(client, payment)
    # The browser is back first: the page waits, and never says "failed".
    page = client.get(response["Location"])
    assert status_marker(page) == "confirming"

    for deliver in queued:  # the bank's callback arrives now
        deliver()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert status_marker(poll) == "success"
    assert poll["HX-Redirect"] == reverse(
        "consumers:registration", args=[registration.registration_number])
    assert Payment.objects.filter(status=PaymentStatus.SUCCESS).count() == 1
    assert payment.events.filter(kind="credited").count() == 1


def test_return_without_a_decision_shows_confirming_never_failed(
    client, consumer_client, pay_at_bank, registration, settings
):
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    response = pay_at_bank(client, payment, outcome="pending")

    page = client.get(response["Location"])
    poll = client.get(response["Location"], headers={"HX-Request": "true"})

    for reply in (page, poll):
        assert status_marker(reply) == "confirming"
        assert 'data-payment-status="failed"' not in reply.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_failed_payment_is_shown_and_can_be_paid_again(
    client, consumer_client, pay_at_bank, registration
):
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    response = pay_at_bank(client, payment, outcome="failed")

    assert status_marker(client.get(response["Location"])) == "failed"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    retry = fee_payment(registration)
    assert retry.pk != payment.pk
    pay_at_bank(client, retry)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID


def test_amount_mismatch_is_refused(registration):
    payment = fee_payment(registration)
    bank_decide(order_id=payment.order_id, outcome="success", amount=Decimal("12.00"))

    assert deliver_callback(order_id=payment.order_id) == 409
    assert services.payment_reconcile(payment_id=payment.pk) == "amount_mismatch"

    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED
    assert registration.status == RegistrationStatus.SUBMITTED
    assert payment.events.filter(kind="callback_amount_mismatch").count() == 1


def test_late_failure_and_stale_pending_never_undo_a_success(registration, settings):
    settings.SANDBOX_CALLBACK_MODE = "reorder"
    payment = fee_payment(registration)
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    from payments.gateways.sandbox import send_callbacks

    send_callbacks(order_id=payment.order_id)  # success, then a stale "pending"
    body, headers = signed_callback(txn, status="failed")
    services.callback_receive(body=body, headers=headers)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.events.filter(kind="credited").count() == 1


def test_unknown_order_is_answered_404_and_changes_nothing(client, registration):
    payment = fee_payment(registration)
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    txn.order_id = "OTS-NOT-OURS"
    body, headers = signed_callback(txn)
    assert post_callback(client, body, headers).status_code == 404
    assert Payment.objects.get().status == PaymentStatus.INITIATED


def test_order_never_taken_to_the_bank_expires(registration):
    payment = fee_payment(registration)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=3))

    assert reconcile_pending_payments.delay().get()["expired"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    # A new order is made next time; the expired one stays in the ledger.
    assert fee_payment(registration).pk != payment.pk


def test_nightly_sweep_finds_todays_money(registration, settings):
    payment = fee_payment(registration)
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)

    result = reconcile_days_payments.delay().get()

    assert result["credited"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS


def test_unreachable_bank_changes_nothing(registration, settings):
    settings.SANDBOX_STATUS_QUERY_FAILS = True
    payment = fee_payment(registration)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=20))

    assert reconcile_pending_payments.delay().get()["unanswered"] == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED


def test_payment_at_0030_ist_on_4_january_2026_freezes_phase_2(make_registration):
    registration = make_registration(scheme_code="OTS-THEFT-23",
                                     quoted_on=dt.date(2026, 1, 3))
    # The order is made at 20:00 IST on 3 Jan (phase 1, expires at midnight IST).
    with time_machine.travel(dt.datetime(2026, 1, 3, 20, 0, tzinfo=IST), tick=False):
        payment = fee_payment(registration)
    assert payment.expires_at == dt.datetime(2026, 1, 4, 0, 0, tzinfo=IST)
    paid_at = dt.datetime(2026, 1, 4, 0, 30, tzinfo=IST)  # 3 Jan 19:00 UTC
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount,
                paid_at=paid_at)

    assert deliver_callback(order_id=payment.order_id) == 200

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID
    assert registration.phase_number == 2
    assert registration.payable_percent == Decimal("55")
    assert registration.assessment_payable == Decimal("67901.00")
    assert registration.frozen_at is not None
    assert registration.fee_paid_at == paid_at
    # The order carried phase 1's fee (₹12,346); phase 2's is the same 10 %,
    # so the balance is the frozen total less the money credited.
    assert registration.credited == payment.amount
    assert registration.balance == registration.total_payable - payment.amount


def test_balance_paid_settles_registration_and_case(
    client, consumer_client, pay_at_bank, registration
):
    consumer_client(registration.registration_number)
    pay_at_bank(client, fee_payment(registration))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID

    start = client.post(reverse("consumers:pay", args=[
        registration.registration_number, PaymentPurpose.BALANCE]))
    assert start.status_code == 302
    balance = Payment.objects.get(purpose=PaymentPurpose.BALANCE)
    assert balance.amount == registration.balance
    pay_at_bank(client, balance)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SETTLED
    assert registration.case.status == "settled"
    assert PaymentEvent.objects.filter(payment=balance, kind="credited").count() == 1


def test_sandbox_status_endpoint_answers_signed_json(client, consumer_client, registration):
    consumer_client(registration.registration_number)  # the owner's session
    payment = fee_payment(registration)
    url = reverse("payments:sandbox_status", args=[payment.order_id])
    unknown = client.get(url)
    assert unknown.json()["status"] == "unknown"
    txn = bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    reply = client.get(url)
    assert reply.json()["bank_reference"] == txn.bank_reference
    from payments.gateways import PaymentGateway

    assert PaymentGateway.signature_ok(reply.content, reply["X-Sandbox-Signature"])


def test_return_page_of_an_order_the_bank_never_saw_ends_as_expired(
    client, consumer_client, registration
):
    consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    client.get(reverse("payments:checkout", args=[payment.order_id]))  # left at the bank
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=3))
    url = reverse("payments:return", args=[payment.order_id])
    assert status_marker(client.get(url)) == "confirming"

    from django.core.cache import cache

    cache.delete(f"payments:return-query:{payment.order_id}")  # the interval has passed
    poll = client.get(url, headers={"HX-Request": "true"})

    assert 'data-payment-status="expired"' in poll.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
