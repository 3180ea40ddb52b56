"""Response headers Django does not set by itself (DESIGN §7), and a clean
answer while the database is unreachable."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest

from core.csp import CONTENT_SECURITY_POLICY

logger = logging.getLogger(__name__)

# Plain bilingual text: rendering a template would need the database again
# (sessions, the user) while it is down.
UNAVAILABLE_PAGE = """<!doctype html><html lang="hi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RED portal: temporarily unavailable</title></head><body>
<h1>सेवा अस्थायी रूप से उपलब्ध नहीं है</h1>
<p>कृपया कुछ मिनट बाद पुनः प्रयास करें। आपका कोई भुगतान या जानकारी नष्ट नहीं हुई है।</p>
<h1 lang="en">Temporarily unavailable</h1>
<p lang="en">Please try again in a few minutes. No payment or data of yours has been lost.</p>
</body></html>"""


class DatabaseUnavailableMiddleware:
    """Answer 503 with a retry hint when the database connection fails.

    A restart of PostgreSQL under load must fail requests cleanly; Django
    reconnects by itself on the next request (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.warning("database unavailable: %s", exception.__class__.__name__)
            response = HttpResponse(UNAVAILABLE_PAGE, status=503)
            response["Retry-After"] = "30"
            response["Cache-Control"] = "no-store"
            return response
        return None


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


BAD_INPUT_PAGE = """<!doctype html><html lang="hi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RED portal: bad request</title></head><body>
<h1>अनुरोध पढ़ा नहीं जा सका</h1>
<p>इसमें ऐसे अक्षर हैं जो किसी फ़ॉर्म में नहीं होते। कृपया पिछले पृष्ठ पर लौटकर फिर से लिखें।</p>
<h1 lang="en">The request could not be read</h1>
<p lang="en">It holds characters no form has. Please go back and type it again.</p>
</body></html>"""
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals)
               for key, vals in values.lists())


API_PREFIX = "/api/"


class RefuseNulMiddleware:
    """Answer 400 to a NUL byte anywhere a person's text comes in (DESIGN §7).

    PostgreSQL cannot hold NUL in text, and psycopg refuses it in any query
    parameter, so a NUL reaching a query (a URL argument, a raw GET/POST
    value, a cookie) was a 500. No form, URL or cookie of the portal ever
    carries one, so it is refused here once instead of in every view.
    Form bodies are checked only for views that read them as forms (not the
    CSRF-exempt gateway callbacks, which read the raw body).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            # The integration API refuses NUL itself, in its JSON error shape
            # (DESIGN §8: machine clients get {"code", "message_hi", …}).
            return self.get_response(request)
        if ("\x00" in request.path_info or _holds_nul(request.GET)
                or any("\x00" in v for v in request.COOKIES.values())):
            return _bad_input()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        if not request.content_type.startswith(FORM_TYPES):
            return None
        return _bad_input() if _holds_nul(request.POST) else None


def _bad_input():
    return HttpResponseBadRequest(BAD_INPUT_PAGE)
