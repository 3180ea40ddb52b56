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
