"""The public /progress/ page of the dashboard (issue 7); staff pages are in staff_views.

Thin: pick the scheme, read the figures from dashboard.reports, render.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboard import queries, reports, services


def scheme_for(request):
    """Return the scheme the page asks for (``?scheme=``), else the default one."""
    code = request.GET.get("scheme")
    scheme = None
    if code:
        scheme = queries.selectable_schemes().filter(code=code).first()
    scheme = scheme or queries.default_scheme()
    if scheme is None:
        raise Http404
    if queries.freshness(scheme) is None:
        # First visit after setup: build the summary once; beat keeps it fresh.
        services.scheme_summary_refresh(scheme=scheme)
        services.feeding_refresh(scheme=scheme, full=True)
    return scheme


@require_GET
def progress(request):
    """Public transparency page: aggregate figures per division, no personal data."""
    scheme = scheme_for(request)
    return render(request, "dashboard/progress.html",
                  reports.progress_context(scheme=scheme))
