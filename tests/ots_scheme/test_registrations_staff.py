"""Staff pages for registrations: scoped list, verify, reject, assisted registration."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from messaging.models import SmsMessage
from ots_scheme import lifecycle
from ots_scheme.models import Registration, RegistrationStatus
from tests.consumers.conftest import EXE, PDF, otp_from_outbox
from tests.factories import ConsumerFactory, TheftCaseFactory
from tests.ots_scheme.test_registrations import pay, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(schemes):
    return schemes["DEMO-OTS-THEFT"]


@pytest.fixture
def reg(org_tree, demo):
    return register(TheftCaseFactory(), demo)


def test_list_is_scoped_and_filters(as_user, reg, demo, org_tree):
    other = register(TheftCaseFactory(sub_division=org_tree["victoria"]), demo)
    client = as_user("je_aminabad")
    page = client.get(reverse("registrations:list")).content.decode()
    assert reg.registration_number in page and other.registration_number not in page
    page = client.get(reverse("registrations:list"), {"status": "fee_paid"}).content.decode()
    assert reg.registration_number not in page
    pay(reg, "registration_fee")
    page = client.get(reverse("registrations:list"),
                      {"awaiting_verification": "on"}).content.decode()
    assert reg.registration_number in page
    director = as_user("director")
    page = director.get(reverse("registrations:list")).content.decode()
    assert reg.registration_number in page and other.registration_number in page


def test_other_units_registration_is_404(as_user, reg):
    client = as_user("je_chowk")
    assert client.get(reg.get_absolute_url()).status_code == 404
    assert client.post(reverse("registrations:verify",
                               args=[reg.registration_number])).status_code == 404
    assert client.post(reverse("registrations:reject", args=[reg.registration_number]),
                       {"reason": "x"}).status_code == 404
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


def test_public_user_cannot_see_staff_pages(client, reg):
    response = client.get(reg.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_detail_shows_explanation_and_counter_payment_link(as_user, reg, lang):
    client = as_user("sdo_aminabad")
    client.cookies["django_language"] = lang
    page = client.get(reg.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "settlement-explain" in text
    assert reverse("payments:counter_payment", args=[reg.registration_number]) in text


def test_verify_and_reject_from_detail_page(as_user, reg, users):
    pay(reg, "registration_fee")
    client = as_user("je_aminabad")
    client.post(reverse("registrations:verify", args=[reg.registration_number]))
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.VERIFIED and reg.verified_by == users["je_aminabad"]
    client.post(reverse("registrations:reject", args=[reg.registration_number]),
                {"reason": "Papers forged"})
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.REJECTED
    assert SmsMessage.objects.filter(template="ots_rejected", text__contains="Papers forged")


def test_reject_without_reason_changes_nothing(as_user, reg):
    client = as_user("je_aminabad")
    client.post(reverse("registrations:reject", args=[reg.registration_number]), {"reason": ""})
    reg.refresh_from_db()
    assert reg.status == RegistrationStatus.SUBMITTED


ASSISTED = {
    "applicant_name": "Mohan Lal", "father_or_husband_name": "Sohan Lal",
    "address": "Aminabad", "id_proof_type": "voter_id", "id_proof_last4": "7788",
}


def test_assisted_registration_with_otp_consent(as_user, org_tree, demo, users):
    case = TheftCaseFactory()
    client = as_user("je_aminabad")
    response = client.post(reverse("registrations:assisted"),
                           {**ASSISTED, "case_number": case.case_number, "mobile": "9000011111"})
    assert response.url == reverse("registrations:assisted_consent")
    sms = SmsMessage.objects.get(mobile="9000011111", template="ots_assisted_consent")
    assert case.case_number in sms.text
    response = client.post(reverse("registrations:assisted_consent"),
                           {"code": otp_from_outbox("9000011111")})
    created = Registration.objects.get(case=case)
    assert response.url == created.get_absolute_url()
    assert created.assisted_by == users["je_aminabad"]
    assert created.mobile == "9000011111" and created.applicant_name == "Mohan Lal"


def test_assisted_wrong_otp_makes_nothing(as_user, org_tree, demo):
    case = TheftCaseFactory()
    client = as_user("je_aminabad")
    client.post(reverse("registrations:assisted"),
                {**ASSISTED, "case_number": case.case_number, "mobile": "9000011111"})
    code = otp_from_outbox("9000011111")
    client.post(reverse("registrations:assisted_consent"),
                {"code": "000000" if code != "000000" else "111111"})
    assert not Registration.objects.filter(case=case).exists()


def test_assisted_without_mobile_needs_signed_declaration(as_user, org_tree, demo, users):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    client = as_user("sdo_aminabad")
    page = client.post(reverse("registrations:assisted"),
                       {**ASSISTED, "case_number": case.case_number})
    assert page.status_code == 200 and not Registration.objects.filter(case=case).exists()
    page = client.post(reverse("registrations:assisted"), {
        **ASSISTED, "case_number": case.case_number,
        "consent_document": SimpleUploadedFile("consent.pdf", EXE)})
    assert page.status_code == 200 and not Registration.objects.filter(case=case).exists()
    client.post(reverse("registrations:assisted"), {
        **ASSISTED, "case_number": case.case_number,
        "consent_document": SimpleUploadedFile("consent.pdf", PDF)})
    created = Registration.objects.get(case=case)
    assert created.assisted_by == users["sdo_aminabad"]
    assert created.consent_document.name.endswith(".pdf") and created.mobile == ""
    download = client.get(reverse("registrations:document",
                                  args=[created.registration_number, "consent"]))
    assert download.status_code == 200


def test_assisted_case_outside_jurisdiction_refused(as_user, org_tree, demo):
    case = TheftCaseFactory(sub_division=org_tree["victoria"])
    client = as_user("je_aminabad")
    page = client.post(reverse("registrations:assisted"),
                       {**ASSISTED, "case_number": case.case_number, "mobile": "9000011111"})
    assert page.status_code == 200
    assert not SmsMessage.objects.exists()
    assert not Registration.objects.filter(case=case).exists()


def test_needs_attention_filter_lists_paid_rejected(as_user, reg, users):
    lifecycle.registration_reject(registration=reg, officer=users["je_aminabad"],
                                      reason="dup")
    pay(reg, "registration_fee")
    page = as_user("je_aminabad").get(reverse("registrations:list"),
                                      {"needs_attention": "on"}).content.decode()
    assert reg.registration_number in page


def test_documents_only_inside_jurisdiction(as_user, org_tree, demo):
    from ots_scheme.registrations import registration_create

    upload = SimpleUploadedFile("id.pdf", PDF)
    upload.checked_extension = "pdf"
    created = registration_create(
        case=TheftCaseFactory(), scheme=demo, applicant_name="A", father_or_husband_name="B",
        address="C", mobile="9000022222", declaration_accepted=True, id_document=upload)
    url = reverse("registrations:document", args=[created.registration_number, "id"])
    assert as_user("je_chowk").get(url).status_code == 404
    response = as_user("je_aminabad").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
