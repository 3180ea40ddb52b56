"""Director (Commercial) dashboard, drill-down, exports and /progress/ (issue 7).

Thin: pick the unit (through organization.scoping: another unit is a 404)
and the scheme, read the figures from dashboard.queries, render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dashboard import queries, reports, services
from organization.models import OrgUnit
from organization.scoping import (
    is_discom_wide,
    is_staff_user,
    staff_required,
    units_visible_to,
    user_unit,
    visible_to,
)
from payments import ledger_feed
from payments.models import LedgerEntry
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


@staff_required
@require_GET
def unposted_ledger(request):
    """Ledger entries billing has not confirmed 24 h after they were recorded (§8)."""
    entries = ledger_feed.unposted_entries(visible_to(request.user, LedgerEntry.objects.all()))
    division = request.GET.get("division", "")[:40]
    if division:
        entries = entries.filter(sub_division__parent__code=division)
    entries = entries.select_related(
        "registration", "registration__case", "payment", "sub_division"
    ).order_by("created_at", "id")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "dashboard/unposted.html", {
        "page": page, "division": division,
        "query": urlencode({"division": division}) if division else "",
    })
