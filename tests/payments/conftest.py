"""Fixtures for the payments tests: registrations with a quote, a paying browser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.dates import IST, today_ist
from ots_scheme.models import Phase, Registration, RegistrationStatus
from tests.factories import RegistrationFactory
from tests.razorpay_fake import fake_razorpay  # noqa: F401 - a fixture

# Assessment ₹1,23,456, compounding ₹4,000, phase 1 at 50 % (DESIGN §3 example).
PHASE1_QUOTE = {
    "phase_number": 1,
    "payable_percent": Decimal("50"),
    "assessment": Decimal("123456.00"),
    "assessment_payable": Decimal("61728.00"),
    "waiver": Decimal("61728.00"),
    "compounding_fee": Decimal("4000.00"),
    "deposited": Decimal("0.00"),
    "total_payable": Decimal("65728.00"),
    "registration_fee": Decimal("12346.00"),
    "balance": Decimal("53382.00"),
}


@pytest.fixture
def make_registration(org_tree, schemes):
    """Make a registration with the phase-1 quote set (status ``submitted``)."""

    def make(*, scheme_code: str = "DEMO-OTS-THEFT", status=RegistrationStatus.SUBMITTED,
             quoted_on: dt.date | None = None, **fields):
        scheme = schemes[scheme_code]
        phase = Phase.objects.get(scheme=scheme, number=1)
        values = {**PHASE1_QUOTE, **fields}
        registration = RegistrationFactory(
            scheme=scheme, status=status, phase=phase,
            balance_due_date=phase.ends_on, quoted_on=quoted_on or today_ist(), **values,
        )
        if quoted_on is not None:
            # Made on the day it was quoted (10:00 IST), as a real one would be.
            made = dt.datetime.combine(quoted_on, dt.time(10), tzinfo=IST)
            Registration.objects.filter(pk=registration.pk).update(created_at=made)
            registration.created_at = made
        return registration

    return make


@pytest.fixture
def registration(make_registration):
    return make_registration()


@pytest.fixture
def consumer_client(client):
    """Return a function that lets the test client's session hold a registration."""

    def hold(*numbers: str):
        session = client.session
        session["ots_registrations"] = list(numbers)
        session.save()
        return client

    return hold


@pytest.fixture
def pay_at_bank():
    """Take a browser through checkout to the sandbox bank and press a button.

    Returns the response of the bank's redirect back to the portal's return page.
    """

    def pay(client, payment, outcome: str = "success"):
        response = client.get(reverse("payments:checkout", args=[payment.order_id]))
        assert response.status_code == 302
        bank_url = response["Location"]
        assert bank_url == reverse("payments:sandbox_bank", args=[payment.order_id])
        assert client.get(bank_url).status_code == 200
        response = client.post(bank_url, {"outcome": outcome})
        assert response.status_code == 302
        assert response["Location"] == reverse("payments:return", args=[payment.order_id])
        return response

    return pay
