"""CSRF is enforced on every URL that accepts a POST (DESIGN §7).

Only gateway callbacks may be exempt (they are verified by HMAC instead), and
they must say so in their URL name.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.urlmap import walk

# Views exempt from CSRF on purpose, because they authenticate otherwise.
EXEMPT_WORDS = ("callback", "webhook", "notify")
# The integration API (DESIGN §8) authenticates with bearer tokens, never with
# the session cookie, so a cross-site form cannot act through it.
TOKEN_AUTH_PREFIX = "api/"


def _placeholder(converter: str) -> str:
    return {
        "int": "1",
        "uuid": "00000000-0000-0000-0000-000000000001",
    }.get(converter, "x")


ROUTES = [r for r in walk() if not r.route.startswith("admin/") or r.route == "admin/login/"]


def _ids(route):
    return route.name or route.route


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_post_without_token_is_refused(users, route):
    client = Client(enforce_csrf_checks=True)
    url = route.url({a: _placeholder(c) for a, c in route.arguments.items()})
    exempt = getattr(route.callback, "csrf_exempt", False)
    if exempt and route.route.startswith(TOKEN_AUTH_PREFIX):
        from rest_framework.authentication import SessionAuthentication

        classes = getattr(getattr(route.callback, "cls", None), "authentication_classes", [])
        assert not any(issubclass(c, SessionAuthentication) for c in classes), route.route
        return
    if exempt:
        assert any(w in (route.name + route.route) for w in EXEMPT_WORDS), (
            f"{route.route} is csrf_exempt but is not a gateway callback"
        )
        return
    response = client.post(url, {"mobile": "9876543210", "username": "director"})
    assert response.status_code == 403, (url, response.status_code)
    # Logged in, the same holds.
    client.force_login(users["director"])
    response = client.post(url, {"mobile": "9876543210"})
    assert response.status_code == 403, (url, response.status_code)


@pytest.mark.django_db
def test_post_with_token_passes_csrf(users):
    """Control: the login form accepts a POST carrying the token it handed out."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/accounts/login/",
        {"username": "je_aminabad", "password": "wrong", "csrfmiddlewaretoken": token},
    )
    assert response.status_code != 403
