"""The whole consumer journey with PAYMENT_GATEWAY set to the Razorpay adapter.

lookup → OTP → register → the portal's form posts to (fake) Razorpay's hosted
checkout → "Pay" → Razorpay posts back to the callback URL → signed webhook →
acknowledgement → balance (captured only by the webhook) → certificate.
The fake Razorpay is a real HTTP server on loopback (tests/razorpay_fake.py).
"""

import re

import pytest
import requests

from ots_scheme.models import Registration, RegistrationStatus
from payments.models import PaymentStatus
from tests.browser.test_journey import latest_otp, pdf_text
from tests.consumers.conftest import PDF
from tests.factories import ConsumerFactory, TheftCaseFactory
from theft_cases.models import CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def register(page, live_server, case, mobile, otp_for=latest_otp):
    page.goto(f"{live_server.url}/ots/lookup/")
    page.fill("input[name=case_number]", case.case_number)
    page.locator("main form[method=get] button").click()
    page.locator("main form[action='/ots/otp/start/'] button").click()
    page.wait_for_url(re.compile(r"/ots/otp/verify/"))
    page.fill("input[name=code]", otp_for(mobile))
    page.locator("main form button.btn-danger").first.click()
    page.wait_for_url(re.compile(r"/ots/register/case/"))
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/details/"))
    page.fill("input[name=father_or_husband_name]", "श्याम लाल")
    page.select_option("select[name=id_proof_type]", "aadhaar")
    page.fill("input[name=id_proof_last4]", "4321")
    page.set_input_files("input[name=id_document]", files=[
        {"name": "aadhaar.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/declaration/"))
    page.check("input[name=accept]")
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/confirm/"))
    page.click("#submit-registration")
    page.wait_for_url(re.compile(r"/ots/registration/"))


def pay_at_razorpay(page, fake, expected_paise: int):
    """From the registration page to Razorpay's page (by the auto-submitting form), pay."""
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/v1/checkout/embedded"))
    assert page.inner_text("#amount") == str(expected_paise)
    assert fake.last_checkout["callback_url"].endswith("/")
    page.click("#rzp-pay")
    # Razorpay posts back to callback_url; the portal answers with its return page.
    page.wait_for_url(re.compile(r"/payments/return/|/ots/registration/"))


def fire_webhook(live_server, fake, event, payment):
    body, headers = fake.webhook(event, payment)
    response = requests.post(f"{live_server.url}/payments/webhooks/razorpay/", data=body,
                             headers={**headers, "Content-Type": "application/json"},
                             timeout=30)
    return response.status_code, response.text


def back_to_registration(page):
    if "/ots/registration/" not in page.url:
        page.locator("main a[href*='/ots/registration/']").first.click()
        page.wait_for_url(re.compile(r"/ots/registration/"))


def test_journey_paid_through_razorpay(page, live_server, org_tree, schemes, msg91,
                                       fake_razorpay, settings):
    # OTPs and every later SMS go through the MSG91 adapter to a fake MSG91,
    # each with its DLT template id.
    from messaging.registry import load

    settings.SMS_DLT_TEMPLATE_IDS = {
        **{t.name: f"11070000000{n:08d}" for n, t in enumerate(load(), 100)},
        **settings.SMS_DLT_TEMPLATE_IDS,
    }
    fake = fake_razorpay
    case = TheftCaseFactory(case_number="LKO/AMN/2023/0456",
                            consumer=ConsumerFactory(mobile="9812345679"))
    def otp_at_provider(mobile):
        # The OTP as the person's phone got it: from the text MSG91 was given.
        sent = [r["json"] for r in msg91.requests if r["json"]["sms"][0]["to"] == [f"91{mobile}"]]
        return re.search(r"\b(\d{6})\b", sent[-1]["sms"][0]["message"]).group(1)

    register(page, live_server, case, "9812345679", otp_for=otp_at_provider)
    otp_sms = msg91.requests[0]["json"]
    assert otp_sms["DLT_TE_ID"] == "1107000000000000001"  # ots_otp.hi
    assert otp_sms["sms"][0]["to"] == ["919812345679"]
    registration = Registration.objects.get(case=case)
    number = registration.registration_number

    # Registration fee: captured at once; the return (signature verified, payment
    # fetched) credits it, the webhook that follows is a duplicate.
    pay_at_razorpay(page, fake, 1234600)
    assert fake.last_checkout["prefill[contact]"] == "+919812345679"
    fee_payment = registration.payments.get(purpose="registration_fee")
    rzp_payment = next(p for p in fake.payments.values()
                       if p["order_id"] == fee_payment.razorpay_order.razorpay_order_id)
    assert fire_webhook(live_server, fake, "payment.captured", rzp_payment) == (
        200, "duplicate")
    assert fire_webhook(live_server, fake, "order.paid", rzp_payment) == (200, "duplicate")
    back_to_registration(page)
    assert page.get_attribute("#registration-status", "data-status") == "fee_paid"
    text = pdf_text(page, "#acknowledgement-link")
    assert number in text and case.case_number in text

    # Balance: authorised at Razorpay but not yet captured when the browser
    # returns — the page waits ("confirming") until the webhook says captured.
    fake.capture_on_pay = False
    pay_at_razorpay(page, fake, 5338200)
    assert "/payments/return/" in page.url
    assert page.locator("[data-payment-status=confirming]").count() == 1
    balance = registration.payments.get(purpose="balance")
    assert balance.status == PaymentStatus.PENDING
    rzp_payment = next(p for p in fake.payments.values()
                       if p["order_id"] == balance.razorpay_order.razorpay_order_id
                       and p["status"] == "authorized")
    fake.capture(rzp_payment)
    assert fire_webhook(live_server, fake, "payment.captured", rzp_payment) == (
        200, "credited")
    page.wait_for_url(re.compile(r"/ots/registration/"), timeout=20_000)
    assert page.get_attribute("#registration-status", "data-status") == "settled"
    text = pdf_text(page, "#certificate-link")
    assert number in text

    registration.refresh_from_db()
    case.refresh_from_db()
    assert registration.status == RegistrationStatus.SETTLED
    assert case.status == CaseStatus.SETTLED
    assert sorted(registration.payments.values_list("gateway", "status")) == [
        ("razorpay", "success"), ("razorpay", "success")]
    assert {p.gateway_reference for p in registration.payments.all()} <= set(fake.payments)
    # Registration made, fee paid and settled SMS went through the adapter too.
    texts = [r["json"]["sms"][0]["message"] for r in msg91.requests]
    assert len(texts) >= 4 and any(number in t and "समाधान" in t for t in texts)
