"""What a person reads on the journey's pages (issue 16, "Words")."""

import pytest
from django.urls import reverse

from tests.consumers.test_journey import details, start, verify
from tests.factories import RegistrationFactory, TheftCaseFactory

pytestmark = pytest.mark.django_db


def open_registration(client, registration):
    session = client.session
    session["ots_registrations"] = [registration.registration_number]
    session.save()
    return client.get(reverse("consumers:registration",
                              args=[registration.registration_number])).content.decode()


def test_a_settled_registration_says_nothing_more_to_pay(client, org_tree, schemes):
    registration = RegistrationFactory(status="settled")
    page = open_registration(client, registration)
    assert "अब कुछ भी देय नहीं" in page
    assert "शेष राशि जमा करने की अंतिम तिथि" not in page  # no due date
    client.cookies["django_language"] = "en"
    page = open_registration(client, registration)
    assert "Nothing more to pay" in page and "Balance due by" not in page


def test_an_open_registration_still_shows_its_balance_and_due_date(client, org_tree, schemes):
    page = open_registration(client, RegistrationFactory(status="fee_paid"))
    assert "अब कुछ भी देय नहीं" not in page
    assert "शेष राशि जमा करने की अंतिम तिथि" in page


def test_submitted_unpaid_does_not_read_as_paid(client, org_tree, schemes):
    page = open_registration(client, RegistrationFactory(status="submitted"))
    assert "आवेदन भरा (शुल्क बाकी)" in page


def test_the_wizard_says_step_not_phase(client, org_tree, schemes):
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    page = client.get(reverse("consumers:register", args=["case"])).content.decode()
    assert "कदम 1 / 4" in page and "चरण 1 / 4" not in page


def test_the_id_proof_is_marked_required_and_shown_by_its_hindi_label(client, org_tree,
                                                                      schemes):
    case = TheftCaseFactory()
    start(client, case)
    verify(client, case.consumer.mobile)
    page = client.get(reverse("consumers:register", args=["details"])).content.decode()
    upload = page[page.index('id="div_id_id_document"'):]
    upload = upload[:upload.index("</div>")]
    assert "asteriskField" in upload and "required" in upload
    details(client)
    client.post(reverse("consumers:register", args=["declaration"]), {"accept": "on"})
    page = client.get(reverse("consumers:register", args=["confirm"])).content.decode()
    assert "आधार ••••1234" in page and "aadhaar" not in page
