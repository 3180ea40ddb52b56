"""A real task goes through Redis to a real worker process (PostgreSQL run)."""

import pytest

from redportal.celery import ping


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_ping_through_real_worker(celery_worker):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert celery_worker.poll() is None  # the worker is a live separate process
