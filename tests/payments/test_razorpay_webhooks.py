"""Razorpay webhooks at /payments/webhooks/razorpay/: signed raw bodies, repeats,
out-of-order events, refunds (fake Razorpay on loopback)."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.models import Payment, PaymentPurpose, PaymentStatus
from tests.razorpay_fake import WEBHOOK_SECRET, hmac_hex

WEBHOOK = "/payments/webhooks/razorpay/"


def post(client, body: bytes, headers: dict):
    return client.post(WEBHOOK, data=body, content_type="application/json", headers=headers)


@pytest.fixture
def sent_to_razorpay(consumer_client, fake_razorpay):
    """Start a fee payment and take it through checkout; return (payment, razorpay order id)."""

    def send(registration):
        browser = consumer_client(registration.registration_number)
        payment = services.payment_start(registration=registration,
                                         purpose=PaymentPurpose.REGISTRATION_FEE)
        assert browser.get(reverse("payments:checkout", args=[payment.order_id])
                           ).status_code == 200
        return payment, fake_razorpay.order_for(payment.order_id)["id"]

    return send


pytestmark = pytest.mark.django_db


def test_url_is_the_designed_one():
    assert reverse("payments:razorpay_webhook") == WEBHOOK


def test_payment_captured_credits(client, registration, fake_razorpay, sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    paid = fake_razorpay.new_payment(rzp)
    response = post(client, *fake_razorpay.webhook("payment.captured", paid))
    assert (response.status_code, response.content) == (200, b"credited")
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS and payment.gateway_reference == paid["id"]
    assert registration.status == RegistrationStatus.FEE_PAID
    event = payment.events.get(kind="callback")
    assert event.payload["amount"] == "12346.00"


def test_wrong_signature_is_refused(client, registration, fake_razorpay, sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    body, headers = fake_razorpay.webhook("payment.captured", fake_razorpay.new_payment(rzp))
    for forged in ({**headers, "X-Razorpay-Signature": "0" * 64},
                   {**headers, "X-Razorpay-Signature": hmac_hex("key-secret-not-webhook",
                                                                body)},
                   {**headers, "X-Razorpay-Signature": "é" * 64},
                   {**headers, "X-Razorpay-Signature": headers["X-Razorpay-Signature"].upper()},
                   {"X-Razorpay-Event-Id": "evt_1"}):
        response = post(client, body, forged)
        assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_re_serialised_body_is_refused(client, registration, fake_razorpay, sent_to_razorpay):
    """Same JSON, other bytes: the signature is over the raw body only."""
    payment, rzp = sent_to_razorpay(registration)
    body, headers = fake_razorpay.webhook("payment.captured", fake_razorpay.new_payment(rzp))
    same = json.loads(body)
    for other in (json.dumps(same, indent=2).encode(),
                  json.dumps(same, separators=(",", ":")).encode(),
                  json.dumps(same, sort_keys=True).encode()):
        assert other != body and json.loads(other) == same
        assert post(client, other, headers).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert post(client, body, headers).status_code == 200  # the bytes as signed


def test_smaller_amount_is_refused_not_credited(client, registration, fake_razorpay,
                                                sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    short = fake_razorpay.new_payment(rzp, amount=1234500)  # ₹1 less
    response = post(client, *fake_razorpay.webhook("payment.captured", short))
    assert (response.status_code, response.content) == (409, b"amount_mismatch")
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert registration.status == RegistrationStatus.SUBMITTED
    event = payment.events.get(kind="callback_amount_mismatch")
    assert event.payload["amount"] == "12345.00"


@pytest.mark.parametrize("first, second", [
    ("payment.captured", "order.paid"),
    ("order.paid", "payment.captured"),
])
def test_captured_and_order_paid_in_either_order_credit_once(
        client, registration, fake_razorpay, sent_to_razorpay, first, second):
    payment, rzp = sent_to_razorpay(registration)
    paid = fake_razorpay.new_payment(rzp)
    assert post(client, *fake_razorpay.webhook(first, paid)).content == b"credited"
    assert post(client, *fake_razorpay.webhook(second, paid)).content == b"duplicate"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.events.filter(kind="credited").count() == 1


def test_failed_then_captured_for_the_same_payment_credits(client, registration,
                                                           fake_razorpay, sent_to_razorpay):
    """Razorpay documents payment.failed followed by payment.captured (late authorisation)."""
    payment, rzp = sent_to_razorpay(registration)
    attempt = fake_razorpay.new_payment(rzp, status="failed")
    assert post(client, *fake_razorpay.webhook("payment.failed", attempt)).content == b"failed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    fake_razorpay.capture(attempt)
    assert post(client, *fake_razorpay.webhook("payment.captured", attempt)
                ).content == b"credited"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS


def test_stale_events_after_success_change_nothing(client, registration, fake_razorpay,
                                                   sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    paid = fake_razorpay.new_payment(rzp)
    authorized = {**paid, "status": "authorized", "captured": False}
    failed = fake_razorpay.fail(fake_razorpay.new_payment(rzp, status="created"))
    assert post(client, *fake_razorpay.webhook("order.paid", paid)).content == b"credited"
    for event, entity in (("payment.authorized", authorized), ("payment.failed", failed)):
        response = post(client, *fake_razorpay.webhook(event, entity))
        assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway_reference == paid["id"]
    # Every notice is kept, none lost.
    assert payment.events.filter(kind="callback").count() == 3


def test_repeated_webhook_ten_times_credits_once(client, registration, fake_razorpay,
                                                 sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    body, headers = fake_razorpay.webhook("payment.captured", fake_razorpay.new_payment(rzp))
    outcomes = [post(client, body, headers).content for _ in range(10)]
    assert outcomes == [b"credited"] + [b"duplicate"] * 9
    assert payment.events.filter(kind="credited").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_duplicated_ten_times_concurrently_credits_once(registration, fake_razorpay,
                                                        sent_to_razorpay):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (runs in the PostgreSQL CI run)")
    payment, rzp = sent_to_razorpay(registration)
    body, headers = fake_razorpay.webhook("payment.captured", fake_razorpay.new_payment(rzp))
    barrier = threading.Barrier(10)
    outcomes: list[bytes] = []

    def deliver():
        try:
            client = Client()
            barrier.wait()
            outcomes.append(post(client, body, headers).content)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == [b"credited"] + [b"duplicate"] * 9
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert registration.status == RegistrationStatus.FEE_PAID
    assert payment.events.filter(kind="credited").count() == 1


def test_refund_events_are_kept_on_the_payment(client, registration, fake_razorpay,
                                               sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    paid = fake_razorpay.new_payment(rzp)
    post(client, *fake_razorpay.webhook("payment.captured", paid))
    payment.refresh_from_db()
    from payments.gateways.razorpay import RazorpayGateway

    refund = RazorpayGateway().refund(payment=payment, amount=payment.amount)
    entity = fake_razorpay.refunds[refund.refund_id]

    body, headers = fake_razorpay.webhook("refund.processed", paid, refund=entity)
    assert post(client, body, headers).content == b"recorded"
    assert post(client, body, headers).content == b"duplicate"
    failed = {**entity, "status": "failed"}
    assert post(client, *fake_razorpay.webhook("refund.failed", paid, refund=failed)
                ).content == b"recorded"
    payment.refresh_from_db()
    # The money arrived; a refund moves no status, it is an event of its own.
    assert payment.status == PaymentStatus.SUCCESS
    processed = payment.events.filter(kind="refund_processed")
    assert processed.count() == 2 and processed.first().payload["amount"] == "12346.00"
    assert payment.events.filter(kind="refund_failed").count() == 1
    # A forged refund event is refused; one for a payment we never saw is 404.
    assert post(client, body, {"X-Razorpay-Signature": "0" * 64}).status_code == 400
    stranger = {**entity, "payment_id": "pay_NOTOURS0000001"}
    assert post(client, *fake_razorpay.webhook("refund.processed", refund=stranger)
                ).status_code == 404


def test_unknown_order_and_unhandled_events(client, registration, fake_razorpay,
                                            sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    paid = fake_razorpay.new_payment(rzp)
    elsewhere = {**paid, "order_id": "order_MADEELSEWHERE1"}
    assert post(client, *fake_razorpay.webhook("payment.captured", elsewhere)
                ).status_code == 404
    # A genuine event of another kind: 2xx, or Razorpay retries and disables the hook.
    response = post(client, *fake_razorpay.webhook("payment.dispute.created", paid))
    assert (response.status_code, response.content) == (200, b"ignored")
    kept = payment.events.get(kind="webhook_not_acted_on")  # staff see the dispute
    assert kept.payload["event"] == "payment.dispute.created"
    assert kept.payload["payment"]["id"] == paid["id"]
    response = post(client, *fake_razorpay.webhook("payment.dispute.created", elsewhere))
    assert response.status_code == 200
    body, _ = fake_razorpay.webhook("payment.dispute.created", paid)
    assert post(client, body, {"X-Razorpay-Signature": "1" * 64}).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[]", b'{"event": "payment.captured"}',
    b'{"event": "payment.captured", "payload": {"payment": {"entity": []}}}',
    b'{"event": "payment.captured", "payload": {"payment": {"entity": {"id": "pay_X", '
    b'"amount": 1e30, "currency": "INR", "order_id": "order_X"}}}}',
    b'{"event": "refund.processed", "payload": {"refund": {"entity": {"id": "\\u0000"}}}}',
    "{\"event\": \"payment.captured\", \"x\": \"\x00 ऊ\"}".encode(),
])
def test_signed_garbage_is_refused_never_500(client, fake_razorpay, body):
    headers = {"X-Razorpay-Signature": hmac_hex(WEBHOOK_SECRET, body)}
    response = post(client, body, headers)
    assert response.status_code == 400


def test_not_configured_is_404_and_get_is_405(client, settings, fake_razorpay):
    assert client.get(WEBHOOK).status_code == 405
    settings.RAZORPAY_KEY_SECRET = ""
    assert client.post(WEBHOOK, data=b"{}", content_type="application/json").status_code == 404


def test_webhook_is_csrf_exempt(registration, fake_razorpay, sent_to_razorpay):
    payment, rzp = sent_to_razorpay(registration)
    strict = Client(enforce_csrf_checks=True)
    body, headers = fake_razorpay.webhook("payment.captured", fake_razorpay.new_payment(rzp))
    assert post(strict, body, headers).status_code == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SUCCESS
