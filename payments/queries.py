"""Reads of the payments app shared by views, PDFs and other apps."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from organization.scoping import is_staff_user, visible_to
from ots_scheme.models import Registration
from payments.models import (
    LedgerAuditRun,
    LedgerEntry,
    MissingPaymentReport,
    Payment,
    PaymentPurpose,
    PaymentStatus,
)
from payments.services import PaymentError, amount_due

SESSION_KEY = "ots_registrations"


def consumer_registration_numbers(request) -> list[str]:
    """Registration numbers this browser proved by OTP (set by the consumers app)."""
    numbers = request.session.get(SESSION_KEY) or []
    return [str(n) for n in numbers] if isinstance(numbers, list | tuple) else []


def registration_for_request(request, registration_number: str) -> Registration:
    """Return the registration if this browser or officer may see it, else 404.

    A consumer whose session holds the number (after OTP), or a staff user whose
    jurisdiction covers it; anyone else gets the same 404 as for a missing one.
    """
    queryset = Registration.objects.select_related("case", "scheme", "sub_division", "phase")
    if registration_number in consumer_registration_numbers(request):
        return get_object_or_404(queryset, registration_number=registration_number)
    if is_staff_user(request.user):
        return get_object_or_404(
            visible_to(request.user, queryset), registration_number=registration_number
        )
    raise Http404


def staff_registration(user, registration_number: str) -> Registration:
    """Return a registration inside ``user``'s jurisdiction, else 404."""
    return get_object_or_404(
        visible_to(user, Registration.objects.select_related("case", "sub_division")),
        registration_number=registration_number,
    )


def payment_by_order(order_id: str) -> Payment:
    return get_object_or_404(
        Payment.objects.select_related("registration"), order_id=order_id
    )


def payment_for_request(request, order_id: str) -> Payment:
    """Return the payment if its registration is visible to this browser/officer."""
    payment = payment_by_order(order_id)
    registration_for_request(request, payment.registration.registration_number)
    return payment


def may_see_payment(request, payment: Payment) -> bool:
    """True if this browser (after OTP) or officer may see the payment's details."""
    if payment.registration.registration_number in consumer_registration_numbers(request):
        return True
    return is_staff_user(request.user) and visible_to(
        request.user, Registration.objects.filter(pk=payment.registration_id)).exists()


def payments_for_registration(registration: Registration):
    """The ledger of one registration, oldest first (for detail pages)."""
    return (
        Payment.objects.filter(registration=registration)
        .select_related("recorded_by")
        .order_by("created_at")
    )


def successful_payment(registration: Registration, purpose: str) -> Payment | None:
    """Return the credited payment of ``purpose`` (the first success), if any."""
    return (
        Payment.objects.filter(registration=registration, purpose=purpose,
                               status=PaymentStatus.SUCCESS)
        .order_by("paid_at", "id")
        .first()
    )


def amounts_due(registration: Registration) -> dict[str, object]:
    """Return {purpose: amount} for what can be paid on ``registration`` now."""
    due = {}
    for purpose in (PaymentPurpose.REGISTRATION_FEE, PaymentPurpose.BALANCE):
        try:
            due[purpose] = amount_due(registration=registration, purpose=purpose)
        except PaymentError:
            continue
    return due


def missing_reports(user, *, state: str = "open"):
    """Missing-payment reports inside ``user``'s jurisdiction, newest first.

    ``state``: "open" (not resolved yet), "resolved" or "all".
    """
    reports = visible_to(user, MissingPaymentReport.objects.select_related(
        "registration", "registration__case", "sub_division", "payment", "resolved_by"))
    if state == "open":
        reports = reports.filter(resolved_at__isnull=True)
    elif state == "resolved":
        reports = reports.filter(resolved_at__isnull=False)
    return reports.order_by("-created_at", "-pk")


def missing_report(user, pk: int):
    """Return one report inside ``user``'s jurisdiction, else 404."""
    return get_object_or_404(missing_reports(user, state="all"), pk=pk)


def successful_payments(registration: Registration) -> list[Payment]:
    """Return the registration's successful payments, oldest first."""
    return list(Payment.objects.filter(registration=registration, status=PaymentStatus.SUCCESS)
                .order_by("paid_at", "id"))


def ledger_entries(registration: Registration):
    """Return the money ledger of a registration: credits and refunds, in order."""
    return (LedgerEntry.objects.filter(registration=registration)
            .select_related("payment", "recorded_by").order_by("id"))


def registration_for_staff(user, registration_number: str) -> Registration:
    """Return a registration inside ``user``'s jurisdiction, else 404."""
    return get_object_or_404(
        visible_to(user, Registration.objects.select_related("case", "scheme", "sub_division")),
        registration_number=registration_number,
    )


def latest_money_check():
    """Return the last kept ``audit_ledger`` run, or None before the first."""
    return LedgerAuditRun.objects.order_by("-ran_at", "-pk").first()


# --- Answers registered with ots_scheme.money_facts (DESIGN §2: payments calls down) ---


def payments_in_flight():
    """Payments still waiting for the bank: a registration with one is not expired."""
    return Payment.objects.filter(status__in=[PaymentStatus.INITIATED, PaymentStatus.PENDING])


def fee_payments_succeeded():
    """Successful registration-fee payments (the freeze time, money on a dead registration)."""
    return Payment.objects.filter(purpose=PaymentPurpose.REGISTRATION_FEE,
                                  status=PaymentStatus.SUCCESS)


# --- The staff case page (theft_cases.queries.on_case_page) ----------------------

def registrations_on_case_page(case) -> None:
    """Give the staff case page the case's registrations, each with its payments."""
    case.registration_list = list(
        Registration.objects.filter(case=case).select_related("scheme")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("-created_at")))
        .order_by("-created_at")
    )
