"""Who may call the API: bearer tokens, scopes, a throttle per client (DESIGN §8)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling

from api.models import ApiClient
from api.services import hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``: the client's service user and the client.

    The token is looked up by its hash (an indexed equality on a value the
    caller cannot steer), so no token is ever compared character by character.
    """

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed() from exc
        client = (ApiClient.objects.select_related("unit", "service_user")
                  .filter(token_hash=hash_token(token)).first())
        if client is None or not client.active or not client.service_user.is_active:
            raise exceptions.AuthenticationFailed()
        return client.service_user, client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


class HasScope(permissions.BasePermission):
    """The view's ``required_scopes[method]`` must be among the client's scopes."""

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            return False
        scope = getattr(view, "required_scopes", {}).get(request.method)
        return scope is None or client.has_scope(scope)


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """A request budget per client (``API_CLIENT_THROTTLE_RATE``, e.g. "1200/min")."""

    scope = "api_client"

    def get_rate(self):
        return settings.API_CLIENT_THROTTLE_RATE

    def get_cache_key(self, request, view):
        client = client_of(request)
        if client is None:
            return None
        # The token hash, not the row id: ids are reused by test databases
        # and the throttle's counts live in a shared cache.
        return f"api-throttle:{client.token_hash[:24]}"
