"""Queueing Celery tasks so that a broker outage never loses work or a page.

Tasks are queued after the surrounding transaction commits. If the broker is
down at that moment the page still answers; the work stays recorded in the
database (a queued SMS, an uploaded import) and a periodic sweep queues it
again once the broker is back (redportal/schedules.py).
"""

from __future__ import annotations

import logging

from django.db import transaction

from redportal import health

logger = logging.getLogger(__name__)


def broker_available() -> bool:
    """Return True when tasks can be queued now (always True when eager)."""
    return health.check_broker() is None


def enqueue(task, *args, **kwargs) -> bool:
    """Queue ``task`` now; on a broker failure log it and return False."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds
        logger.warning("could not queue %s (%s); a sweep will retry it",
                       task.name, exc.__class__.__name__)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue ``task`` once the current transaction commits (see :func:`enqueue`)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
