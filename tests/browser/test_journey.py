"""The whole consumer journey on a phone, in Hindi (issue 5's browser test).

lookup → OTP (read from the SMS outbox) → register → sandbox payment →
acknowledgement PDF → balance paid → settlement certificate PDF.
"""

import io
import re

import pytest
from pypdf import PdfReader

from messaging.models import SmsMessage
from ots_scheme.models import Registration, RegistrationStatus
from tests.browser_axe import check_page
from tests.consumers.conftest import PDF
from tests.factories import ConsumerFactory, TheftCaseFactory
from tests.pdfs import pdf_text_and_qr
from theft_cases.models import CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def latest_otp(mobile):
    return SmsMessage.objects.filter(mobile=mobile, template="ots_otp").order_by(
        "-pk").first().variables["code"]


def pay_in_sandbox(page):
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/payments/sandbox/"))
    check_page(page)
    page.click("button[value=success]")
    page.wait_for_url(re.compile(r"/payments/return/|/ots/registration/"))
    check_page(page)
    if "/ots/registration/" not in page.url:
        page.locator("main a[href*='/ots/registration/']").first.click()
        page.wait_for_url(re.compile(r"/ots/registration/"))
        check_page(page)


def pdf_text(page, selector):
    href = page.get_attribute(selector, "href")
    response = page.request.get(page.url.split("/ots/")[0] + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_notice_to_certificate_on_a_phone_in_hindi(page, live_server, org_tree, schemes):
    case = TheftCaseFactory(case_number="LKO/AMN/2023/0123", fir_number="FIR 77/2023",
                            police_station="नाका हिंडोला",
                            consumer=ConsumerFactory(mobile="9812345678", name="मोहन लाल वर्मा"))
    page.goto(f"{live_server.url}/ots/lookup/")
    assert page.locator("html").get_attribute("lang") == "hi"
    check_page(page)
    page.click(".navbar-toggler")  # the phone menu, open
    page.wait_for_selector("#mainnav.show")
    check_page(page)
    page.fill("input[name=case_number]", case.case_number)
    page.locator("main form[method=get] button").click()
    assert page.locator(".case-result").count() == 1
    check_page(page)
    page.locator("main form[action='/ots/otp/start/'] button").click()

    page.wait_for_url(re.compile(r"/ots/otp/verify/"))
    check_page(page)
    page.fill("input[name=code]", latest_otp("9812345678"))
    page.locator("main form button.btn-danger").first.click()

    page.wait_for_url(re.compile(r"/ots/register/case/"))
    check_page(page)
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/details/"))
    check_page(page)
    page.fill("input[name=father_or_husband_name]", "श्याम लाल")
    page.select_option("select[name=id_proof_type]", "aadhaar")
    page.fill("input[name=id_proof_last4]", "4321")
    page.set_input_files("input[name=id_document]", files=[
        {"name": "aadhaar.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/declaration/"))
    check_page(page)
    page.check("input[name=accept]")
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/register/confirm/"))
    check_page(page)
    assert "₹12,346.00" in page.content()
    page.click("#submit-registration")

    page.wait_for_url(re.compile(r"/ots/registration/"))
    check_page(page)
    registration = Registration.objects.get(case=case)
    number = registration.registration_number
    assert page.inner_text("#registration-number") == number

    pay_in_sandbox(page)
    assert page.get_attribute("#registration-status", "data-status") == "fee_paid"
    text = pdf_text(page, "#acknowledgement-link")
    assert number in text and case.case_number in text

    pay_in_sandbox(page)
    assert page.get_attribute("#registration-status", "data-status") == "settled"
    text = pdf_text(page, "#certificate-link")
    assert number in text
    href = page.get_attribute("#certificate-link", "href")
    pdf = page.request.get(page.url.split("/ots/")[0] + href).body()
    text, verify_url = pdf_text_and_qr(pdf)
    assert "मोहन लाल वर्मा" in text and "FIR 77/2023" in text and "नाका हिंडोला" in text
    # The QR code: anyone may check the certificate, without the session.
    assert "/verify/" in verify_url
    checker = page.context.browser.new_context(**{
        "viewport": {"width": 390, "height": 844}, "locale": "hi-IN", "is_mobile": True})
    public = checker.new_page()
    public.goto(verify_url.replace("http://testserver", live_server.url))
    assert public.get_attribute("#verify-result", "data-genuine") == "yes"
    assert "म. ल. व." in public.inner_text("main")
    check_page(public)
    checker.close()

    registration.refresh_from_db()
    case.refresh_from_db()
    assert registration.status == RegistrationStatus.SETTLED
    assert case.status == CaseStatus.SETTLED
    assert registration.payments.filter(status="success").count() == 2
