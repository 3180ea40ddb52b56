"""The certificate a court clerk can check: full details, a QR code, /verify/ (issue 16)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ots_scheme.models import RegistrationStatus
from payments import services
from payments.models import PaymentPurpose
from payments.queries import amounts_due
from tests.factories import ConsumerFactory, TheftCaseFactory
from tests.pdfs import pdf_text_and_qr

pytestmark = pytest.mark.django_db


def pdf_parts(response) -> tuple[str, str]:
    """Return the PDF's text and the URL its QR code decodes to."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text_and_qr(response.content)


def path_of(url: str) -> str:
    assert url.startswith("http://testserver/verify/"), url
    return url.removeprefix("http://testserver")


@pytest.fixture
def case(org_tree):
    consumer = ConsumerFactory(name="मोहन वर्मा", father_or_husband_name="सोहन वर्मा",
                               address="12/4, नजीराबाद रोड, अमीनाबाद, लखनऊ")
    return TheftCaseFactory(case_number="LKO/AMN/2023/0777", consumer=consumer,
                            fir_number="FIR 123/2023", police_station="अमीनाबाद थाना")


def settle(registration, *, officer, fee_on: dt.date, balance_on: dt.date):
    """Take a registration to settled with two counter receipts."""
    services.counter_payment_record(
        registration=registration, purpose=PaymentPurpose.REGISTRATION_FEE,
        amount=registration.registration_fee, mode="cash", receipt_number="CR-1",
        received_on=fee_on, officer=officer)
    registration.refresh_from_db()
    balance = amounts_due(registration)[PaymentPurpose.BALANCE]
    services.counter_payment_record(
        registration=registration, purpose=PaymentPurpose.BALANCE, amount=balance,
        mode="cash", receipt_number="CR-2", received_on=balance_on, officer=officer)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SETTLED
    return registration


def test_certificate_has_full_details_and_a_qr_that_answers_genuine(
        client, as_user, users, make_registration, case, schemes):
    registration = make_registration(
        scheme_code="OTS-THEFT-23", case=case, quoted_on=dt.date(2026, 1, 2),
        sub_division=case.sub_division, applicant_name="मोहन वर्मा",
        father_or_husband_name="सोहन वर्मा", address="12/4, नजीराबाद रोड, अमीनाबाद, लखनऊ")
    settle(registration, officer=users["je_aminabad"], fee_on=dt.date(2026, 1, 2),
           balance_on=dt.date(2026, 1, 3))
    staff = as_user("je_aminabad")

    text, url = pdf_parts(staff.get(
        reverse("payments:certificate", args=[registration.registration_number])))

    for expected in ("मोहन वर्मा", "सोहन वर्मा", "नजीराबाद रोड", "FIR 123/2023",
                     "अमीनाबाद थाना", "LKO/AMN/2023/0777", registration.registration_number,
                     "OTS Theft-23: one-time settlement of 2023 theft cases",
                     "₹65,728.00", "₹53,382.00", "₹12,346.00", "Certificate of settlement"):
        assert expected in text, expected
    assert "DEMO" not in text
    assert "OTS Theft-23 scheme" not in text  # the scheme's real name, not a fixed one

    staff.logout()
    page = client.get(path_of(url), HTTP_ACCEPT_LANGUAGE="en")  # no login needed
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-genuine="yes"' in body and "Genuine." in body
    assert "Certificate of settlement" in body
    assert "LKO/AMN/2023/0777" in body
    assert "म. व." in body                   # the masked name only
    assert "मोहन" not in body and "सोहन" not in body and "FIR 123" not in body
    assert "03-01-2026" in body or "02-01-2026" in body
    assert "₹65,728.00" in body              # the money credited


def test_a_tampered_or_unissued_code_is_not_found_in_the_persons_language(
        client, consumer_client, pay_at_bank, registration):
    consumer_client(registration.registration_number)
    fee = services.payment_start(registration=registration,
                                 purpose=PaymentPurpose.REGISTRATION_FEE)
    pay_at_bank(client, fee)
    text, url = pdf_parts(client.get(
        reverse("payments:acknowledgement", args=[registration.registration_number])))
    assert "DEMO" in text                     # the demo scheme is marked on its face
    path = path_of(url)

    genuine = client.get(path)
    assert genuine.status_code == 200
    assert "Registration acknowledgement" not in genuine.content.decode()  # Hindi page
    assert "₹12,346.00" in genuine.content.decode()

    code = path.split("/")[2]
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    other_id = code.replace(f"a{registration.pk}.", f"a{registration.pk + 1}.")
    # The same registration's certificate has not been issued yet.
    certificate = code.replace(f"a{registration.pk}.", f"c{registration.pk}.")
    for bad in (tampered, other_id, certificate, "x", "a1.abc"):
        hindi = client.get(f"/verify/{bad}/", HTTP_ACCEPT_LANGUAGE="hi")
        assert hindi.status_code == 404
        assert 'data-genuine="no"' in hindi.content.decode()
        assert "नहीं मिला" in hindi.content.decode()
    english = client.get(f"/verify/{tampered}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and "Not found." in english.content.decode()


def test_demo_certificate_carries_the_demo_mark(client, consumer_client, pay_at_bank,
                                                registration):
    consumer_client(registration.registration_number)
    for purpose in (PaymentPurpose.REGISTRATION_FEE, PaymentPurpose.BALANCE):
        pay_at_bank(client, services.payment_start(registration=registration,
                                                   purpose=purpose))
    text, url = pdf_parts(client.get(
        reverse("payments:certificate", args=[registration.registration_number])))
    assert "DEMO" in text and registration.scheme.name_en in text
    page = client.get(path_of(url), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="verify-demo"' in page
    assert registration.total_payable == Decimal("65728.00")
