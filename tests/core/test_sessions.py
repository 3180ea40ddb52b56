"""Sessions: PostgreSQL is the record, the cache a copy that may be gone (redportal/sessions.py)."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redportal.sessions import SessionStore

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": DEAD_REDIS}}
    yield settings
    caches._settings = None


def session_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def log_in(client):
    return client.post("/accounts/login/", {"username": "je_aminabad",
                                            "password": django_settings.DEMO_PASSWORD})


def test_staff_log_in_work_and_log_out_with_the_cache_down(client, users, cache_down, caplog):
    assert log_in(client).status_code == 302
    assert "session cache write failed (ConnectionError)" in caplog.text
    assert client.get("/staff/").status_code == 200
    client.post("/accounts/logout/")
    page = client.get("/staff/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_session_is_read_from_the_cache_not_the_database(client, users):
    log_in(client)
    client.get("/staff/")  # the copy is in the cache now
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    assert session_queries(queries) == []


def test_logging_out_removes_the_cached_copy(client, users):
    log_in(client)
    client.get("/staff/")
    old_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    client.cookies[django_settings.SESSION_COOKIE_NAME] = old_cookie  # a stolen cookie
    page = client.get("/staff/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_a_session_from_the_database_alone_still_works(client, users):
    """A Redis restart empties the cache: everyone stays logged in."""
    log_in(client)
    caches["default"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/").status_code == 200
    assert session_queries(queries)


def test_the_cached_copy_lives_no_longer_than_the_setting(settings):
    settings.SESSION_CACHE_SECONDS = 120
    store = SessionStore()
    store["x"] = 1
    store.save()
    assert store._cache_seconds() == 120
    store.set_expiry(30)
    assert store._cache_seconds() == 30


def test_a_new_session_is_one_insert_and_a_repeated_key_draws_again(monkeypatch):
    store = SessionStore()
    store["journey"] = 1
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [q.split()[0] for q in session_queries(queries)] == ["INSERT"]
    # The one-in-10^49 repeat: the table refuses the key, create() draws another.
    keys = iter([store.session_key, "k" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    other = SessionStore()
    other["journey"] = 2
    other.save()
    assert other.session_key == "k" * 32
    assert SessionStore(store.session_key).load()["journey"] == 1
