"""Every staff URL needs a login, and another unit's object is a 404 (DESIGN §7).

The URL list is read from the resolver at test time (``urlmap.walk``), so a
staff page added by any app is covered without being named here.
"""

from __future__ import annotations

import itertools

import pytest

from tests.security.conftest import candidates, is_object_argument
from tests.security.urlmap import staff_routes

LOGIN = "/accounts/login/"
ROUTES = staff_routes()


def _ids(route):
    return route.name or route.route


def _placeholder(converter: str):
    return 1 if converter == "int" else "x"


def _fill(route, foreign) -> list[dict]:
    """Return argument values to try: every combination of fitting candidates."""
    options = []
    for argument, converter in route.arguments.items():
        values = candidates(argument, foreign)
        if values is None:
            values = [_placeholder(converter)]
        if converter == "int":
            values = [v for v in values if str(v).isdigit()] or [1]
        options.append([(argument, v) for v in values])
    return [dict(combo) for combo in itertools.product(*options)]


def _get_or_post(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    return response


def login_problems(client, route, foreign) -> list:
    """Return (url, status, location) for each URL that served without a login."""
    problems = []
    for values in _fill(route, foreign):
        url = route.url(values)
        response = _get_or_post(client, url)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith(LOGIN):
            problems.append((url, response.status_code, location))
    return problems


def leaks(client, route, foreign) -> list:
    """Return (url, status) for each foreign-object URL that did not answer 404."""
    found = []
    for values in _fill(route, foreign):
        url = route.url(values)
        response = _get_or_post(client, url)
        if response.status_code != 404:
            found.append((url, response.status_code))
    return found


def test_staff_area_is_routed():
    """Guard against the walk silently finding nothing."""
    assert any(r.route == "staff/" for r in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=_ids)
def test_staff_url_without_login_redirects_to_login(client, foreign_objects, route):
    assert not login_problems(client, route, foreign_objects)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.arguments], ids=_ids
)
def test_other_units_object_is_404(client, users, foreign_objects, route):
    unknown = [a for a in route.arguments if candidates(a, foreign_objects) is None]
    if unknown:
        # A new kind of argument would leave the route unchecked: fail, not skip.
        pytest.fail(f"no foreign object for argument(s) {unknown}: add them to conftest")
    if not any(is_object_argument(a, foreign_objects) for a in route.arguments):
        pytest.skip("arguments pick a format only: the user's own data, not an object")
    client.force_login(users["je_chowk"])
    found = leaks(client, route, foreign_objects)
    assert not found, f"je_chowk (Victoria) reached Aminabad objects: {found}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.arguments], ids=_ids
)
def test_owner_reaches_the_same_objects(client, users, foreign_objects, route):
    """Control for the 404 test: the director does reach the objects used there.

    Without it a view could answer 404 to everyone and the test above would
    prove nothing.
    """
    unknown = [a for a in route.arguments if candidates(a, foreign_objects) is None]
    if unknown:
        pytest.fail(f"no foreign object for argument(s) {unknown}: add them to conftest")
    if not any(is_object_argument(a, foreign_objects) for a in route.arguments):
        pytest.skip("arguments pick a format only: the user's own data, not an object")
    # The discom-wide officers: the Director, and IT support for its own pages
    # (undelivered SMS), which the Director does not see.
    statuses = []
    for owner in ("director", "itsupport"):
        client.force_login(users[owner])
        statuses += [
            _get_or_post(client, route.url(values)).status_code
            for values in _fill(route, foreign_objects)
        ]
    # Everyone getting 404 would make the 404 test above prove nothing: a
    # route whose objects need a particular state gets one in conftest.
    assert not all(s == 404 for s in statuses), (
        f"the discom-wide officers also get 404 for {route.route}: "
        "give foreign_objects an object in the state this page needs")


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if "case_number" in r.arguments], ids=_ids
)
def test_case_number_accepts_slashes(route):
    """Case numbers hold "/", "-" and spaces (DESIGN §3): only <path:> keeps them."""
    assert route.arguments["case_number"] == "path", route.route


@pytest.mark.django_db
def test_the_checks_catch_a_leaky_view(client, users, foreign_objects, settings):
    """Self-test on a URLconf with one scoped and one unscoped view."""
    from django.urls import clear_url_caches, get_resolver

    from tests.security.urlmap import walk

    settings.ROOT_URLCONF = "tests.security.leaky_urls"
    clear_url_caches()
    try:
        routes = {r.name: r for r in walk(get_resolver("tests.security.leaky_urls"))}
        assert not login_problems(client, routes["scoped"], foreign_objects)
        assert login_problems(client, routes["public"], foreign_objects)
        client.force_login(users["je_chowk"])
        assert not leaks(client, routes["scoped"], foreign_objects)
        assert leaks(client, routes["leaky"], foreign_objects)
    finally:
        clear_url_caches()
