"""Staff pages of the dashboard: the Director's figures, drill-down, exports,
feeding coverage (issues 7, 16) and the unposted ledger (§8).

Thin: the unit or division comes through organization.scoping (another
unit's is a 404) and the scheme from the request; figures come from
dashboard.queries / reports / feeding_queries, writes from dashboard.services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dashboard import feeding_queries, queries, reports, services
from dashboard.forms import FeedingTargetForm
from dashboard.views import scheme_for
from organization.models import OrgUnit
from organization.scoping import (
    is_discom_wide,
    staff_required,
    units_visible_to,
    user_unit,
    visible_to,
)
from payments import ledger_feed
from payments.models import LedgerEntry
from payments.queries import latest_money_check


def _unit_for(request, unit_code: str | None) -> OrgUnit:
    if unit_code is None:
        unit = user_unit(request.user)
        if unit is None:  # a superuser without a profile sees the whole discom
            unit = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
        if unit is None:
            raise Http404
        return unit
    return get_object_or_404(units_visible_to(request.user), code=unit_code)


@staff_required
@require_GET
def dashboard(request, unit_code: str | None = None):
    unit = _unit_for(request, unit_code)
    scheme = scheme_for(request)
    context = reports.dashboard_context(user=request.user, scheme=scheme, unit=unit)
    if is_discom_wide(request.user):
        # DESIGN §4.2a: the Director sees the last money check (0 violations).
        context["money_check"] = latest_money_check()
        context["show_money_check"] = True
    return render(request, "dashboard/dashboard.html", context)


@staff_required
@require_GET
def export_table(request, unit_code: str, fmt: str):
    unit = _unit_for(request, unit_code)
    scheme = scheme_for(request)
    return reports.table_download(user=request.user, scheme=scheme, unit=unit, fmt=fmt)


@staff_required
@require_GET
def summary_pdf(request, unit_code: str):
    unit = _unit_for(request, unit_code)
    scheme = scheme_for(request)
    data = reports.summary_pdf_bytes(user=request.user, scheme=scheme, unit=unit)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="dashboard-{unit.code}-{scheme.code}.pdf"')
    return response


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


# --- Feeding coverage: every division's count of cases to feed (issue 16) ---------


def _scheme(request):
    code = request.GET.get("scheme") or request.POST.get("scheme")
    scheme = queries.selectable_schemes().filter(code=code).first() if code else None
    scheme = scheme or queries.default_scheme()
    if scheme is None:
        raise Http404
    return scheme


@staff_required
def feeding_list(request):
    scheme = _scheme(request)
    unit = user_unit(request.user) or OrgUnit.objects.filter(
        parent__isnull=True).order_by("path").first()
    if feeding_queries.feeding_freshness(scheme) is None:
        services.feeding_refresh(scheme=scheme, full=True)  # first visit after setup
    return render(request, "dashboard/feeding.html", {
        "scheme": scheme, "schemes": queries.selectable_schemes(), "unit": unit,
        "feeding": feeding_queries.feeding_coverage(user=request.user, scheme=scheme,
                                                    unit=unit),
        "feeding_refresh": feeding_queries.feeding_freshness(scheme),
    })


@staff_required
@require_http_methods(["GET", "POST"])
def feeding_edit(request, division_code: str):
    scheme = _scheme(request)
    division = feeding_queries.division_for_target(request.user, division_code)
    if division is None:
        raise Http404
    may_enter = feeding_queries.may_enter_target(request.user, division)
    target = feeding_queries.target_of(scheme=scheme, division=division)
    initial = ({"cases_to_feed": target.cases_to_feed, "counted_on": target.counted_on}
               if target else None)
    form = FeedingTargetForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_enter:
            raise Http404
        if form.is_valid():
            try:
                services.feeding_target_set(scheme=scheme, division=division,
                                            user=request.user, **form.cleaned_data)
            except services.FeedingTargetError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The count of cases to feed was saved."))
                return redirect(f"{request.path}?scheme={scheme.code}")
    return render(request, "dashboard/feeding_edit.html", {
        "scheme": scheme, "division": division, "form": form, "may_enter": may_enter,
        "target": target, "history": feeding_queries.target_history(target),
    })
