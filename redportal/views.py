"""Pages that belong to no single app: home, health, staff landing page."""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.dates import today_ist
from organization.scoping import staff_required, user_unit
from ots_scheme.queries import scheme_cards
from redportal import health


@require_GET
def home(request):
    """Explain the scheme: phases, the current one and the days left in it."""
    today = today_ist()
    schemes = scheme_cards(today)
    # The calculator block (ots_scheme): quoted when the amounts are in the URL.
    from ots_scheme.views import calculator_context

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


@staff_required
def staff_home(request):
    """Land an officer on their work: links into their jurisdiction."""
    context = {"unit": user_unit(request.user)}
    # Defaulters: escalated action items, for the Executive Engineer and above.
    from defaulters.queries import escalated_count, is_senior

    if is_senior(request.user):
        context["escalated_actions"] = escalated_count(request.user)
    from payments.queries import missing_reports

    context["open_missing_reports"] = missing_reports(request.user).count()
    from consumers.queries import pending_mobile_changes

    context["pending_mobile_changes"] = pending_mobile_changes(request.user).count()
    return render(request, "staff_home.html", context)


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
