"""Staff login is locked after 5 failures (django-axes, DESIGN §7)."""

from __future__ import annotations

import pytest
from django.conf import settings

LOGIN = "/accounts/login/"


def _attempt(client, password):
    return client.post(LOGIN, {"username": "je_aminabad", "password": password},
                       REMOTE_ADDR="203.0.113.7")


@pytest.mark.django_db
def test_correct_password_logs_in(client, users):
    response = _attempt(client, settings.DEMO_PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_lockout_after_five_failures(client, users):
    assert settings.LOGIN_FAILURES_PER_ADDRESS == 5
    for _ in range(4):
        response = _attempt(client, "not-the-password")
        assert response.status_code == 200  # the form again, with an error
    response = _attempt(client, "not-the-password")
    assert response.status_code in (403, 429)
    # Locked: even the right password does not log in now.
    response = _attempt(client, settings.DEMO_PASSWORD)
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_user_and_address(client, users):
    """Another officer on the same address is not locked out by someone else."""
    for _ in range(5):
        _attempt(client, "not-the-password")
    response = client.post(
        LOGIN, {"username": "je_chowk", "password": settings.DEMO_PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
