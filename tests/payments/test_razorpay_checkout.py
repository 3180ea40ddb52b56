"""The Razorpay adapter against a fake Razorpay on loopback: orders, checkout, return,
status query, refunds (the SDK speaks real HTTP to it)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways import GatewayError
from payments.gateways.razorpay import RazorpayGateway
from payments.models import Payment, PaymentPurpose, PaymentStatus, RazorpayOrder
from payments.tasks import reconcile_pending_payments
from tests.razorpay_fake import KEY_ID

pytestmark = pytest.mark.django_db


def fee_payment(registration) -> Payment:
    return services.payment_start(registration=registration,
                                  purpose=PaymentPurpose.REGISTRATION_FEE)


def status_marker(response) -> str:
    text = response.content.decode()
    for marker in ("success", "failed", "expired", "confirming"):
        if f'data-payment-status="{marker}"' in text:
            return marker
    raise AssertionError("no payment status on the page")


def checkout(client, payment):
    """Open the checkout page and return (response, {field: value}) of its form."""
    response = client.get(reverse("payments:checkout", args=[payment.order_id]))
    assert response.status_code == 200
    text = response.content.decode()
    fields = {html.unescape(name): html.unescape(value) for name, value in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', text)}
    return response, fields


def test_checkout_makes_an_order_and_posts_the_hosted_checkout(
        consumer_client, registration, fake_razorpay):
    client = consumer_client(registration.registration_number)
    payment = fee_payment(registration)

    response, fields = checkout(client, payment)

    order = fake_razorpay.order_for(payment.order_id)
    # Orders API: integer paise, our order id as receipt, notes.
    assert order["amount"] == 1234600 and order["currency"] == "INR"
    assert order["notes"] == {"order_id": payment.order_id, "purpose": "registration_fee",
                              "registration_number": registration.registration_number}
    stored = RazorpayOrder.objects.get(payment=payment)
    assert stored.razorpay_order_id == order["id"] and stored.amount == Decimal("12346.00")
    text = response.content.decode()
    assert f'action="{fake_razorpay.base}/v1/checkout/embedded"' in text
    assert fields["key_id"] == KEY_ID and fields["order_id"] == order["id"]
    assert fields["amount"] == "1234600"
    assert fields["callback_url"].endswith(
        reverse("payments:razorpay_callback", args=[payment.order_id]))
    assert fields["cancel_url"].endswith(reverse("payments:return", args=[payment.order_id]))
    assert fields["prefill[contact]"] == f"+91{registration.mobile}"
    # No script from elsewhere, no CSRF token sent to the bank; CSP lets this form out.
    form = re.search(r'<form id="gateway-form".*?</form>', text, re.S).group(0)
    assert "csrfmiddlewaretoken" not in form
    assert re.findall(r'<script src="([^"]+)"', text) and all(
        src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', text))
    assert "<script>" not in text
    assert f"form-action 'self' {fake_razorpay.base}" in response["Content-Security-Policy"]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    # Back to checkout (second tab, back button): the same Razorpay order.
    checkout(client, payment)
    assert len(fake_razorpay.orders) == 1


def test_razorpay_unreachable_at_checkout_says_so_and_charges_nothing(
        consumer_client, registration, fake_razorpay, settings):
    settings.RAZORPAY_KEY_SECRET = "wrong-secret"  # Basic auth refused (401)
    client = consumer_client(registration.registration_number)
    client.cookies["django_language"] = "en"
    payment = fee_payment(registration)
    response = client.get(reverse("payments:checkout", args=[payment.order_id]), follow=True)
    assert response.status_code == 200
    assert "The bank cannot be reached just now" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED
    assert not RazorpayOrder.objects.exists() and not fake_razorpay.orders


def test_return_with_good_signature_credits_after_asking_razorpay(
        client, consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    paid = fake_razorpay.new_payment(fields["order_id"])
    # Razorpay's page posts cross-site: no session, no CSRF token.
    response = client.post(reverse("payments:razorpay_callback", args=[payment.order_id]), {
        "razorpay_payment_id": paid["id"], "razorpay_order_id": fields["order_id"],
        "razorpay_signature": fake_razorpay.checkout_signature(fields["order_id"], paid["id"]),
    })
    assert response.status_code == 303
    assert response["Location"] == reverse("payments:return", args=[payment.order_id])
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.gateway_reference == paid["id"]
    assert payment.paid_at == dt.datetime.fromtimestamp(paid["created_at"], tz=dt.UTC)
    assert registration.status == RegistrationStatus.FEE_PAID
    assert ("GET", f"/v1/payments/{paid['id']}") in fake_razorpay.calls
    assert status_marker(client.get(response["Location"])) == "success"


@pytest.mark.parametrize("tamper", ["signature", "unicode", "payment", "order", "missing",
                                    "error"])
def test_return_with_bad_signature_changes_nothing_and_shows_confirming(
        client, consumer_client, registration, fake_razorpay, tamper):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    paid = fake_razorpay.new_payment(fields["order_id"])
    other = fake_razorpay.new_payment(fields["order_id"], status="failed")
    good = fake_razorpay.checkout_signature(fields["order_id"], paid["id"])
    posted = {"razorpay_payment_id": paid["id"], "razorpay_order_id": fields["order_id"],
              "razorpay_signature": good}
    if tamper == "signature":
        posted["razorpay_signature"] = "0" * 64
    elif tamper == "unicode":
        posted["razorpay_signature"] = "ऊ" * 64
    elif tamper == "payment":
        posted["razorpay_payment_id"] = other["id"]  # a signature of another payment
    elif tamper == "order":
        posted["razorpay_order_id"] = "order_SOMEONEELSE01"
    elif tamper == "missing":
        del posted["razorpay_signature"]
    else:  # Razorpay's failure post: error fields, no signature
        posted = {"error[code]": "BAD_REQUEST_ERROR", "error[description]": "Payment failed",
                  "error[metadata]": json.dumps({"payment_id": other["id"]})}
    calls = len(fake_razorpay.calls)

    response = client.post(reverse("payments:razorpay_callback", args=[payment.order_id]),
                           posted)

    assert response.status_code == 303
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert fake_razorpay.calls[calls:] == []  # nothing fetched on an untrusted word
    event = payment.events.get(kind="return_refused")
    assert "razorpay_signature" not in event.payload["posted"]
    assert status_marker(client.get(response["Location"])) == "confirming"
    # The status query still finds the captured payment: money is never lost.
    assert services.payment_reconcile(payment_id=payment.pk) == "credited"


def test_return_for_an_unknown_order_is_404_and_garbage_is_never_500(client, fake_razorpay):
    url = reverse("payments:razorpay_callback", args=["OTS000000NOPE"])
    assert client.post(url, {"razorpay_payment_id": "x"}).status_code == 404
    assert client.get(url).status_code == 405


def test_return_while_razorpay_is_down_shows_confirming(
        client, consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    paid = fake_razorpay.new_payment(fields["order_id"])
    fake_razorpay.down = True
    response = client.post(reverse("payments:razorpay_callback", args=[payment.order_id]), {
        "razorpay_payment_id": paid["id"], "razorpay_order_id": fields["order_id"],
        "razorpay_signature": fake_razorpay.checkout_signature(fields["order_id"], paid["id"]),
    })
    assert response.status_code == 303
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    with pytest.raises(GatewayError):
        services.payment_reconcile(payment_id=payment.pk)
    fake_razorpay.down = False
    assert services.payment_reconcile(payment_id=payment.pk) == "credited"


def test_status_query_maps_order_payments(consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    gateway = RazorpayGateway()
    # Never sent to Razorpay: no order there, nothing to ask.
    assert gateway.query_status(order_id=payment.order_id).status == "unknown"
    assert fake_razorpay.calls == []
    _, fields = checkout(browser, payment)
    rzp = fields["order_id"]
    assert gateway.query_status(order_id=payment.order_id).status == "unknown"

    failed = fake_razorpay.new_payment(rzp, status="failed")
    notice = gateway.query_status(order_id=payment.order_id)
    assert (notice.status, notice.reference) == ("failed", failed["id"])
    fake_razorpay.new_payment(rzp, status="authorized")
    assert gateway.query_status(order_id=payment.order_id).status == "pending"
    captured = fake_razorpay.new_payment(rzp)
    notice = gateway.query_status(order_id=payment.order_id)
    assert (notice.status, notice.reference, notice.amount) == (
        "success", captured["id"], Decimal("12346.00"))
    assert ("GET", f"/v1/orders/{rzp}/payments") in fake_razorpay.calls


def test_never_arriving_webhook_is_settled_by_the_reconciliation_task(
        consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    fake_razorpay.new_payment(fields["order_id"])  # paid; no return, no webhook, ever
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16))

    counts = reconcile_pending_payments()

    assert counts["credited"] == 1
    payment.refresh_from_db()
    registration.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCESS
    assert registration.status == RegistrationStatus.FEE_PAID
    assert payment.events.filter(kind="reconcile").exists()


def test_abandoned_order_expires_by_status_query(consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    checkout(browser, payment)
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=3))
    assert services.payment_reconcile(payment_id=payment.pk) == "expired"


def test_refund_through_the_refunds_api(consumer_client, registration, fake_razorpay):
    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    paid = fake_razorpay.new_payment(fields["order_id"])
    assert services.payment_reconcile(payment_id=payment.pk) == "credited"
    payment.refresh_from_db()
    gateway = RazorpayGateway()

    refund = gateway.refund(payment=payment, amount=Decimal("100.50"),
                            notes={"reason": "paid twice"}, idempotency_key="held-money-0001")

    assert refund.status == "processed" and refund.reference == paid["id"]
    assert refund.amount == Decimal("100.50")
    sent = fake_razorpay.refunds[refund.refund_id]
    assert sent["amount"] == 10050 and sent["notes"] == {"reason": "paid twice"}
    assert sent["receipt"] == payment.order_id
    # A retry with the same key refunds once.
    again = gateway.refund(payment=payment, amount=Decimal("100.50"),
                           idempotency_key="held-money-0001")
    assert again.refund_id == refund.refund_id and len(fake_razorpay.refunds) == 1
    with pytest.raises(GatewayError):
        gateway.refund(payment=payment, amount=Decimal("20000.00"))


@pytest.mark.parametrize("lang, button", [
    ("hi", "भुगतान के लिए बैंक के पृष्ठ पर आगे बढ़ें"),
    ("en", "Continue to the bank to pay"),
])
def test_checkout_page_in_both_languages(consumer_client, registration, fake_razorpay,
                                         lang, button):
    client = consumer_client(registration.registration_number)
    client.cookies["django_language"] = lang
    response, _ = checkout(client, fee_payment(registration))
    text = response.content.decode()
    assert f'lang="{lang}"' in text and button in text


def test_system_check_wants_keys_and_a_separate_webhook_secret(settings, fake_razorpay):
    from payments.checks import razorpay_settings

    settings.DEBUG = False
    assert [e.id for e in razorpay_settings()] == ["payments.E103"]  # the fake is http://
    settings.RAZORPAY_API_BASE = "https://api.razorpay.com"
    assert razorpay_settings() == []
    settings.RAZORPAY_WEBHOOK_SECRET = settings.RAZORPAY_KEY_SECRET
    assert [e.id for e in razorpay_settings()] == ["payments.E102"]
    settings.RAZORPAY_KEY_ID, settings.RAZORPAY_WEBHOOK_SECRET = "", "change-me"
    assert [e.id for e in razorpay_settings()] == ["payments.E101", "payments.E101"]
    settings.PAYMENT_GATEWAY = "payments.gateways.sandbox.SandboxGateway"
    assert razorpay_settings() == []


def test_staff_refund_of_held_money_goes_through_the_refunds_api(
        consumer_client, registration, fake_razorpay, users, as_user):
    from ots_scheme import lifecycle
    from payments.models import LedgerEntry, LedgerKind

    browser = consumer_client(registration.registration_number)
    payment = fee_payment(registration)
    _, fields = checkout(browser, payment)
    lifecycle.registration_reject(registration=registration, officer=users["sdo_aminabad"],
                                  reason="Not the owner")
    # The person paid anyway: the money is credited and held for staff.
    fake_razorpay.new_payment(fields["order_id"])
    assert services.payment_reconcile(payment_id=payment.pk) == "credited"
    registration.refresh_from_db()
    assert registration.held_reason == "not_live" and registration.credited == payment.amount

    url = reverse("payments:held_money", args=[registration.registration_number])
    sdo = as_user("sdo_aminabad")
    missing = sdo.post(url, {"action": "refund", "payment": str(payment.pk),
                             "amount": "12,346.00", "reference": ""})
    assert missing.status_code == 400 and not LedgerEntry.objects.filter(
        kind=LedgerKind.REFUND).exists()
    done = sdo.post(url, {"action": "refund", "payment": str(payment.pk),
                          "amount": "12,346.00", "through_bank": "on", "note": "rejected"})
    assert done.status_code == 302
    entry = LedgerEntry.objects.get(kind=LedgerKind.REFUND)
    sent = fake_razorpay.refunds[entry.reference]
    assert sent["amount"] == 1234600 and entry.recorded_by == users["sdo_aminabad"]
    registration.refresh_from_db()
    assert registration.credited == Decimal("0.00") and registration.held_reason == ""
