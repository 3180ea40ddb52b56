"""The client's address, resolved in one place (LIBRARIES.md).

Behind nginx every request comes from the proxy, so rate limits and login
lockouts would lump all people together. ``CLIENT_IP_HEADER`` names the
request header the proxy overwrites with the real address (the nginx example
in deploy/ sets ``X-Real-IP``); without it, or when the header is missing,
the socket address is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """Return the client's IP address as text ("" when unknown)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "") or ""
    if header:
        value = request.META.get(header, "").split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "") or ""


def ratelimit_key(group, request) -> str:
    """Key for django-ratelimit: the resolved client address."""
    return client_ip(request)
