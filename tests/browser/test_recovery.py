"""Two ways on without the office, on a phone in Hindi (issue 16): a change of
the mobile on record, decided by the SDO; a registration found by case number."""

import re

import pytest

from consumers.models import MobileChangeRequest, MobileChangeStatus
from messaging.models import SmsMessage
from tests.consumers.conftest import PDF
from tests.factories import ConsumerFactory, RegistrationFactory, TheftCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def latest_otp(mobile):
    return SmsMessage.objects.filter(mobile=mobile, template="ots_otp").order_by(
        "-pk").first().variables["code"]


def test_change_of_mobile_on_a_phone_in_hindi(page, live_server, org_tree, schemes, users,
                                              browser):
    case = TheftCaseFactory(case_number="LKO/AMN/2023/0456",
                            consumer=ConsumerFactory(mobile="9812345678", name="राम कुमार"))
    page.goto(f"{live_server.url}/ots/lookup/?case_number={case.case_number}")
    assert page.locator("html").get_attribute("lang") == "hi"
    page.locator(".mobile-change-link").click()
    page.wait_for_url(re.compile(r"/ots/mobile-change/"))
    assert page.input_value("input[name=case_number]") == case.case_number
    # Typed as the phone shows it: nothing is cut, the number is normalised.
    page.fill("input[name=new_mobile]", "+91 91234 56789")
    assert page.input_value("input[name=new_mobile]") == "+91 91234 56789"
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/mobile-change/verify/"))
    assert "6789" in page.content() and "9123456789" not in page.content()
    page.fill("input[name=code]", latest_otp("9123456789"))
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/mobile-change/proof/"))
    page.select_option("select[name=id_proof_type]", "voter_id")
    page.fill("input[name=id_proof_last4]", "4321")
    page.set_input_files("input[name=document]", files=[
        {"name": "voter.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#send-mobile-change")
    page.wait_for_url(re.compile(r"/ots/mobile-change/done/"))
    done = page.inner_text("main")
    assert "उपखण्ड कार्यालय" in done and "0522-2126087" in done  # the office, to hurry it
    assert "राम कुमार" not in done  # still masked
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone

    # The SDO decides in the staff area (a desktop browser of their own).
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="hi-IN")
    desk = staff.new_page()
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("input[name=username]", "sdo_aminabad")
    desk.fill("input[name=password]", "redportal-demo")
    desk.locator("main form button").click()
    desk.goto(f"{live_server.url}/staff/mobile-changes/")
    desk.locator(f"main a:has-text('{case.case_number}')").click()
    desk.click("#approve-mobile-change")
    desk.wait_for_selector("#mobile-change-status[data-status=approved]")
    staff.close()

    case.consumer.refresh_from_db()
    assert case.consumer.mobile == "9123456789"
    assert MobileChangeRequest.objects.get().status == MobileChangeStatus.APPROVED
    assert SmsMessage.objects.filter(mobile="9123456789",
                                     template="ots_mobile_change_approved").exists()
    # The new mobile now gets the OTP of the usual journey.
    page.goto(f"{live_server.url}/ots/lookup/?case_number={case.case_number}")
    assert "6789" in page.inner_text(".case-result")


def test_find_registration_by_case_number_on_a_phone_in_hindi(page, live_server, org_tree,
                                                             schemes):
    registration = RegistrationFactory(case__case_number="LKO/AMN/2023/0789 A",
                                       mobile="9812345670")
    page.goto(f"{live_server.url}/ots/status/")
    page.click("#recover-link")
    page.wait_for_url(re.compile(r"/ots/status/case/"))
    page.fill("input[name=case_number]", "lko/amn/2023/0789 a")
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/status/case/verify/"))
    assert "मामला संख्या" in page.inner_text("main") or "ओटीपी" in page.inner_text("main")
    page.fill("input[name=code]", latest_otp("9812345670"))
    page.locator("main form button.btn-danger").click()
    page.wait_for_url(re.compile(r"/ots/registration/"))
    assert page.inner_text("#registration-number") == registration.registration_number
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
