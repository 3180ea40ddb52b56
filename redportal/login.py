"""Staff login: bounded input and a lockout per account as well as per address.

DESIGN §7. django-axes counts failures per (username, address) and per
username alone (``AXES_LOCKOUT_PARAMETERS``); :func:`failure_limit` gives the
two different limits — a few guesses from one address, a few more across
all addresses — so guesses spread over many addresses still stop.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum


def failure_limit(request, credentials) -> int:
    """Return the failure limit axes compares with its largest count.

    axes locks out when ``max(failures from this address, failures from
    every address) >= limit``. The per-address limit applies once this
    address alone has reached it; otherwise the (higher) per-account limit.
    """
    from axes.handlers.proxy import AxesProxyHandler

    per_address = int(settings.LOGIN_FAILURES_PER_ADDRESS)
    per_account = int(settings.LOGIN_FAILURES_PER_ACCOUNT)
    handler = AxesProxyHandler.get_implementation()
    try:
        # The first lockout parameter is (username, ip_address): settings.py.
        from_here = handler.get_user_attempts(request, credentials)[0]
        count = from_here.aggregate(n=Sum("failures_since_start"))["n"] or 0
    except (AttributeError, IndexError, TypeError):
        # A handler without per-attempt rows: the stricter limit for all.
        return min(per_address, per_account)
    return per_address if count >= per_address else per_account


class BoundedUsernameMixin:
    """Validate the username's length before anything looks it up.

    Django's AuthenticationForm sets ``max_length`` on the username field
    after the field is built, so no length validator runs: a 10,000-character
    name reached ``authenticate`` and axes' 255-character column (a 500).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        limit = field.max_length or 150
        if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
            field.validators.append(MaxLengthValidator(limit))


class StaffLoginForm(BoundedUsernameMixin, AuthenticationForm):
    """The login form of ``/accounts/login/``."""


class StaffAdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The login form of ``/admin/login/``."""
