"""Ways on from the journey's dead ends (issue 16): the person's own office on
every dead end, a registration found by case number + OTP, a change of the
mobile on record decided by the office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consumers.mobile_change import (
    MobileChangeError,
    mobile_change_approve,
    mobile_change_refuse,
)
from consumers.models import MobileChangeRequest, MobileChangeStatus
from messaging.models import SmsMessage
from tests.consumers.conftest import EXE, PDF, otp_from_outbox
from tests.factories import ConsumerFactory, RegistrationFactory, TheftCaseFactory
from theft_cases.queries import case_history

pytestmark = pytest.mark.django_db

AMINABAD_PHONE = "0522-2126087"  # Aminabad I, organization/data/mvvnl_lesa.csv


def text_of(response):
    return response.content.decode()


# --- The office on dead ends ------------------------------------------------------


def test_office_contacts_load_from_the_org_tree_file(org_tree):
    office = org_tree["aminabad-1"]
    assert office.phone == AMINABAD_PHONE
    assert "अमीनाबाद" in office.address_hi and "Aminabad" in office.address_en
    assert office.hours_hi and office.hours_en
    assert org_tree["aminabad"].phone  # the division office too


def test_a_case_that_cannot_register_names_its_own_office_in_both_languages(client, org_tree,
                                                                           demo):
    case = TheftCaseFactory(status="settled")
    page = text_of(client.get(reverse("consumers:lookup"), {"case_number": case.case_number}))
    assert 'data-office="aminabad-1"' in page
    assert AMINABAD_PHONE in page
    assert "अमीनाबाद प्रथम उपखण्ड" in page  # Hindi first …
    assert "Office of the Sub-divisional Officer" in page  # … with the English beneath
    assert "अमीनाबाद खण्ड" in page  # the division office if the sub-division cannot help
    client.cookies["django_language"] = "en"
    page = text_of(client.get(reverse("consumers:lookup"), {"case_number": case.case_number}))
    assert "Your office" in page and "Aminabad I Sub-division" in page
    assert "उपखण्ड अधिकारी कार्यालय" in page  # the Hindi beneath


def test_case_not_found_points_to_the_office_finder(client, org_tree, demo):
    page = text_of(client.get(reverse("consumers:lookup"), {"case_number": "NOPE/1"}))
    assert reverse("consumers:offices") in page
    finder = text_of(client.get(reverse("consumers:offices")))
    assert AMINABAD_PHONE in finder and "अमीनाबाद प्रथम उपखण्ड" in finder
    assert finder.count("data-office=") == 32  # every sub-division office


def test_a_rejected_registration_names_the_office(client, org_tree, schemes):
    registration = RegistrationFactory(status="rejected", rejection_reason="ID does not match")
    session = client.session
    session["ots_registrations"] = [registration.registration_number]
    session.save()
    page = text_of(client.get(reverse("consumers:registration",
                                      args=[registration.registration_number])))
    assert AMINABAD_PHONE in page


def test_no_mobile_on_record_names_the_office(client, org_tree, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile=""))
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    page = text_of(client.get(reverse("consumers:otp_mobile")))
    assert AMINABAD_PHONE in page


def test_registration_number_not_found_offers_the_case_number_way(client, org_tree):
    page = text_of(client.post(reverse("consumers:status"), {"registration_number": "NOPE",
                                                             "mobile": "9876543210"}))
    assert reverse("consumers:recover") in page
    assert reverse("consumers:offices") in page


# --- Find a registration by case number + OTP ----------------------------------------


def test_find_registration_by_case_number_and_otp(client, org_tree, schemes):
    registration = RegistrationFactory(case__case_number="LKO/AMN/2023/0777 B")
    mobile = registration.mobile
    response = client.post(reverse("consumers:recover"),
                           {"case_number": "lko/amn/2023/0777 b"})
    assert response.status_code == 302
    assert response.url == reverse("consumers:recover_verify")
    page = text_of(client.get(response.url))
    assert mobile[-4:] in page and mobile not in page
    wrong = client.post(reverse("consumers:recover_verify"), {"code": "000000"})
    assert wrong.status_code == 200  # refused, stays on the page
    response = client.post(reverse("consumers:recover_verify"),
                           {"code": otp_from_outbox(mobile)})
    assert response.url == reverse("consumers:registration",
                                   args=[registration.registration_number])
    page = text_of(client.get(response.url))
    assert registration.registration_number in page


def test_find_by_case_number_without_registration_says_so_and_names_the_office(client,
                                                                                org_tree):
    case = TheftCaseFactory()
    page = text_of(client.post(reverse("consumers:recover"),
                               {"case_number": case.case_number}))
    assert AMINABAD_PHONE in page
    assert not SmsMessage.objects.exists()


def test_find_by_unknown_case_number_points_to_the_finder(client, org_tree):
    page = text_of(client.post(reverse("consumers:recover"), {"case_number": "NOPE/9"}))
    assert reverse("consumers:offices") in page
    assert not SmsMessage.objects.exists()


def test_the_verify_page_needs_a_sent_otp(client, org_tree):
    assert client.get(reverse("consumers:recover_verify")).url == reverse("consumers:recover")


# --- Change of mobile --------------------------------------------------------------


def request_change(client, case, mobile="+91 91234 56789", upload=PDF):
    client.post(reverse("consumers:mobile_change"),
                {"case_number": case.case_number, "new_mobile": mobile})
    client.post(reverse("consumers:mobile_change_verify"),
                {"code": otp_from_outbox("9123456789")})
    return client.post(reverse("consumers:mobile_change_proof"), {
        "id_proof_type": "voter_id", "id_proof_last4": "4321",
        "document": SimpleUploadedFile("voter.pdf", upload)})


def test_a_person_requests_a_change_of_mobile(client, org_tree, demo):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9800000001", name="Ram Kumar"))
    response = request_change(client, case)
    assert response.url == reverse("consumers:mobile_change_done")
    change = MobileChangeRequest.objects.get()
    assert change.case == case and change.new_mobile == "9123456789"
    assert change.old_mobile == "9800000001" and change.status == MobileChangeStatus.PENDING
    assert change.document.read().startswith(b"%PDF")
    page = text_of(client.get(response.url))
    assert AMINABAD_PHONE in page
    assert "Ram Kumar" not in page and "9123456789" not in page  # still masked
    assert SmsMessage.objects.filter(mobile="9123456789",
                                     template="ots_mobile_change_received").exists()
    case.consumer.refresh_from_db()
    assert case.consumer.mobile == "9800000001"  # unchanged until approved


def test_the_new_mobile_must_be_proven_before_the_upload(client, org_tree, demo):
    case = TheftCaseFactory()
    client.post(reverse("consumers:mobile_change"),
                {"case_number": case.case_number, "new_mobile": "9123456789"})
    response = client.get(reverse("consumers:mobile_change_proof"))
    assert response.url == reverse("consumers:mobile_change_verify")


def test_a_renamed_executable_is_refused_as_id_proof(client, org_tree, demo):
    case = TheftCaseFactory()
    response = request_change(client, case, upload=EXE)
    assert response.status_code == 200
    assert not MobileChangeRequest.objects.exists()


def test_one_pending_request_per_case(client, org_tree, demo):
    case = TheftCaseFactory()
    request_change(client, case)
    page = text_of(client.post(reverse("consumers:mobile_change"),
                               {"case_number": case.case_number, "new_mobile": "9123456780"}))
    assert 'id="mobile-change-error"' in page
    assert MobileChangeRequest.objects.count() == 1


def test_sdo_approves_and_the_case_history_names_the_officer(client, org_tree, demo, users,
                                                             as_user):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9800000001"))
    registration = RegistrationFactory(case=case, scheme=demo, mobile="9800000001")
    request_change(client, case)
    change = MobileChangeRequest.objects.get()
    as_user("sdo_aminabad")
    page = client.get(reverse("consumers_staff:mobile_change_list"))
    assert case.case_number in text_of(page)
    response = client.post(reverse("consumers_staff:mobile_change_approve", args=[change.pk]))
    assert response.status_code == 302
    change.refresh_from_db()
    case.consumer.refresh_from_db()
    registration.refresh_from_db()
    assert change.status == MobileChangeStatus.APPROVED
    assert change.decided_by == users["sdo_aminabad"] and change.decided_at
    assert case.consumer.mobile == "9123456789" and registration.mobile == "9123456789"
    entry = [e for e in case_history(case) if "mobile changed" in e.reason][-1]
    assert entry.who == users["sdo_aminabad"]
    assert SmsMessage.objects.filter(mobile="9123456789",
                                     template="ots_mobile_change_approved").exists()
    with pytest.raises(MobileChangeError):  # decided once
        mobile_change_refuse(change=change, officer=users["sdo_aminabad"], reason="late")


def test_sdo_refuses_with_a_reason_told_by_sms(client, org_tree, demo, users, as_user):
    case = TheftCaseFactory(consumer=ConsumerFactory(mobile="9800000001"))
    request_change(client, case)
    change = MobileChangeRequest.objects.get()
    as_user("sdo_aminabad")
    client.post(reverse("consumers_staff:mobile_change_refuse", args=[change.pk]),
                {"reason": "ID proof name does not match"})
    change.refresh_from_db()
    case.consumer.refresh_from_db()
    assert change.status == MobileChangeStatus.REFUSED
    assert change.reason == "ID proof name does not match"
    assert case.consumer.mobile == "9800000001"
    sms = SmsMessage.objects.get(template="ots_mobile_change_refused")
    assert sms.mobile == "9123456789" and "ID proof name does not match" in sms.text


def test_a_je_sees_the_request_but_does_not_decide(client, org_tree, demo, users, as_user):
    case = TheftCaseFactory()
    request_change(client, case)
    change = MobileChangeRequest.objects.get()
    as_user("je_aminabad")
    page = text_of(client.get(reverse("consumers_staff:mobile_change_detail",
                                      args=[change.pk])))
    assert 'id="approve-mobile-change"' not in page
    client.post(reverse("consumers_staff:mobile_change_approve", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == MobileChangeStatus.PENDING
    with pytest.raises(MobileChangeError):
        mobile_change_approve(change=change, officer=users["je_aminabad"])


def test_another_units_officer_gets_404(client, org_tree, demo, as_user):
    case = TheftCaseFactory()
    request_change(client, case)
    change = MobileChangeRequest.objects.get()
    as_user("je_chowk")
    for name in ("mobile_change_detail", "mobile_change_document"):
        assert client.get(reverse(f"consumers_staff:{name}", args=[change.pk])).status_code \
            == 404
    assert case.case_number not in text_of(client.get(
        reverse("consumers_staff:mobile_change_list")))


def test_the_staff_desk_counts_the_waiting_requests_of_its_jurisdiction(client, org_tree, demo,
                                                                        as_user):
    request_change(client, TheftCaseFactory())
    as_user("sdo_aminabad")
    assert "1 प्रतीक्षा में" in text_of(client.get("/staff/"))
    as_user("je_chowk")
    assert "प्रतीक्षा में" not in text_of(client.get("/staff/"))


def test_every_otp_page_offers_the_change_of_mobile(client, org_tree, demo):
    case = TheftCaseFactory()
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    page = text_of(client.get(reverse("consumers:otp_verify")))
    assert reverse("consumers:mobile_change") in page
    registration = RegistrationFactory(case=TheftCaseFactory())
    client.post(reverse("consumers:status"),
                {"registration_number": registration.registration_number,
                 "mobile": registration.mobile})
    page = text_of(client.get(reverse("consumers:status_verify")))
    assert reverse("consumers:mobile_change") in page
