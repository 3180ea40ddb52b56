"""Director (Commercial) dashboard, drill-down, exports and /progress/ (issue 7).

Thin: pick the unit (through organization.scoping: another unit is a 404)
and the scheme, read the figures from dashboard.queries, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dashboard import queries, reports, services
from organization.models import OrgUnit
from organization.scoping import is_discom_wide, is_staff_user, units_visible_to, user_unit
from payments.queries import latest_money_check


def _unit_for(request, unit_code: str | None) -> OrgUnit:
    if not is_staff_user(request.user):
        raise Http404
    if unit_code is None:
        unit = user_unit(request.user)
        if unit is None:  # a superuser without a profile sees the whole discom
            unit = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise Http404
        return unit
    return get_object_or_404(units_visible_to(request.user), code=unit_code)


def _scheme_for(request):
    code = request.GET.get("scheme")
    scheme = None
    if code:
        scheme = queries.selectable_schemes().filter(code=code).first()
    scheme = scheme or queries.default_scheme()
    if scheme is None:
        raise Http404
    if queries.freshness(scheme) is None:
        # First visit after setup: build the summary once; beat keeps it fresh.
        services.refresh_scheme_summary(scheme=scheme)
        services.refresh_feeding(scheme=scheme, full=True)
    return scheme


@login_required
@require_GET
def dashboard(request, unit_code: str | None = None):
    unit = _unit_for(request, unit_code)
    scheme = _scheme_for(request)
    context = reports.dashboard_context(user=request.user, scheme=scheme, unit=unit)
    if is_discom_wide(request.user):
        # DESIGN §4.2a: the Director sees the last money check (0 violations).
        context["money_check"] = latest_money_check()
        context["show_money_check"] = True
    return render(request, "dashboard/dashboard.html", context)


@login_required
@require_GET
def export_table(request, unit_code: str, fmt: str):
    unit = _unit_for(request, unit_code)
    scheme = _scheme_for(request)
    return reports.table_download(user=request.user, scheme=scheme, unit=unit, fmt=fmt)


@login_required
@require_GET
def summary_pdf(request, unit_code: str):
    unit = _unit_for(request, unit_code)
    scheme = _scheme_for(request)
    data = reports.summary_pdf_bytes(user=request.user, scheme=scheme, unit=unit)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="dashboard-{unit.code}-{scheme.code}.pdf"')
    return response


@require_GET
def progress(request):
    """Public transparency page: aggregate figures per division, no personal data."""
    scheme = _scheme_for(request)
    return render(request, "dashboard/progress.html",
                  reports.progress_context(scheme=scheme))
