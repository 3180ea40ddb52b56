"""Acknowledgement and certificate PDFs, counter payments, missing-payment reports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.dates import today_ist
from ots_scheme.models import RegistrationStatus
from payments import services
from payments.gateways.sandbox import bank_decide
from payments.models import MissingPaymentReport, Payment, PaymentPurpose, PaymentStatus

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def paid_registration(client, consumer_client, pay_at_bank, registration):
    consumer_client(registration.registration_number)
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    pay_at_bank(client, payment)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID
    return registration


def test_acknowledgement_pdf_has_number_case_amounts_and_hindi(client, paid_registration):
    number = paid_registration.registration_number
    response = client.get(reverse("payments:acknowledgement", args=[number]))

    assert response.status_code == 200
    text = pdf_text(response)
    assert number in text
    assert paid_registration.case.case_number in text
    assert "₹1,23,456.00" in text          # assessment, Indian grouping
    assert "₹65,728.00" in text            # total payable
    assert "₹12,346.00" in text            # registration fee paid
    assert "₹53,382.00" in text            # balance
    assert paid_registration.balance_due_date.strftime("%d-%m-%Y") in text
    assert "Registration acknowledgement" in text
    assert "पावती" in text
    payment = Payment.objects.get(status=PaymentStatus.SUCCESS)
    assert payment.gateway_reference in text
    # The QR code of the status URL is embedded as an image.
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages[0].images) == 1


def test_pdfs_only_for_the_right_session_or_staff(client, as_user, paid_registration, users):
    number = paid_registration.registration_number
    url = reverse("payments:acknowledgement", args=[number])
    assert client.get(url).status_code == 200  # the consumer's own session

    client.session.flush()
    session = client.session
    session["ots_registrations"] = ["SOMEONE-ELSE"]
    session.save()
    assert client.get(url).status_code == 404

    client.logout()
    assert client.get(url).status_code == 404
    assert as_user("je_chowk").get(url).status_code == 404      # another unit
    assert as_user("je_aminabad").get(url).status_code == 200   # its own unit
    # No certificate before the balance is paid.
    cert = reverse("payments:certificate", args=[number])
    assert as_user("je_aminabad").get(cert).status_code == 404


def test_checkout_of_someone_elses_order_is_404(client, consumer_client, registration):
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    consumer_client("OTHER-NUMBER")
    assert client.get(reverse("payments:checkout", args=[payment.order_id])).status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.INITIATED


def test_settlement_certificate_after_balance(client, consumer_client, pay_at_bank,
                                              paid_registration):
    balance = services.payment_start(registration=paid_registration,
                                     purpose=PaymentPurpose.BALANCE)
    pay_at_bank(client, balance)
    number = paid_registration.registration_number

    response = client.get(reverse("payments:certificate", args=[number]))

    assert response.status_code == 200
    text = pdf_text(response)
    assert number in text
    assert "Certificate of settlement" in text
    assert "₹53,382.00" in text and "₹65,728.00" in text
    assert "समाधान" in text


def test_counter_payment_records_success_and_freezes_by_receipt_date(
    as_user, make_registration
):
    registration = make_registration(scheme_code="OTS-THEFT-23", quoted_on=dt.date(2026, 1, 2))
    client = as_user("je_aminabad")
    url = reverse("payments:counter_payment", args=[registration.registration_number])
    assert client.get(url).status_code == 200

    response = client.post(url, {
        "purpose": PaymentPurpose.REGISTRATION_FEE, "amount": "12,346.00", "mode": "cash",
        "receipt_number": "AMN/CR/0042", "received_on": "2026-01-04",
    })

    assert response.status_code == 302
    payment = Payment.objects.get(registration=registration)
    assert payment.status == PaymentStatus.SUCCESS
    assert payment.receipt_number == "AMN/CR/0042"
    assert payment.mode == "cash"
    assert payment.recorded_by.username == "je_aminabad"
    assert payment.events.filter(kind="counter_receipt").count() == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID
    assert registration.phase_number == 2  # fixed by the receipt date, 4 Jan 2026


def test_counter_payment_refuses_bad_input_and_changes_nothing(as_user, registration):
    client = as_user("je_aminabad")
    url = reverse("payments:counter_payment", args=[registration.registration_number])
    base = {"purpose": PaymentPurpose.REGISTRATION_FEE, "amount": "12346", "mode": "dd",
            "receipt_number": "DD-1", "received_on": today_ist().isoformat()}

    wrong_amount = client.post(url, {**base, "amount": "5000"})
    future = client.post(url, {**base, "received_on": "2099-01-01"})
    balance_first = client.post(url, {**base, "purpose": PaymentPurpose.BALANCE,
                                      "amount": "53382"})

    for response in (wrong_amount, future, balance_first):
        assert response.status_code == 200
        assert "alert" in response.content.decode() or "invalid" in response.content.decode()
    assert Payment.objects.count() == 0

    assert client.post(url, base).status_code == 302
    assert Payment.objects.count() == 1


def test_counter_receipt_number_is_entered_once(as_user, make_registration, registration):
    other = make_registration()
    client = as_user("sdo_aminabad")
    data = {"purpose": PaymentPurpose.REGISTRATION_FEE, "amount": "12346", "mode": "cheque",
            "receipt_number": "CHQ-77", "received_on": today_ist().isoformat()}
    first = client.post(reverse("payments:counter_payment",
                                args=[registration.registration_number]), data)
    second = client.post(reverse("payments:counter_payment",
                                 args=[other.registration_number]), data)
    assert first.status_code == 302
    assert second.status_code == 200
    assert Payment.objects.count() == 1


def test_counter_payment_page_is_scoped(as_user, client, registration):
    url = reverse("payments:counter_payment", args=[registration.registration_number])
    assert as_user("je_chowk").get(url).status_code == 404
    response = as_user("je_chowk").post(url, {
        "purpose": PaymentPurpose.REGISTRATION_FEE, "amount": "12346", "mode": "cash",
        "receipt_number": "X-1", "received_on": today_ist().isoformat()})
    assert response.status_code == 404
    assert Payment.objects.count() == 0
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_report_missing_payment_asks_the_bank_at_once(
    client, consumer_client, pay_at_bank, registration, settings
):
    settings.SANDBOX_CALLBACK_MODE = "drop"
    consumer_client(registration.registration_number)
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    pay_at_bank(client, payment)
    reference = bank_decide(order_id=payment.order_id, outcome="success",
                            amount=payment.amount).bank_reference
    client.logout()  # any browser may report

    response = client.post(reverse("payments:report_missing"), {
        "registration_number": registration.registration_number.lower(),
        "bank_reference": reference})

    assert response.status_code == 200
    report = MissingPaymentReport.objects.get()
    assert report.found and report.payment == Payment.objects.get()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.FEE_PAID


def test_report_missing_with_unknown_number_changes_nothing(client):
    response = client.post(reverse("payments:report_missing"), {
        "registration_number": "NO-SUCH", "bank_reference": "X"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert MissingPaymentReport.objects.count() == 0


@pytest.mark.parametrize("language", ["hi", "en"])
def test_payment_pages_in_both_languages(client, consumer_client, registration, language,
                                         as_user):
    client.cookies["django_language"] = language
    consumer_client(registration.registration_number)  # the owner's session
    payment = services.payment_start(registration=registration,
                                     purpose=PaymentPurpose.REGISTRATION_FEE)
    page = client.get(reverse("payments:return", args=[payment.order_id]))
    text = page.content.decode()
    assert "₹12,346.00" in text
    if language == "en":
        assert "Confirming your payment with the bank" in text
    else:
        assert "पुष्टि" in text
    report = client.get(reverse("payments:report_missing"))
    assert report.status_code == 200
    bank = client.get(reverse("payments:sandbox_bank", args=[payment.order_id]))
    assert bank.status_code == 200
    counter = as_user("je_aminabad").get(
        reverse("payments:counter_payment", args=[registration.registration_number]))
    assert counter.status_code == 200
    assert ("Record receipt" if language == "en" else "रसीद दर्ज करें") in (
        counter.content.decode())
