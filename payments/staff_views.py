"""Staff pages of the payments app: counter receipts, missing-payment reports, held
money, money checks.

A person whose money was taken but whose registration does not show it
reports the bank reference (``payments:report_missing``); the portal asks the
bank at once. Reports the bank could not settle wait here, in the
sub-division's jurisdiction, until an officer says what was done.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import today_ist
from organization.models import Role
from organization.scoping import is_discom_wide, staff_required
from ots_scheme.lifecycle import RegistrationError, registration_held_apply
from payments import queries, services
from payments.forms import CounterPaymentForm, HeldApplyForm, RefundForm, ResolveMissingForm

STATES = ("open", "resolved", "all")


@staff_required
@require_http_methods(["GET", "POST"])
def counter_payment(request, registration_number: str):
    """Staff record a cash / cheque / DD receipt into the ledger."""
    registration = queries.staff_registration(request.user, registration_number)
    due = queries.amounts_due(registration)
    initial = {"received_on": today_ist()}
    if due:
        purpose, amount = next(iter(due.items()))
        initial.update(purpose=purpose, amount=f"{amount:.2f}")
    form = CounterPaymentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            payment = services.counter_payment_record(
                registration=registration, officer=request.user, **form.cleaned_data
            )
        except services.PaymentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Receipt %(receipt)s recorded.") % {
                "receipt": payment.receipt_number})
            return redirect("payments:counter_payment", registration_number)
    response = render(request, "payments/counter_payment.html", {
        "registration": registration,
        "form": form,
        "due": {key: f"{value:.2f}" for key, value in due.items()},
        "ledger": queries.payments_for_registration(registration),
    })
    response["Cache-Control"] = "no-store"
    return response


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
def missing_report_recheck(request, pk: int):
    report = queries.missing_report(request.user, pk)
    unanswered = services.missing_report_recheck(report=report)
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
def missing_report_resolve(request, pk: int):
    report = queries.missing_report(request.user, pk)
    if report.resolved_at is not None:
        messages.error(request, _("This report was already resolved."))
        return redirect("payments:missing_report", pk=report.pk)
    form = ResolveMissingForm(request.POST)
    if form.is_valid():
        try:
            services.missing_report_resolve(report=report, officer=request.user,
                                            resolution=form.cleaned_data["resolution"])
        except services.PaymentError as exc:
            form.add_error("resolution", str(exc))
        else:
            messages.success(request, _("The report is resolved."))
            return redirect("payments:missing_reports")
    return _detail(request, report, form, status=400)


# Held money (DESIGN §4.2a) and the money checks ------------------------------

HELD_MONEY_ROLES = {Role.SDO, Role.XEN, Role.SE, Role.CE, Role.DIRECTOR}


def _may_resolve_held(user) -> bool:
    """SDO and above decide what happens to held money (not JE, not IT support)."""
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.role in HELD_MONEY_ROLES


def _held_page(request, registration, *, apply_form=None, refund_form=None, status=200):
    successful = queries.successful_payments(registration)
    return render(request, "payments/staff/held_money.html", {
        "registration": registration,
        "may_resolve": _may_resolve_held(request.user),
        "entries": queries.ledger_entries(registration),
        "ledger": queries.payments_for_registration(registration),
        "apply_form": apply_form or HeldApplyForm(),
        "refund_form": refund_form or RefundForm(payments=successful),
    }, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def held_money(request, registration_number: str):
    registration = queries.registration_for_staff(request.user, registration_number)
    if request.method == "GET":
        return _held_page(request, registration)
    if not _may_resolve_held(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    successful = queries.successful_payments(registration)
    if action == "apply":
        form = HeldApplyForm(request.POST)
        if form.is_valid():
            try:
                registration_held_apply(registration=registration, officer=request.user,
                                        note=form.cleaned_data["note"])
            except RegistrationError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, _("The held money was applied."))
                return redirect("payments:held_money", registration.registration_number)
        return _held_page(request, registration, apply_form=form, status=400)
    form = RefundForm(request.POST, payments=successful)
    if form.is_valid():
        payment = next(p for p in successful if str(p.pk) == form.cleaned_data["payment"])
        try:
            if form.cleaned_data["through_bank"]:
                services.refund_send(
                    registration=registration, payment=payment,
                    amount=form.cleaned_data["amount"], officer=request.user,
                    note=form.cleaned_data["note"])
            else:
                services.refund_record(registration=registration, payment=payment,
                                       amount=form.cleaned_data["amount"],
                                       reference=form.cleaned_data["reference"],
                                       officer=request.user, note=form.cleaned_data["note"])
        except services.PaymentError as err:
            form.add_error(None, str(err))
        else:
            messages.success(request, _("The refund was recorded."))
            return redirect("payments:held_money", registration.registration_number)
    return _held_page(request, registration, refund_form=form, status=400)


@staff_required
@require_GET
def money_checks(request):
    """The last ``audit_ledger`` result, for IT support and the Director."""
    if not is_discom_wide(request.user):
        raise Http404
    return render(request, "payments/staff/money_checks.html",
                  {"run": queries.latest_money_check()})
