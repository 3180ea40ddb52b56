"""Pages that belong to no single app: home, health, the favicon, CSRF failure.

The staff landing page is in ``redportal.staff_views``.
"""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.dates import today_ist
from ots_scheme.queries import scheme_cards
from ots_scheme.views import calculator_context
from redportal import health


@require_GET
def home(request):
    """Explain the scheme: phases, the current one and the days left in it."""
    today = today_ist()
    schemes = scheme_cards(today)
    # The calculator block (ots_scheme): quoted when the amounts are in the URL.
    context = {"schemes": schemes, "today": today, **calculator_context(request.GET)}
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Answer 200 when the database and the broker (if configured) answer."""
    problems = health.problems()
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request):
    """Serve the icon at ``/favicon.ico``, where browsers ask for it on every page."""
    path = finders.find("img/favicon.ico")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=86400"
    return response


def csrf_failure(request, reason: str = ""):
    """The CSRF refusal (settings.CSRF_FAILURE_VIEW) in the person's language.

    Django's own page is English and speaks of cookies to developers; a
    person needs only to go back, reload and try again.
    """
    return render(request, "403_csrf.html", status=403)
