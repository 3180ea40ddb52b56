"""Queueing Celery tasks so that a broker outage never loses work or a page.

Tasks are queued after the surrounding transaction commits. If the broker is
down at that moment the page still answers; the work stays recorded in the
database (a queued SMS, an uploaded import) and a periodic sweep queues it
again once the broker is back (redportal/schedules.py).
"""

from __future__ import annotations

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)


_BROKER_STATE: dict[str, float | bool] = {"checked": 0.0, "ok": True}
BROKER_CHECK_SECONDS = 5.0


def broker_available() -> bool:
    """Return True when tasks can be queued now (always True when eager).

    The answer is kept for a few seconds per process: on the last day of a
    phase every OTP send asks, and a fresh broker connection each time costs
    more than the page.
    """
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return True
    now = time.monotonic()
    if now - float(_BROKER_STATE["checked"]) > BROKER_CHECK_SECONDS or \
            _BROKER_STATE.get("url") != settings.CELERY_BROKER_URL:
        _BROKER_STATE.update(checked=now, ok=check_broker() is None,
                             url=settings.CELERY_BROKER_URL)
    return bool(_BROKER_STATE["ok"])


def check_broker() -> str | None:
    """Return None when the Celery broker answers (or none is configured), else the reason."""
    from celery import current_app
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url:
        return None
    try:
        with current_app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            conn.default_channel  # noqa: B018 - opening the channel is the check
    except Exception as exc:  # noqa: BLE001
        return f"broker: {exc.__class__.__name__}"
    return None


def enqueue(task, *args, queue: str | None = None, **kwargs) -> bool:
    """Queue ``task`` now (on ``queue``, else its route); on a broker failure return False."""
    try:
        task.apply_async(args=args, kwargs=kwargs, **({"queue": queue} if queue else {}))
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds
        logger.warning("could not queue %s (%s); a sweep will retry it",
                       task.name, exc.__class__.__name__)
        return False
    return True


def enqueue_on_commit(task, *args, queue: str | None = None, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits (see :func:`enqueue`)."""
    transaction.on_commit(lambda: enqueue(task, *args, queue=queue, **kwargs))
