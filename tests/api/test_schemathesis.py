"""Schemathesis over the published schema: no 500, every answer as the schema says.

Runs on SQLite and, with ``DATABASE_URL`` set, on PostgreSQL (DESIGN §8).
Bounded and deterministic (LIBRARIES.md): a fixed seed and few examples per
operation; the app is called in-process through Django's WSGI handler, so it
sees the test's data.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from payments.ledger_feed import ledger_sequence_assign
from tests.api.ledger import credit, refund

SEED = 20261201
MAX_EXAMPLES = 30
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _published_schema():
    """The schema exactly as /api/schema/ publishes it, calling the WSGI app."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


SCHEMA = _published_schema()
KNOWN_PATHS = {
    "GET /api/v1/cases/{case_number}/": [{"case_number": "LKO/AMN/2023/0123"}],
    "POST /api/v1/ledger/{seq}/posting/": [{"seq": 1}, {"seq": 2}, {"seq": 3}],
}
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@pytest.fixture
def keep_connection():
    """Keep the test's connection across WSGI calls, as Django's test client does.

    The WSGI handler closes "old" connections when a request ends, which on
    PostgreSQL closes the one holding the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, keep_connection, registration_in, aminabad):
    registration = registration_in(case_number="LKO/AMN/2023/0123")
    refund(credit(registration))
    credit(registration_in("victoria"))
    ledger_sequence_assign()
    return aminabad


@pytest.mark.parametrize("label", sorted(OPERATIONS))
@override_settings(API_CLIENT_THROTTLE_RATE="100000/min")
def test_api_answers_as_published(label, api_data):
    operation = OPERATIONS[label]
    headers = {"Authorization": f"Bearer {api_data.token}"}

    # Generated values, values known to exist (else every detail is a 404),
    # and invalid ones (negative mode): each must get an answer the schema allows.
    known = KNOWN_PATHS.get(label)
    strategies = [operation.as_strategy(),
                  operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)]
    if known:
        strategies += [operation.as_strategy(path_parameters=values) for values in known]

    @given(case=st.one_of(strategies))
    @seed(SEED)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def answers_as_published(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.path, case.query, case.body)
        case.validate_response(response, checks=CHECKS)

    answers_as_published()


def test_schema_is_published_and_docs_served_locally(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    published = json.loads(response.content)
    assert set(published["paths"]) == {
        "/api/v1/cases/", "/api/v1/cases/{case_number}/", "/api/v1/ledger/",
        "/api/v1/ledger/{seq}/posting/", "/api/v1/dues/",
    }
    assert published["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    # Swagger UI from the portal's own static files (sidecar), no CDN, and its
    # start-up script a file of its own (CSP: no inline scripts).
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page and "<script>" not in page
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
