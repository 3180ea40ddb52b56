"""Per-client rate limits for public pages (django-ratelimit on the cache).

One decorator for every throttled public view, keyed on the client address
resolved by ``common.clientip``.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from common.clientip import ratelimit_key

logger = logging.getLogger(__name__)


def ratelimited(request, exception=None):
    """Answer a throttled request with a page in the person's language (429)."""
    return render(request, "consumers/ratelimited.html", status=429)


def throttle(*, rate, method):
    """Limit a view per client IP; past the limit answer :func:`ratelimited`.

    django-ratelimit counts in the cache (Redis when configured, so every web
    process shares the count); the 429 page is answered here rather than by
    its middleware, which the project does not install. When the cache is
    down the page still serves (fail open): the durable limits that matter —
    3 OTPs per mobile per hour, 5 tries per OTP — are kept in the database.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                limited = is_ratelimited(
                    request, group=f"{view.__module__}.{view.__name__}",
                    key=ratelimit_key, rate=rate, method=method, increment=True,
                )
            except Exception as exc:  # noqa: BLE001 - the cache backend's own errors
                logger.warning("rate limit unavailable (%s); serving without it",
                               exc.__class__.__name__)
                limited = False
            if limited:
                return ratelimited(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
