"""Response headers Django does not set by itself (DESIGN §7)."""

from django.conf import settings

# No inline scripts anywhere: every script is a static file of the portal's.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith(("/staff/", "/ots/", "/dashboard/", "/accounts/")):
            # Personal data and money: never kept by shared browsers or proxies.
            response.setdefault("Cache-Control", "no-store")
        if getattr(settings, "DEBUG", False):
            response.headers.pop("Strict-Transport-Security", None)
        return response
