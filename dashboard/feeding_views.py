"""Staff pages of feeding coverage: every division's count of cases to feed (issue 16).

Thin: the division comes through organization.scoping (another unit's is a
404), the figures from dashboard.feeding_queries, writes from dashboard.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dashboard import feeding_queries, queries, services
from dashboard.forms import FeedingTargetForm
from organization.models import OrgUnit
from organization.scoping import staff_required, user_unit


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
        services.refresh_feeding(scheme=scheme, full=True)  # first visit after setup
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
