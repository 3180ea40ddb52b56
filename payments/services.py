"""Every change to a payment: the only module that writes the ledger.

Money taken but not posted is the commonest complaint about UP's online OTS
payments (domain.md, "Payments and messages in practice"), so a payment moves
only on what the bank says — a verified callback or a status query — after
its order and amount are checked against what was stored. Everything heard
is appended to ``PaymentEvent``; a duplicate notice changes nothing, and a
success is never undone (DESIGN §7).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import IST, ist_date, today_ist
from core.errors import ServiceError
from core.money import format_inr
from ots_scheme import services as settlement_services
from ots_scheme.lifecycle import (
    RegistrationError,
    registration_credit,
    registration_debit,
    registration_settle_nothing_due,
)
from ots_scheme.models import Registration, RegistrationStatus
from ots_scheme.settlement import QuoteError
from payments.gateways import (
    GatewayError,
    GatewayNotice,
    InvalidCallback,
    NoticeStatus,
    PaymentGateway,
    RefundNotice,
    get_gateway,
)
from payments.models import (
    LedgerAuditRun,
    LedgerEntry,
    LedgerKind,
    MissingPaymentReport,
    Payment,
    PaymentEvent,
    PaymentMode,
    PaymentPurpose,
    PaymentStatus,
)

logger = logging.getLogger(__name__)

OPEN_STATUSES = (PaymentStatus.INITIATED, PaymentStatus.PENDING)
COUNTER_MODES = (PaymentMode.CASH, PaymentMode.CHEQUE, PaymentMode.DD)
COUNTER_GATEWAY = "counter"


class PaymentError(ServiceError):
    """Bad input or a payment that cannot be made now; the message is for people."""


def expire_after() -> dt.timedelta:
    """How long an order may stay open with the bank never having heard of it."""
    return dt.timedelta(minutes=getattr(settings, "PAYMENT_EXPIRE_AFTER_MINUTES", 120))


def _event(payment: Payment, kind: str, *, before: str = "", after: str = "",
           payload: dict | None = None) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment, kind=kind, status_before=before,
        status_after=after or payment.status, payload=payload or {},
    )


def new_order_id() -> str:
    """Return a fresh, unguessable order id such as ``OTS260104A1B2C3D4E5F6``."""
    return f"OTS{timezone.now().astimezone(IST):%y%m%d}{secrets.token_hex(6).upper()}"


# Amounts due ---------------------------------------------------------------

def amount_due(*, registration: Registration, purpose: str) -> Decimal:
    """Return what ``registration`` owes for ``purpose`` now, or raise PaymentError.

    The balance is the frozen total payable less the money actually credited
    (DESIGN §4.2a), not the quote's figure.
    """
    if purpose == PaymentPurpose.REGISTRATION_FEE:
        if registration.status != RegistrationStatus.SUBMITTED or registration.held_reason:
            raise PaymentError(_("The registration fee is not due on this registration."))
        if not registration.registration_fee or registration.registration_fee <= 0:
            raise PaymentError(_("The registration fee has not been worked out yet."))
        return registration.registration_fee
    if purpose == PaymentPurpose.BALANCE:
        if registration.status not in Registration.BALANCE_DUE_STATUSES:
            raise PaymentError(_("The balance can be paid only after the registration fee."))
        if registration.balance_due <= 0:
            raise PaymentError(_("No balance is due on this registration."))
        return registration.balance_due
    raise PaymentError(_("Unknown payment purpose."))


def end_of_ist_day(moment: dt.datetime) -> dt.datetime:
    """Return the first instant of the IST day after ``moment`` (an order's expiry)."""
    day = moment.astimezone(IST).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time.min, tzinfo=IST)


def _quote_for_day(registration: Registration, day: dt.date) -> None:
    """Re-quote an unfrozen registration for the day its fee is paid (§4.2a).

    The fee order carries the quote of the day it is made; raises
    PaymentError when no phase is open that day.
    """
    if registration.is_frozen or registration.quoted_on == day:
        return
    try:
        result = settlement_services.quote_for_case(
            case=registration.case, scheme=registration.scheme, on=day)
    except QuoteError as err:
        raise PaymentError(settlement_services.error_message(err)) from err
    settlement_services.apply_quote(registration=registration, quote=result, on=day)


# Starting an online payment ------------------------------------------------

