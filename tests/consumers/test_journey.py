"""The consumer's journey through the public pages (client, real database)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from messaging.models import SmsMessage
from ots_scheme.models import Registration
from tests.consumers.conftest import EXE, PDF, PNG, otp_from_outbox
from tests.factories import ConsumerFactory, TheftCaseFactory

pytestmark = pytest.mark.django_db

DETAILS = {
    "applicant_name": "राम कुमार", "father_or_husband_name": "श्याम लाल",
    "address": "12, अमीनाबाद, लखनऊ", "email": "", "id_proof_type": "aadhaar",
    "id_proof_last4": "1234",
}


def start(client, case):
    return client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})


def verify(client, mobile):
    return client.post(reverse("consumers:otp_verify"), {"code": otp_from_outbox(mobile)})


def details(client, upload=PDF, name="aadhaar.pdf", **overrides):
    data = {**DETAILS, **overrides}
    if upload is not None:
        data["id_document"] = SimpleUploadedFile(name, upload)
    return client.post(reverse("consumers:register", args=["details"]), data)


def walk_to_registration(client, case):
    start(client, case)
    verify(client, case.consumer.mobile)
    client.post(reverse("consumers:register", args=["case"]))
    details(client)
    client.post(reverse("consumers:register", args=["declaration"]), {"accept": "on"})
    return client.post(reverse("consumers:register", args=["confirm"]))


def test_lookup_by_case_number_shows_masked_details_and_quote(client, org_tree, demo):
    TheftCaseFactory(case_number="LKO/AMN/2023 0123",
                     consumer=ConsumerFactory(name="Ram Kumar", mobile="9876543210",
                                                     account_number="123456789012"))
    page = client.get(reverse("consumers:lookup"), {"case_number": "lko/amn/2023 0123"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "R. K." in text and "Ram Kumar" not in text
    assert "3210" in text and "9876543210" not in text
    assert "123456789012" not in text
    assert "₹12,346.00" in text  # registration fee of today's quote


def test_lookup_by_account_number(client, org_tree, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(account_number="1234567890"))
    page = client.get(reverse("consumers:lookup"), {"account_number": "1234567890"})
    assert case.case_number in page.content.decode()


def test_lookup_not_found_points_to_the_offices_in_hindi_and_english(client, org_tree, demo):
    page = client.get(reverse("consumers:lookup"), {"case_number": "NOPE"})
    assert "उपखण्ड कार्यालय" in page.content.decode()
    assert reverse("consumers:offices") in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("consumers:lookup"), {"case_number": "NOPE"})
    assert "ask your sub-division office to feed your case" in page.content.decode()


def test_lookup_says_not_eligible_and_settled(client, org_tree, demo):
    client.cookies["django_language"] = "en"
    old = TheftCaseFactory(detection_date="2022-03-01")
    page = client.get(reverse("consumers:lookup"), {"case_number": old.case_number})
    assert 'data-code="not_eligible"' in page.content.decode()
    settled = TheftCaseFactory(status="settled")
    page = client.get(reverse("consumers:lookup"), {"case_number": settled.case_number})
    assert "already settled" in page.content.decode()


def test_whole_journey_to_registration_page(client, org_tree, demo):
    case = TheftCaseFactory()
    response = walk_to_registration(client, case)
    reg = Registration.objects.get(case=case)
    assert response.url == reverse("consumers:registration", args=[reg.registration_number])
    assert reg.mobile == case.consumer.mobile
    assert not reg.identity_check_required
    assert reg.id_document.name.endswith(".pdf")
    assert reg.id_proof_last4 == "1234"
    assert reg.registration_number in client.session["ots_registrations"]
    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("consumers:pay", args=[reg.registration_number, "registration_fee"]) in \
        page.content.decode()


def test_no_mobile_on_record_asks_one_and_marks_identity_check(client, org_tree, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    response = start(client, case)
    assert response.url == reverse("consumers:otp_mobile")
    client.post(reverse("consumers:otp_mobile"), {"mobile": "07000012345"})
    assert SmsMessage.objects.filter(mobile="7000012345", template="ots_otp").exists()
    verify(client, "7000012345")
    client.post(reverse("consumers:register", args=["case"]))
    details(client)
    client.post(reverse("consumers:register", args=["declaration"]), {"accept": "on"})
    client.post(reverse("consumers:register", args=["confirm"]))
    reg = Registration.objects.get(case=case)
    assert reg.mobile == "7000012345" and reg.identity_check_required


def test_wizard_needs_otp_first(client, org_tree, demo):
    case = TheftCaseFactory()
    start(client, case)
    response = client.get(reverse("consumers:register", args=["details"]))
    assert response.url == reverse("consumers:otp_verify")


def test_wrong_otp_refused_and_counted(client, org_tree, demo):
    client.cookies["django_language"] = "en"
    case = TheftCaseFactory()
    start(client, case)
    good = otp_from_outbox(case.consumer.mobile)
    bad = "000000" if good != "000000" else "111111"
    page = client.post(reverse("consumers:otp_verify"), {"code": bad})
    assert "Wrong OTP. 4 tries left." in page.content.decode()
    assert client.get(reverse("consumers:register", args=["case"])).status_code == 302


def test_renamed_executable_refused_and_values_kept(client, org_tree, demo):
    client.cookies["django_language"] = "en"
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    page = details(client, upload=EXE, name="aadhaar.pdf", applicant_name="Kept Name")
    text = page.content.decode()
    assert page.status_code == 200
    assert "not one of them" in text
    assert 'value="Kept Name"' in text


def test_too_large_upload_refused(client, org_tree, demo, settings):
    client.cookies["django_language"] = "en"
    settings.ID_DOCUMENT_MAX_BYTES = 100
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    page = details(client, upload=PNG + b"\x00" * 200, name="id.png")
    assert "too large" in page.content.decode()


def test_back_keeps_values_and_document(client, org_tree, demo):
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    details(client, applicant_name="Sita Devi")
    page = client.get(reverse("consumers:register", args=["details"]))
    text = page.content.decode()
    assert 'value="Sita Devi"' in text and 'id="document-kept"' in text
    # Going on without uploading again keeps the first document.
    response = details(client, upload=None, applicant_name="Sita Devi")
    assert response.status_code == 302


def test_declaration_required(client, org_tree, demo):
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    details(client)
    page = client.post(reverse("consumers:register", args=["declaration"]), {})
    assert page.status_code == 200
    assert client.get(reverse("consumers:register", args=["confirm"])).url.endswith(
        "/declaration/")


def test_second_registration_through_journey_refused(client, org_tree, demo):
    case = TheftCaseFactory()
    walk_to_registration(client, case)
    client.cookies["django_language"] = "en"
    from django.test import Client

    other = Client()
    other.cookies["django_language"] = "en"
    page = other.get(reverse("consumers:lookup"), {"case_number": case.case_number})
    assert 'data-code="already_registered"' in page.content.decode()
    response = other.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    assert response.status_code == 302
    assert Registration.objects.filter(case=case).count() == 1


def test_registration_page_needs_otp_in_session(client, org_tree, demo):
    case = TheftCaseFactory()
    walk_to_registration(client, case)
    reg = Registration.objects.get(case=case)
    from django.test import Client

    stranger = Client()
    response = stranger.get(reverse("consumers:registration", args=[reg.registration_number]))
    assert response.status_code == 302 and "/ots/status/" in response.url


def test_status_by_number_and_otp(client, org_tree, demo):
    case = TheftCaseFactory()
    walk_to_registration(client, case)
    reg = Registration.objects.get(case=case)
    from django.test import Client

    other = Client()
    other.post(reverse("consumers:status"),
               {"registration_number": reg.registration_number.lower(),
                "mobile": f"+91 {reg.mobile}"})
    code = otp_from_outbox(reg.mobile)
    response = other.post(reverse("consumers:status_verify"), {"code": code})
    assert response.url == reverse("consumers:registration", args=[reg.registration_number])
    page = other.get(response.url)
    assert reg.get_status_display() in page.content.decode()


def test_status_unknown_number(client, org_tree, demo):
    client.cookies["django_language"] = "en"
    page = client.post(reverse("consumers:status"), {"registration_number": "NOPE-1",
                                                     "mobile": "9876543210"})
    assert "No registration has this number" in page.content.decode()
    assert not SmsMessage.objects.exists()


def test_per_ip_limit_answers_429_in_users_language(client, org_tree, demo, settings):
    settings.OTS_LOOKUP_RATE_PER_IP = "2/m"
    client.cookies["django_language"] = "en"
    for _ in range(2):
        assert client.get(reverse("consumers:lookup"), {"case_number": "X"}).status_code == 200
    page = client.get(reverse("consumers:lookup"), {"case_number": "X"})
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()
    client.cookies["django_language"] = "hi"
    page = client.get(reverse("consumers:lookup"), {"case_number": "X"})
    assert page.status_code == 429 and 'lang="hi"' in page.content.decode()


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_pages_render_in_both_languages(client, org_tree, demo, lang):
    client.cookies["django_language"] = lang
    for name in ["consumers:lookup", "consumers:status"]:
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert f'lang="{lang}"' in page.content.decode()


@pytest.mark.parametrize("lang, fee_text", [
    ("en", "fee received for registration"),
    ("hi", "का शुल्क प्राप्त हुआ"),
])
def test_later_sms_go_in_the_language_the_person_registered_in(client, org_tree, demo, lang,
                                                               fee_text):
    from payments import services as payments
    from payments.gateways.sandbox import bank_decide, deliver_callback
    from payments.models import PaymentPurpose

    client.cookies["django_language"] = lang
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9876512345"))
    walk_to_registration(client, case)
    registration = Registration.objects.get(case=case)
    assert registration.language == lang
    # The fee is paid later, by the bank's callback: no page, no language of its own.
    payment = payments.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    bank_decide(order_id=payment.order_id, outcome="success", amount=payment.amount)
    with translation.override("hi" if lang == "en" else "en"):  # whatever is active then
        assert deliver_callback(order_id=payment.order_id) == 200
    message = SmsMessage.objects.filter(mobile="9876512345", template="ots_fee_paid").get()
    assert message.language == lang
    assert fee_text in message.text
