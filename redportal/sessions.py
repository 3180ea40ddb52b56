"""Sessions kept in PostgreSQL and read through the cache, working with the cache down.

Every page shows whether the visitor is logged in, so every request that
carries a session cookie loaded its session from the database: on the last
day of a phase, when most visitors are mid-journey (OTP sent, wizard open),
that was a tenth of the web workers' time. Django's ``cached_db`` store reads
the cache first, but several of its cache calls are unguarded, so with Redis
down new sessions, logouts and cache misses would answer 500.

This store keeps the database as the record and treats the cache as a
copy that may be missing:

- every cache call fails open to the database (logged, never raised);
- a copy lives at most ``SESSION_CACHE_SECONDS`` (10 minutes by default): if
  a logout or a change could not reach the cache (a network split, not a
  Redis restart, which empties it), the stale copy dies within that time.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.utils.crypto import get_random_string

logger = logging.getLogger(__name__)


def _cache_failed(operation: str, exc: Exception) -> None:
    logger.warning("session cache %s failed (%s); using the database", operation,
                   exc.__class__.__name__)


class SessionStore(CachedDBStore):
    def _cache_seconds(self, expiry=None) -> int:
        age = self.get_expiry_age(expiry=expiry) if expiry is not None else self.get_expiry_age()
        return max(0, min(age, int(getattr(settings, "SESSION_CACHE_SECONDS", 600))))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception as exc:  # noqa: BLE001 - any cache backend error
            _cache_failed("read", exc)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(stored.expire_date))
        except Exception as exc:  # noqa: BLE001
            _cache_failed("write", exc)
        return data

    def _get_new_session_key(self):
        """A fresh key, without asking the cache and the database whether it is taken.

        Every new session is written by ``create()`` with ``must_create``: the
        table's primary key refuses a key already taken (32 characters of 36:
        about one chance in 10^49) and ``create()`` draws another. Django's
        look-up first cost a cache read and a query for each new session (each
        OTP sent, each OTP verified).
        """
        return get_random_string(32, VALID_KEY_CHARS)

    def exists(self, session_key):
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception as exc:  # noqa: BLE001
            _cache_failed("read", exc)
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create=False):
        super(CachedDBStore, self).save(must_create)  # the database: the record
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except Exception as exc:  # noqa: BLE001
            _cache_failed("write", exc)

    def delete(self, session_key=None):
        super(CachedDBStore, self).delete(session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception as exc:  # noqa: BLE001
            _cache_failed("delete", exc)


# --- Consumer sessions on shared computers (DESIGN §7) -------------------------

# A person at a CSC kiosk walks away mid-journey: their session ends 30
# minutes after their last request, or at once on "Finish". Staff sessions
# (logged in) keep Django's own lifetime.
SEEN = "_consumer_seen"


def _idle_seconds() -> int:
    return int(getattr(settings, "CONSUMER_SESSION_IDLE_SECONDS", 30 * 60))


def _refresh_seconds() -> int:
    return int(getattr(settings, "CONSUMER_SESSION_REFRESH_SECONDS", 60))


def is_consumer_session(request) -> bool:
    """True when an anonymous browser holds a session (a consumer's journey)."""
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or (user is not None and user.is_authenticated):
        return False
    if not session.session_key and not session.modified:
        return False  # no session cookie and nothing stored: nothing to end
    return any(key != SEEN for key in session.keys())


class ConsumerSessionMiddleware:
    """End a consumer's session 30 minutes after their last request.

    The expiry is renewed at most once a minute (each renewal writes the
    session row), so a session ends between 29 and 30 minutes after the
    last request, never later. Placed after SessionMiddleware and
    AuthenticationMiddleware: it runs before the session is saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None:
            return response
        if user is not None and user.is_authenticated:
            if session.get(SEEN) is not None:
                # Logged in from a browser that had a journey: staff lifetime.
                session.pop(SEEN, None)
                session.set_expiry(None)
            return response
        if not is_consumer_session(request):
            return response
        now = int(time.time())
        seen = session.get(SEEN)
        if session.modified or not isinstance(seen, int) or now - seen >= _refresh_seconds():
            session[SEEN] = now
            session.set_expiry(_idle_seconds())
        return response