@transaction.atomic
def start_payment(*, registration: Registration, purpose: str) -> Payment:
    """Return an open online payment for ``registration`` and ``purpose``.

    A fee order carries today's quote (IST) and expires at the end of the IST
    day (DESIGN §4.2a). An order already open today for the same amount is
    reused rather than piling up orders (a second click, a back button);
    otherwise a new order is made.
    """
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("case", "scheme").get(pk=registration.pk))
    now = timezone.now()
    if purpose == PaymentPurpose.REGISTRATION_FEE and registration.status == \
            RegistrationStatus.SUBMITTED:
        if registration.expires_at and registration.expires_at <= now:
            raise PaymentError(_("This registration has expired; please register again."))
        _quote_for_day(registration, today_ist())
        if registration.total_payable == 0:
            registration_settle_nothing_due(registration=registration)
            raise PaymentError(_("Nothing is to be paid: the registration is settled."))
    amount = amount_due(registration=registration, purpose=purpose)
    gateway = get_gateway()
    existing = (
        Payment.objects.select_for_update()
        .filter(registration=registration, purpose=purpose, mode=PaymentMode.ONLINE,
                status__in=OPEN_STATUSES, amount=amount, gateway=gateway.name,
                expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    payment = Payment.objects.create(
        order_id=new_order_id(), registration=registration,
        sub_division=registration.sub_division, purpose=purpose, amount=amount,
        gateway=gateway.name, mode=PaymentMode.ONLINE, expires_at=end_of_ist_day(now),
    )
    _event(payment, "created", after=PaymentStatus.INITIATED,
           payload={"amount": f"{amount:.2f}", "purpose": purpose,
                    "expires_at": payment.expires_at.isoformat()})
    return payment


@transaction.atomic
def mark_sent_to_gateway(*, payment: Payment) -> Payment:
    """Note that the browser was sent to the bank: initiated → pending."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.status == PaymentStatus.INITIATED:
        payment.status = PaymentStatus.PENDING
        payment.save(update_fields=["status", "updated_at"])
        _event(payment, "sent_to_gateway", before=PaymentStatus.INITIATED)
    return payment


# What the bank says --------------------------------------------------------

@dataclass(frozen=True)
class CallbackResult:
    outcome: str
    http_status: int


def receive_callback(*, body: bytes, headers, gateway: PaymentGateway | None = None
                     ) -> CallbackResult:
    """Verify a server-to-server callback and apply it; never raise on bad input.

    A callback with a bad signature or an unreadable body changes nothing: it
    is logged (and kept as an event on the order it names, if any) and
    answered 400.
    """
    gateway = gateway or get_gateway()
    try:
        notice = gateway.parse_callback(body=body, headers=headers)
    except InvalidCallback as exc:
        _log_refused_callback(body=body, reason=str(exc))
        return CallbackResult("refused_" + str(exc).replace(" ", "_"), 400)
    outcome = apply_notice(notice=notice, source="callback", gateway_name=gateway.name)
    status = {"unknown_order": 404, "amount_mismatch": 409, "reference_reused": 409}
    return CallbackResult(outcome, status.get(outcome, 200))


def _log_refused_callback(*, body: bytes, reason: str) -> None:
    """Count a refused callback on today's tally; never one row per callback.

    Anyone can post to the callback URL, so what they send is not stored
    (an event per post grew the ledger without bound): the day's count per
    reason goes up by one, and the log says which order the body named.
    """
    from django.db.models import F

    from payments.models import RefusedCallbackTally

    try:
        named = str(json.loads(body).get("order_id", ""))[:40]
    except (ValueError, AttributeError, UnicodeDecodeError):
        named = ""
    logger.warning("payment callback refused: %s (order %r)", reason, named)
    day, reason = today_ist(), reason[:64]
    tallies = RefusedCallbackTally.objects.filter(day=day, reason=reason)
    if tallies.update(count=F("count") + 1, last_at=timezone.now()):
        return
    try:
        with transaction.atomic():
            RefusedCallbackTally.objects.create(day=day, reason=reason, count=1)
    except IntegrityError:  # another callback made the row a moment ago
        tallies.update(count=F("count") + 1, last_at=timezone.now())


def _notice_payload(notice: GatewayNotice, source: str) -> dict:
    return {
        "source": source,
        "status": notice.status,
        "amount": f"{notice.amount:.2f}" if notice.amount is not None else None,
        "reference": notice.reference,
        "paid_at": notice.paid_at.isoformat() if notice.paid_at else None,
    }


def _lock_payment(*, order_id: str) -> Payment | None:
    """Lock the payment's registration, then the payment, and return the payment.

    Registration before payment, the same order ``start_payment`` and
    ``record_counter_payment`` take, so concurrent requests never deadlock.
    """
    row = Payment.objects.filter(order_id=order_id).values("pk", "registration_id").first()
    if row is None:
        return None
    list(Registration.objects.select_for_update().filter(pk=row["registration_id"])
         .values_list("pk", flat=True))
    return Payment.objects.select_for_update().get(pk=row["pk"])


def apply_notice(*, notice: GatewayNotice, source: str, gateway_name: str) -> str:
    """Apply what the bank said about an order; return what happened.

    Outcomes: ``credited``, ``failed``, ``pending``, ``expired``, ``duplicate``
    (nothing new), ``ignored`` (stale or a late failure after success),
    ``unknown_order``, ``amount_mismatch``, ``reference_reused``.
    """
    with transaction.atomic():
        payment = _lock_payment(order_id=notice.order_id)
        if payment is None:
            logger.warning("payment notice for unknown order %s (%s)", notice.order_id, source)
            return "unknown_order"
        before = payment.status
        payload = _notice_payload(notice, source)
        if payment.mode != PaymentMode.ONLINE or payment.gateway != gateway_name:
            _event(payment, f"{source}_wrong_gateway", before=before, payload=payload)
            return "ignored"
        if notice.amount is not None and notice.amount != payment.amount:
            _event(payment, f"{source}_amount_mismatch", before=before, payload=payload)
            logger.error("payment %s: bank amount %s != stored %s", payment.order_id,
                         notice.amount, payment.amount)
            return "amount_mismatch"
        if notice.status == NoticeStatus.SUCCESS:
            return _apply_success(payment, notice, source, payload)
        if notice.status == NoticeStatus.FAILED:
            if before in (PaymentStatus.INITIATED, PaymentStatus.PENDING, PaymentStatus.EXPIRED):
                payment.status = PaymentStatus.FAILED
                payment.save(update_fields=["status", "updated_at"])
                _event(payment, source, before=before, payload=payload)
                return "failed"
        elif notice.status == NoticeStatus.PENDING:
            if before == PaymentStatus.INITIATED:
                payment.status = PaymentStatus.PENDING
                payment.save(update_fields=["status", "updated_at"])
                _event(payment, source, before=before, payload=payload)
                return "pending"
        elif notice.status == NoticeStatus.UNKNOWN:
            # The bank never heard of the order: the person never paid it.
            if before in OPEN_STATUSES and payment.created_at <= timezone.now() - expire_after():
                payment.status = PaymentStatus.EXPIRED
                payment.save(update_fields=["status", "updated_at"])
                _event(payment, source, before=before, payload=payload)
                return "expired"
        _event(payment, source, before=before, payload=payload)
        return "duplicate" if before == notice.status else "ignored"


def _apply_success(payment: Payment, notice: GatewayNotice, source: str, payload: dict) -> str:
    before = payment.status
    if before == PaymentStatus.SUCCESS:
        _event(payment, source, before=before, payload={**payload, "duplicate": True})
        return "duplicate"
    # The bank's word that money was taken outranks an earlier failure or our
    # own expiry: money taken must never be lost (domain.md).
    reference = notice.reference or notice.order_id
    clash = (
        Payment.objects.filter(gateway=payment.gateway, gateway_reference=reference)
        .exclude(pk=payment.pk)
        .exists()
    )
    if clash:
        _event(payment, f"{source}_reference_reused", before=before, payload=payload)
        logger.error("payment %s: bank reference %s already used", payment.order_id, reference)
        return "reference_reused"
    payment.status = PaymentStatus.SUCCESS
    payment.gateway_reference = reference
    payment.paid_at = notice.paid_at or timezone.now()
    try:
        with transaction.atomic():
            payment.save(update_fields=["status", "gateway_reference", "paid_at", "updated_at"])
    except IntegrityError:
        payment.refresh_from_db()
        _event(payment, f"{source}_reference_reused", before=before, payload=payload)
        return "reference_reused"
    _event(payment, source, before=before, payload=payload)
    _credit(payment, strict=False)
    return "credited"


def _credit(payment: Payment, *, strict: bool) -> None:
    """Credit a successful payment to its registration (same transaction).

    One credit entry per payment (a unique constraint), then the registration
    lifecycle moves the registration on — or holds the money for staff; money
    that arrived is never refused (DESIGN §4.2a). When crediting an online
    payment fails the success still stands (the money was taken): the failure
    is an event, and the reconciliation sweep credits it again.
    """
    if strict:
        _credit_entry(payment)
        _event(payment, "credited", before=payment.status)
        return
    try:
        with transaction.atomic():
            _credit_entry(payment)
    except Exception as exc:
        logger.exception("payment %s could not be credited", payment.order_id)
        _event(payment, "credit_failed", before=payment.status,
               payload={"error": f"{type(exc).__name__}: {exc}"[:500]})
        return
    _event(payment, "credited", before=payment.status)


@transaction.atomic
def payment_credit(*, payment: Payment) -> None:
    """Credit a payment that is already successful (e.g. a receipt imported elsewhere).

    Once only: a second call finds the credit entry and changes nothing.
    """
    payment = _lock_payment(order_id=payment.order_id)
    if payment.status != PaymentStatus.SUCCESS or payment.ledger_entries.filter(
            kind=LedgerKind.CREDIT).exists():
        return
    _credit(payment, strict=True)


def _credit_entry(payment: Payment) -> None:
    LedgerEntry.objects.create(
        kind=LedgerKind.CREDIT, payment=payment, registration_id=payment.registration_id,
        sub_division_id=payment.sub_division_id, amount=payment.amount,
        reference=payment.gateway_reference or payment.receipt_number,
        recorded_by=payment.recorded_by,
    )
    outcome = registration_credit(registration_id=payment.registration_id,
                                  amount=payment.amount, purpose=payment.purpose,
                                  paid_at=payment.paid_at)
    if outcome.action == "needs_attention":
        _event(payment, "held_for_staff", before=payment.status)


def _credit_entries():
    return LedgerEntry.objects.filter(payment=OuterRef("pk"), kind=LedgerKind.CREDIT)


def uncredited_payments() -> list[int]:
    """Successful payments with no credit entry in the ledger.

    The money was taken (the ledger says success) but the registration did not
    move — the portal's own "money taken, not posted". The reconciliation
    sweep credits them again.
    """
    return list(
        Payment.objects.filter(status=PaymentStatus.SUCCESS)
        .exclude(Exists(_credit_entries()))
        .order_by("pk").values_list("pk", flat=True)[:1000]
    )


@transaction.atomic
def retry_credit(*, payment_id: int) -> bool:
    """Credit a successful payment again after a failed attempt; True when done."""
    order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
    payment = _lock_payment(order_id=order_id)
    if payment.status != PaymentStatus.SUCCESS or payment.ledger_entries.filter(
            kind=LedgerKind.CREDIT).exists():
        return False
    _credit(payment, strict=False)
    return payment.ledger_entries.filter(kind=LedgerKind.CREDIT).exists()


def refund_through_gateway(*, registration: Registration, payment: Payment, amount: Decimal,
                           officer, note: str = "") -> LedgerEntry:
    """Send a refund of held money through the gateway's refund API, then record it.

    The bank is asked first, outside any transaction (a slow bank must not
    hold a row lock); its refund id becomes the ledger entry's reference. An
    idempotency key per (payment, refunds so far) makes a retry after a lost
    answer refund once. When the bank refuses or cannot be reached nothing
    is recorded and the officer is told.
    """
    if payment.mode != PaymentMode.ONLINE or payment.status != PaymentStatus.SUCCESS:
        raise PaymentError(_("Only a successful online payment can be refunded through "
                             "the bank; record the refund's reference instead."))
    gateway = get_gateway()
    if payment.gateway != gateway.name or not gateway.can_refund:
        raise PaymentError(_("This payment was made through another bank; record the "
                             "refund's reference instead."))
    if not registration.held_reason:
        raise PaymentError(_("Only money held for staff can be refunded."))
    done = payment.ledger_entries.filter(kind=LedgerKind.REFUND).count()
    try:
        notice = gateway.refund(
            payment=payment, amount=amount,
            notes={"registration": registration.registration_number,
                   "officer": officer.get_username(), "note": (note or "")[:200]},
            idempotency_key=f"{payment.order_id}-R{done + 1}",
        )
    except GatewayError as exc:
        logger.warning("refund of %s through %s failed: %s", payment.order_id, gateway.name, exc)
        raise PaymentError(_("The bank could not make the refund now. Try again later, or "
                             "refund at the bank and record its reference.")) from exc
    if notice.status == "failed":
        raise PaymentError(_("The bank refused the refund; nothing was recorded."))
    return refund_record(registration=registration, payment=payment, amount=amount,
                         reference=notice.refund_id, officer=officer, note=note)


# The nightly money check --------------------------------------------------------

def audit_run_record(*, result) -> LedgerAuditRun:
    """Keep an ``audit_ledger`` result (the dashboard shows the last one)."""
    return LedgerAuditRun.objects.create(
        checked=result.checked, violations=result.total_violations, seconds=result.seconds,
        result=result.as_json(),
    )


# Refunds of held money ---------------------------------------------------------

@transaction.atomic
def refund_record(*, registration: Registration, payment: Payment, amount: Decimal,
                  reference: str, officer, note: str = "") -> LedgerEntry:
    """Record a refund of held money, with the bank's reference (a ledger entry).

    Only money held for staff can be refunded (DESIGN §4.2a), at most what
    the payment brought less what was refunded of it already.
    """
    reference = (reference or "").strip()
    if not reference or len(reference) > 64:
        raise PaymentError(_("Enter the bank's refund reference (up to 64 characters)."))
    amount = Decimal(amount)
    if amount <= 0:
        raise PaymentError(_("Enter the amount refunded."))
    list(Registration.objects.select_for_update(of=("self",)).filter(pk=registration.pk)
         .values_list("pk", flat=True))
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.registration_id != registration.pk or payment.status != PaymentStatus.SUCCESS:
        raise PaymentError(_("Choose a successful payment of this registration."))
    refunded = sum((e.amount for e in payment.ledger_entries.filter(kind=LedgerKind.REFUND)),
                   Decimal("0"))
    if amount > payment.amount - refunded:
        raise PaymentError(
            _("At most %(left)s of this payment can be refunded.")
            % {"left": format_inr(payment.amount - refunded)})
    entry = LedgerEntry.objects.create(
        kind=LedgerKind.REFUND, payment=payment, registration=registration,
        sub_division_id=registration.sub_division_id, amount=amount, reference=reference,
        note=(note or "").strip()[:500], recorded_by=officer,
    )
    try:
        registration_debit(registration_id=registration.pk, amount=amount, officer=officer)
    except RegistrationError as err:
        raise PaymentError(err.message, code=err.code) from err
    _event(payment, "refund_recorded", before=payment.status, payload={
        "amount": f"{amount:.2f}", "reference": reference,
        "officer": officer.get_username(),
    })
    return entry


def reconcile_payment(*, payment_id: int, source: str = "status_query") -> str:
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
    return apply_notice(notice=notice, source=source, gateway_name=gateway.name)


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


# Consumers' reports of missing payments -----------------------------------

def report_missing_payment(*, registration: Registration, bank_reference: str
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
            reconcile_payment(payment_id=payment_id, source=source)
        except GatewayError:
            unanswered.append(payment_id)
    if unanswered:
        from payments.tasks import query_payment_status

        for payment_id in unanswered:
            transaction.on_commit(lambda pk=payment_id: query_payment_status.delay(pk),
                                  robust=True)
    return len(unanswered)


def _payment_with_reference(registration: Registration, reference: str) -> Payment | None:
    return (Payment.objects.filter(registration=registration, status=PaymentStatus.SUCCESS)
            .filter(gateway_reference=reference).first())


def recheck_missing_report(*, report: MissingPaymentReport) -> int:
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
def resolve_missing_report(*, report: MissingPaymentReport, officer,
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


# Counter payments ----------------------------------------------------------

@transaction.atomic
def record_counter_payment(*, registration: Registration, purpose: str, amount: Decimal,
                           mode: str, receipt_number: str, received_on: dt.date,
                           officer) -> Payment:
    """Record a cash / cheque / DD receipt taken at the counter: a success at once.

    The phase of a counter registration-fee payment is fixed by the receipt
    date (DESIGN §4.2a), so ``paid_at`` is noon IST of ``received_on``, or
    now when the receipt is today's; the date may not be before the
    registration was submitted nor after today.
    """
    if mode not in COUNTER_MODES:
        raise PaymentError(_("Choose cash, cheque or demand draft."))
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise PaymentError(_("Enter the receipt number."))
    today = today_ist()
    if received_on > today:
        raise PaymentError(_("The receipt date cannot be in the future."))
    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("case", "scheme").get(pk=registration.pk))
    submitted_on = ist_date(registration.created_at)
    if received_on < submitted_on:
        # DESIGN §4.2a: a backdated receipt must not buy an earlier phase.
        raise PaymentError(
            _("The receipt date cannot be before the registration was made (%(day)s).")
            % {"day": submitted_on.strftime("%d-%m-%Y")})
    if purpose == PaymentPurpose.REGISTRATION_FEE and \
            registration.status == RegistrationStatus.SUBMITTED:
        try:
            _quote_for_day(registration, received_on)
        except PaymentError:
            # No phase open on the receipt date: the money is still taken and
            # held for staff by the lifecycle; the stored quote's fee is due.
            pass
    due = amount_due(registration=registration, purpose=purpose)
    if Decimal(amount) != due:
        raise PaymentError(
            _("The amount must be exactly %(due)s (the scheme takes no part payments).")
            % {"due": format_inr(due)}
        )
    if Payment.objects.filter(mode=mode, receipt_number=receipt_number).exists():
        raise PaymentError(_("This receipt number has already been entered."))
    paid_at = (
        timezone.now() if received_on == today
        else dt.datetime.combine(received_on, dt.time(12, 0), tzinfo=IST)
    )
    payment = Payment.objects.create(
        order_id=new_order_id(), registration=registration,
        sub_division=registration.sub_division, purpose=purpose, amount=due,
        status=PaymentStatus.SUCCESS, mode=mode, gateway=COUNTER_GATEWAY,
        receipt_number=receipt_number, recorded_by=officer, paid_at=paid_at,
    )
    _event(payment, "counter_receipt", after=PaymentStatus.SUCCESS, payload={
        "mode": mode, "receipt_number": receipt_number,
        "received_on": received_on.isoformat(), "officer": officer.get_username(),
        "amount": f"{due:.2f}",
    })
    _credit(payment, strict=True)
    return payment


# Notices that move no payment: refunds, refused browser returns -----------

def record_gateway_event(*, order_id: str, kind: str, payload: dict) -> bool:
    """Keep something the bank (or the browser on its behalf) said, moving nothing.

    Used for a browser return that cannot be trusted or that reports a
    failure without a signature: it decides nothing (the status query and
    the webhook do), but it is kept. Returns False when no such order exists.
    """
    with transaction.atomic():
        payment = _lock_payment(order_id=order_id)
        if payment is None:
            return False
        _event(payment, kind[:32], before=payment.status, payload=payload)
    return True


def receive_refund_callback(*, body: bytes, headers, gateway: PaymentGateway
                            ) -> CallbackResult:
    """Verify a refund webhook and keep it as an event; never raise on bad input."""
    try:
        notice = gateway.parse_refund_callback(body=body, headers=headers)
    except InvalidCallback as exc:
        _log_refused_callback(body=body, reason=str(exc))
        return CallbackResult("refused_" + str(exc).replace(" ", "_"), 400)
    outcome = apply_refund_notice(notice=notice, source="callback", gateway_name=gateway.name)
    return CallbackResult(outcome, 404 if outcome == "unknown_payment" else 200)


def apply_refund_notice(*, notice: RefundNotice, source: str, gateway_name: str) -> str:
    """Record what the bank said about a refund; return ``recorded`` or ``duplicate``.

    A refund changes no payment status here: the money arrived and stays in
    the ledger; the refund is an event on the payment it came from
    (``refund_pending`` / ``refund_processed`` / ``refund_failed``).
    ``unknown_payment`` when no payment of this gateway has that reference.
    """
    with transaction.atomic():
        order_id = (Payment.objects.filter(gateway=gateway_name,
                                           gateway_reference=notice.reference)
                    .values_list("order_id", flat=True).first())
        payment = _lock_payment(order_id=order_id) if order_id else None
        if payment is None:
            logger.warning("refund notice %s for unknown payment %s (%s)", notice.refund_id,
                           notice.reference, source)
            return "unknown_payment"
        kind = f"refund_{notice.status}"
        duplicate = payment.events.filter(kind=kind,
                                          payload__refund_id=notice.refund_id).exists()
        _event(payment, kind, before=payment.status, payload={
            "source": source, "refund_id": notice.refund_id, "reference": notice.reference,
            "amount": f"{notice.amount:.2f}" if notice.amount is not None else None,
            "status": notice.status, "duplicate": duplicate, "raw": notice.raw,
        })
    return "duplicate" if duplicate else "recorded"
