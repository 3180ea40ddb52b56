"""After OTP the calculator offers the person's own case (issue 3)."""

from decimal import Decimal

import pytest

from tests.factories import RegistrationFactory, TheftCaseFactory


@pytest.fixture
def proven(client, org_tree, schemes):
    mine = TheftCaseFactory(case_number="LKO/AMN/2023/0123", assessment_amount=Decimal("123456"),
                            compounding_fee=Decimal("4000"), deposited_amount=Decimal("0"))
    other = TheftCaseFactory(case_number="LKO/AMN/2023/9999")
    session = client.session
    session["ots_flow"] = {"case_id": mine.pk, "scheme_id": schemes["OTS-THEFT-23"].pk,
                           "verified": True}
    session.save()
    return mine, other


@pytest.mark.django_db
def test_verified_case_is_offered_and_fills_the_amounts(client, proven):
    mine, other = proven
    page = client.get("/ots/calculator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "LKO/AMN/2023/0123" in page
    assert "LKO/AMN/2023/9999" not in page
    page = client.get("/ots/calculator/", {"case": mine.case_number}).content.decode()
    # Phase 1 of OTS-THEFT-23 for 1,23,456 + 4,000: total 65,728 (DESIGN §3).
    assert "₹65,728" in page
    assert "₹12,346" in page


@pytest.mark.django_db
def test_unproven_case_is_ignored(client, proven):
    mine, other = proven
    page = client.get("/ots/calculator/", {"case": other.case_number}).content.decode()
    assert "₹65,728" not in page
    assert "LKO/AMN/2023/9999" not in page


@pytest.mark.django_db
def test_case_of_a_registration_in_the_session_is_offered(client, org_tree, schemes):
    registration = RegistrationFactory()
    session = client.session
    session["ots_registrations"] = [registration.registration_number]
    session.save()
    page = client.get("/ots/calculator/").content.decode()
    assert registration.case.case_number in page


@pytest.mark.django_db
def test_no_session_no_case_list(client, schemes):
    page = client.get("/ots/calculator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Use the amounts of your case" not in page
