"""Asking the bank: status queries, the sweeps' lists, consumers' missing-payment
reports, and the nightly money check's record.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import IST, today_ist
from ots_scheme.models import Registration
from payments.gateways import (
    GatewayError,
    get_gateway,
)
from payments.models import (
    LedgerAuditRun,
    MissingPaymentReport,
    Payment,
    PaymentMode,
    PaymentStatus,
)
from payments.services.base import OPEN_STATUSES, PaymentError
from payments.services.notices import notice_apply


def payment_reconcile(*, payment_id: int, source: str = "status_query") -> str:
    """Ask the bank about one payment and apply its answer; return the outcome.

    Raises ``GatewayError`` when the bank cannot answer (the task retries).
    """
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or payment.mode != PaymentMode.ONLINE:
        return "skipped"
    if payment.status == PaymentStatus.SUCCESS:
        return "final"
    gateway = get_gateway()
    if payment.gateway != gateway.name:
        return "skipped"
    # Outside the transaction: a bank's slow answer must not hold a row lock.
    notice = gateway.query_status(order_id=payment.order_id)
    return notice_apply(notice=notice, source=source, gateway_name=gateway.name)


def payments_to_reconcile(*, older_than: dt.timedelta) -> list[int]:
    """Return ids of open online payments created more than ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return list(
        Payment.objects.filter(mode=PaymentMode.ONLINE, status__in=OPEN_STATUSES,
                               created_at__lte=cutoff)
        .order_by("created_at").values_list("id", flat=True)
    )


def days_payments_to_reconcile(*, day: dt.date | None = None) -> list[int]:
    """Return ids of the day's (IST) online payments not yet successful."""
    day = day or today_ist()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=IST)
    return list(
        Payment.objects.filter(
            mode=PaymentMode.ONLINE, created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=1),
        )
        .exclude(status=PaymentStatus.SUCCESS)
        .order_by("created_at").values_list("id", flat=True)
    )


def missing_report_create(*, registration: Registration, bank_reference: str
                          ) -> MissingPaymentReport:
    """Record a consumer's "money taken, not shown" report and ask the bank now.

    Every not-yet-successful online payment of the registration is queried at
    once; the report remembers whether a payment was found.
    """
    reference = (bank_reference or "").strip()
    if not reference or len(reference) > 64:
        raise PaymentError(_("Enter the bank reference shown by your bank (up to 64 characters)."))
    _ask_bank(registration, source="reported_missing")
    found = _payment_with_reference(registration, reference)
    return MissingPaymentReport.objects.create(
        registration=registration, sub_division=registration.sub_division,
        bank_reference=reference, payment=found, found=found is not None,
    )


def _ask_bank(registration: Registration, *, source: str) -> int:
    """Query the bank about each unfinished online payment; retry later if it is silent.

    Returns how many payments the bank did not answer for (queued again).
    """
    ids = list(
        Payment.objects.filter(registration=registration, mode=PaymentMode.ONLINE)
        .exclude(status=PaymentStatus.SUCCESS)
        .values_list("id", flat=True)
    )
    unanswered = []
    for payment_id in ids:
        try:
            payment_reconcile(payment_id=payment_id, source=source)
        except GatewayError:
            unanswered.append(payment_id)
    if unanswered:
        # function-level: a cycle, payments.tasks imports payments.services at module level
        from payments.tasks import query_payment_status

        for payment_id in unanswered:
            transaction.on_commit(lambda pk=payment_id: query_payment_status.delay(pk),
                                  robust=True)
    return len(unanswered)


def _payment_with_reference(registration: Registration, reference: str) -> Payment | None:
    return (Payment.objects.filter(registration=registration, status=PaymentStatus.SUCCESS)
            .filter(gateway_reference=reference).first())


def missing_report_recheck(*, report: MissingPaymentReport) -> int:
    """Ask the bank again for an open report; note the payment if it is found now.

    Returns how many payments the bank did not answer for (asked again later
    by the status-query task).
    """
    unanswered = _ask_bank(report.registration, source="reported_missing")
    found = _payment_with_reference(report.registration, report.bank_reference)
    if found is not None and not report.found:
        report.found, report.payment = True, found
        report.save(update_fields=["found", "payment"])
    return unanswered


@transaction.atomic
def missing_report_resolve(*, report: MissingPaymentReport, officer,
                           resolution: str) -> MissingPaymentReport:
    """Close a report with what was done; refuse an empty note or a second close."""
    note = (resolution or "").strip()
    if not note:
        raise PaymentError(_("Say what was done about this payment."))
    if len(note) > 500:
        raise PaymentError(_("Keep the note under 500 characters."))
    report = MissingPaymentReport.objects.select_for_update().get(pk=report.pk)
    if report.resolved_at is not None:
        raise PaymentError(_("This report was already resolved."))
    report.resolved_at, report.resolved_by, report.resolution = timezone.now(), officer, note
    report._history_user = officer
    report.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return report


def audit_run_record(*, result) -> LedgerAuditRun:
    """Keep an ``audit_ledger`` result (the dashboard shows the last one)."""
    return LedgerAuditRun.objects.create(
        checked=result.checked, violations=result.total_violations, seconds=result.seconds,
        result=result.as_json(),
    )
