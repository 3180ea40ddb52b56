"""The Redis cache, failing open: with Redis down every page still answers.

Nothing the portal keeps in the cache is the record (DESIGN §7 and issue 8):
rate-limit counters back the durable limits kept in the database, import
progress is also in its row, dashboard figures are rebuilt from the
database, session copies fall back to PostgreSQL. So a cache error must
never be a 500 — with Redis down ``/progress/``, the import pages and the
upload answered 500 from an unguarded ``cache.get``. Every operation here
logs the error and answers as an empty cache would that lets the caller go
on: reads miss, writes are dropped, ``add`` says "added" (a throttle or a
once-per-interval guard lets the request through; none of them is a lock
that protects data).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache

logger = logging.getLogger(__name__)
# Log once per this many seconds per process, not once per request.
LOG_EVERY = 30.0
_last_logged = {"at": 0.0}


def _failed(operation: str, exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_logged["at"] >= LOG_EVERY:
        _last_logged["at"] = now
        logger.warning("cache %s failed (%s); serving without the cache", operation,
                       exc.__class__.__name__)


class FailOpenRedisCache(RedisCache):
    """django-redis, failing open.

    django-redis rather than Django's own Redis backend: Django's builds a
    new ``redis.Redis`` (about 170 response callbacks set one by one) for
    every cache call; django-redis keeps one client per process. A public
    page makes two or three cache calls (its session, its rate limit), so
    that was about 4 % of the public pages' CPU (issue 18).
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception as exc:  # noqa: BLE001 - any Redis client error
            _failed("add", exc)
            return True

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as exc:  # noqa: BLE001
            _failed("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except Exception as exc:  # noqa: BLE001
            _failed("set", exc)
            return None

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except Exception as exc:  # noqa: BLE001
            _failed("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as exc:  # noqa: BLE001
            _failed("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as exc:  # noqa: BLE001
            _failed("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as exc:  # noqa: BLE001
            _failed("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key, as with every backend
        except Exception as exc:  # noqa: BLE001
            _failed("incr", exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except Exception as exc:  # noqa: BLE001
            _failed("set_many", exc)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except Exception as exc:  # noqa: BLE001
            _failed("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except Exception as exc:  # noqa: BLE001
            _failed("clear", exc)
            return False


def redis_cache(url: str, *, key_prefix: str = "redportal") -> dict:
    """Return the CACHES entry for Redis at ``url`` (settings.py, and tests)."""
    return {
        "BACKEND": "redportal.cache.FailOpenRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        # A Redis that does not answer costs a request at most a second.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
