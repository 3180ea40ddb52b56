"""Fixtures for the integration API tests: machine clients and their tokens."""

from __future__ import annotations

import pytest

from api.models import Scope
from api.services import client_create

ALL_SCOPES = list(Scope.values)


class Caller:
    """The Django test client with a bearer token on every request."""

    def __init__(self, client, token: str):
        self.client = client
        self.token = token

    def _headers(self, headers):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, **self._headers(headers))

    def post(self, path, data=None, **headers):
        return self.client.post(path, data, content_type="application/json",
                                **self._headers(headers))


@pytest.fixture
def make_api_client(org_tree, client):
    """Make a machine client: ``make_api_client("billing", "aminabad", ["ledger:read"])``."""

    def make(name="billing-aminabad", unit="aminabad", scopes=None):
        api_client, token = client_create(name=name, unit_code=unit,
                                          scopes=ALL_SCOPES if scopes is None else scopes)
        caller = Caller(client, token)
        caller.api_client = api_client
        return caller

    return make


@pytest.fixture
def aminabad(make_api_client):
    """A client of Aminabad division holding every scope."""
    return make_api_client()


@pytest.fixture
def chowk(make_api_client):
    """A client of Chowk division holding every scope."""
    return make_api_client(name="billing-chowk", unit="chowk")


@pytest.fixture
def registration_in(org_tree, schemes):
    """Make a fee-paid registration (phase-1 quote frozen) in a sub-division."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from ots_scheme.models import RegistrationStatus
    from tests.factories import RegistrationFactory, TheftCaseFactory

    def make(sub_division="aminabad-1", *, status=RegistrationStatus.FEE_PAID, **case_fields):
        case = TheftCaseFactory(sub_division=org_tree[sub_division], **case_fields)
        return RegistrationFactory(
            case=case, scheme=schemes["OTS-THEFT-23"], status=status, phase_number=1,
            payable_percent=Decimal("50"), assessment=Decimal("123456.00"),
            assessment_payable=Decimal("61728.00"), waiver=Decimal("61728.00"),
            compounding_fee=Decimal("4000.00"), deposited=Decimal("0.00"),
            total_payable=Decimal("65728.00"), registration_fee=Decimal("12346.00"),
            balance=Decimal("53382.00"), balance_due_date=dt.date(2026, 1, 3),
            frozen_at=timezone.now(), fee_paid_at=timezone.now(),
        )

    return make
