"""No input answers 500 (DESIGN §7): NUL, 10,000 characters, 1e30, page 10²⁴.

Every route the resolver knows (``urlmap.walk``) is tried with each bad
value in its URL arguments, and in every query and form field the portal
reads — field names are collected from the forms, filters and views
themselves, so a field added tomorrow is tried the day it lands. Public
routes are tried by a stranger and by a browser mid-journey (OTP verified),
staff routes by the Director. Runs on SQLite and on PostgreSQL (which
refuses NUL in any text, where SQLite stores it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.consumers.conftest import otp_from_outbox
from tests.factories import TheftCaseFactory
from tests.security.urlmap import walk

ROOT = Path(settings.BASE_DIR)
BAD_VALUES = {
    "nul": "LKO\x00/1",
    "huge": "9" * 10_000,
    "exponent": "1e30",
    "page": str(10**24),
    "negative": "-1",
}
FIELD = re.compile(r"^\s+(\w+)\s*=\s*(?:forms|django_filters|filters|\w*Field|\w*Filter)\b", re.M)
READ = re.compile(r"request\.(?:GET|POST)(?:\.get)?\(\s*[\"'](\w+)[\"']|"
                  r"request\.(?:GET|POST)\[[\"'](\w+)[\"']\]")


def field_names() -> list[str]:
    """Every form/filter field and every raw GET/POST key read by the portal."""
    names = {"page", "next", "language", "username", "password", "csrfmiddlewaretoken"}
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] in ("tests", "bench", ".venv", "node_modules"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.name.endswith(("forms.py", "filters.py")):
            names.update(FIELD.findall(text))
        for groups in READ.findall(text):
            names.update(g for g in groups if g)
    return sorted(names)


FIELDS = field_names()
PUBLIC = [r for r in walk()
          if not r.route.startswith(("staff/", "dashboard/", "admin/"))
          or r.route == "admin/login/"]
STAFF = [r for r in walk() if r.route.startswith(("staff/", "dashboard/"))]


def test_walk_finds_fields_and_routes():
    """Guard against a walk that silently tries nothing."""
    for name in ("case_number", "registration_number", "mobile", "scheme", "assessment",
                 "bank_reference", "code", "page"):
        assert name in FIELDS, name
    assert len(PUBLIC) > 20 and len(STAFF) > 20


def _url(route, value: str) -> str:
    try:
        return route.url({argument: value for argument in route.arguments})
    except Exception:  # noqa: BLE001 - a value the converter cannot take
        return route.url({argument: "x" for argument in route.arguments})


def server_errors(client: Client, routes) -> list[tuple]:
    """Return (method, url, kind, status) for every answer of 500 or more."""
    client.raise_request_exception = False
    found = []
    for route in routes:
        if "logout" in route.route:
            continue  # would end the walking session; it reads no input
        for kind, value in BAD_VALUES.items():
            url = _url(route, value)
            data = dict.fromkeys(FIELDS, value)
            data.pop("csrfmiddlewaretoken")
            for method in ("get", "post"):
                response = getattr(client, method)(url, data)
                if response.status_code >= 500:
                    found.append((method, url[:80], kind, response.status_code))
    return found


@pytest.fixture
def journey_client(org_tree, schemes):
    """A browser mid-journey: a case found and its OTP verified."""
    case = TheftCaseFactory()
    client = Client()
    client.post(reverse("consumers:otp_start"), {"case_number": case.case_number})
    client.post(reverse("consumers:otp_verify"), {"code": otp_from_outbox(case.consumer.mobile)})
    assert client.session["ots_flow"]["verified"]
    return client


@pytest.mark.django_db
def test_no_bad_input_answers_500_on_public_routes(client, users, schemes):
    assert server_errors(client, PUBLIC) == []


@pytest.mark.django_db
def test_no_bad_input_answers_500_mid_journey(journey_client, users):
    assert server_errors(journey_client, PUBLIC) == []


@pytest.mark.django_db
def test_no_bad_input_answers_500_on_staff_routes(client, users, schemes):
    client.force_login(users["director"])
    assert server_errors(client, STAFF) == []
