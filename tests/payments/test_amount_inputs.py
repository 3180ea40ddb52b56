"""The counter payment form reads its amount with the one parser (DESIGN §5)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ots_scheme.models import RegistrationStatus
from payments.models import Payment, PaymentPurpose, PaymentStatus

pytestmark = pytest.mark.django_db


def post(client, registration, amount):
    url = reverse("payments:counter_payment", args=[registration.registration_number])
    return client.post(url, {
        "purpose": PaymentPurpose.REGISTRATION_FEE, "amount": amount, "mode": "cash",
        "receipt_number": "AMN/CR/7", "received_on": registration.quoted_on.isoformat(),
    })


@pytest.mark.parametrize(
    ("typed", "hindi", "english"),
    [("1e30", "पूरे अंकों में", "Write the amount in full"),
     ("1.2346e4", "पूरे अंकों में", "Write the amount in full"),
     ("12,346.", "दोनों ओर", "both sides of the point"),
     ("1,2346", "अल्पविराम", "commas are in the wrong places"),
     ("-12346", "ऋणात्मक नहीं", "cannot be negative"),
     ("0", "शून्य से अधिक", "more than zero"),
     ("१2346", "दोनों नहीं", "not both")],
)
def test_counter_form_refuses_and_changes_nothing(as_user, registration, typed, hindi,
                                                  english):
    client = as_user("je_aminabad")
    response = post(client, registration, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert hindi in html
    assert f'value="{typed}"' in html
    client.cookies.load({"django_language": "en"})
    assert english in post(client, registration, typed).content.decode()
    assert Payment.objects.count() == 0
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


def test_counter_form_takes_indian_grouping_and_devanagari(as_user, registration):
    response = post(as_user("je_aminabad"), registration, "₹१२,३४६.००")
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount == Decimal("12346.00") and payment.status == PaymentStatus.SUCCESS
