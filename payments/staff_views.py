"""Staff pages of the payments app: consumers' missing-payment reports.

A person whose money was taken but whose registration does not show it
reports the bank reference (``payments:report_missing``); the portal asks the
bank at once. Reports the bank could not settle wait here, in the
sub-division's jurisdiction, until an officer says what was done.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organization.scoping import staff_required
from payments import queries, services
from payments.forms import ResolveMissingForm

STATES = ("open", "resolved", "all")


@staff_required
@require_GET
def missing_reports(request):
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    page = Paginator(queries.missing_reports(request.user, state=state), 50).get_page(
        request.GET.get("page"))
    return render(request, "payments/staff/missing_list.html", {
        "page": page, "state": state, "states": STATES,
    })


def _detail(request, report, form, status: int = 200):
    return render(request, "payments/staff/missing_detail.html", {
        "report": report, "form": form,
        "ledger": queries.payments_for_registration(report.registration),
    }, status=status)


@staff_required
@require_GET
def missing_report(request, pk: int):
    return _detail(request, queries.missing_report(request.user, pk), ResolveMissingForm())


@staff_required
@require_POST
def recheck_missing_report(request, pk: int):
    report = queries.missing_report(request.user, pk)
    unanswered = services.recheck_missing_report(report=report)
    if report.found:
        messages.success(request, _("The payment was found and is credited to the "
                                    "registration."))
    elif unanswered:
        messages.warning(request, _("The bank did not answer; it will be asked again "
                                    "automatically."))
    else:
        messages.info(request, _("The bank has no successful payment with this "
                                 "reference yet."))
    return redirect("payments:missing_report", pk=report.pk)


@staff_required
@require_POST
def resolve_missing_report(request, pk: int):
    report = queries.missing_report(request.user, pk)
    if report.resolved_at is not None:
        messages.error(request, _("This report was already resolved."))
        return redirect("payments:missing_report", pk=report.pk)
    form = ResolveMissingForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_missing_report(report=report, officer=request.user,
                                            resolution=form.cleaned_data["resolution"])
        except services.PaymentError as exc:
            form.add_error("resolution", str(exc))
        else:
            messages.success(request, _("The report is resolved."))
            return redirect("payments:missing_reports")
    return _detail(request, report, form, status=400)
