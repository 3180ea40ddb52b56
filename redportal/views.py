"""Pages that belong to no single app: home, health, staff landing page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organization.scoping import staff_required, user_unit
from ots_scheme.queries import scheme_cards
from redportal import health
from redportal.money import today_ist


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
    from theft_cases.actions import escalated_count, is_senior

    if is_senior(request.user):
        context["escalated_actions"] = escalated_count(request.user)
    from payments.queries import missing_reports

    context["open_missing_reports"] = missing_reports(request.user).count()
    return render(request, "staff_home.html", context)
