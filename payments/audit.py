"""``audit_ledger``: the money invariants of DESIGN §4.2a, checked over every row.

Reads only; never changes data. Each check is a query (set-based where SQL
can say it, a streamed pass where the rule needs the settlement engine or
IST dates) that yields violations as plain dicts::

    {"check": "settled_short", "registration": "OTS23-AMI1-000042",
     "payment": None, "detail": "credited 1500.00 < total payable 1650.00"}

The checks, and the fault each was written against (issue 12):

``credited_sum``            Registration.credited = Σ its ledger entries
``payment_not_credited``    every successful payment has one credit entry
``credit_mismatch``         a credit entry matches its payment (success, amount,
                            registration)
``settled_short``           settled ⇒ credited ≥ total payable (a fee paid in
                            a later phase settled short)
``balance_mismatch``        waiting for the balance ⇒ balance = total − credited
                            and credited < total (money never asked for)
``fee_paid_without_fee``    fee paid ⇒ a successful fee payment exists (₹0
                            payable excepted)
``nothing_due_unsettled``   total payable ₹0 ⇒ settled (the ₹0 dead end)
``late_balance_settled``    settled ⇒ the money that completed it arrived by
                            the balance deadline, or staff applied it
``phase_not_fee_day``       the frozen phase is the phase of the IST day the
                            fee money arrived, unless staff applied it
``receipt_out_of_range``    a counter receipt is dated within [submission,
                            entry] (the backdated receipt)
``frozen_figures``          frozen amounts agree with the settlement engine
                            (amounts misread or mis-rounded)
``held_unseen``             money on a registration that cannot use it is held
                            for staff (never lost)
``paid_but_flagged``        no open action item for a case registered or
                            settled under any scheme, or settled (the paid
                            person on the defaulters' list); registered by
                            ``defaulters`` (``defaulters/audit.py``)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.dates import ist_date
from ots_scheme.models import Registration, RegistrationStatus, Scheme
from ots_scheme.services import rules_for
from ots_scheme.settlement import QuoteError, quote_in_phase
from payments.models import (
    LedgerEntry,
    LedgerKind,
    Payment,
    PaymentMode,
    PaymentPurpose,
    PaymentStatus,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
LISTED_AT_MOST = 1000


@dataclass
class AuditResult:
    checked_registrations: int = 0
    checked_payments: int = 0
    seconds: float = 0.0
    violations: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return self.checked_registrations + self.checked_payments

    @property
    def total_violations(self) -> int:
        return sum(self.counts.values())

    def as_json(self) -> dict:
        return {
            "checked": self.checked,
            "registrations": self.checked_registrations,
            "payments": self.checked_payments,
            "seconds": round(self.seconds, 3),
            "counts": self.counts,
            "violations": self.violations,
        }


def violation(check: str, *, registration: str | None = None, payment: str | None = None,
              detail: str = "") -> dict:
    """Return one violation as the audit lists it (also for registered checks)."""
    return {"check": check, "registration": registration, "payment": payment,
            "detail": detail}


def _signed_entries():
    return Coalesce(
        Subquery(
            LedgerEntry.objects.filter(registration=OuterRef("pk")).order_by()
            .values("registration")
            .annotate(total=Sum(Case(When(kind=LedgerKind.CREDIT, then=F("amount")),
                                     default=-F("amount"), output_field=MONEY)))
            .values("total")[:1],
            output_field=MONEY,
        ),
        Value(ZERO, output_field=MONEY),
    )


# --- Set-based checks -----------------------------------------------------------


def check_credited_sum() -> Iterator[dict]:
    rows = (Registration.objects.annotate(ledger=_signed_entries())
            .exclude(credited=F("ledger"))
            .values_list("registration_number", "credited", "ledger"))
    for number, credited, ledger in rows.iterator():
        yield violation("credited_sum", registration=number,
                 detail=f"credited {credited:.2f} != ledger {ledger:.2f}")


def check_payments_credited() -> Iterator[dict]:
    credit = LedgerEntry.objects.filter(payment=OuterRef("pk"), kind=LedgerKind.CREDIT)
    rows = (Payment.objects.filter(status=PaymentStatus.SUCCESS).exclude(Exists(credit))
            .values_list("order_id", "registration__registration_number", "amount"))
    for order_id, number, amount in rows.iterator():
        yield violation("payment_not_credited", registration=number, payment=order_id,
                 detail=f"successful payment of {amount:.2f} has no credit entry")


def check_credit_entries() -> Iterator[dict]:
    rows = (LedgerEntry.objects.filter(kind=LedgerKind.CREDIT)
            .filter(~Q(payment__status=PaymentStatus.SUCCESS)
                    | ~Q(amount=F("payment__amount"))
                    | ~Q(registration_id=F("payment__registration_id")))
            .values_list("payment__order_id", "registration__registration_number", "amount",
                         "payment__amount", "payment__status"))
    for order_id, number, amount, paid, status in rows.iterator():
        yield violation("credit_mismatch", registration=number, payment=order_id,
                 detail=f"credit {amount:.2f} for a {status} payment of {paid:.2f}")


def check_settled_short() -> Iterator[dict]:
    rows = (Registration.objects.filter(status=RegistrationStatus.SETTLED)
            .filter(Q(total_payable__isnull=True) | Q(credited__lt=F("total_payable")))
            .values_list("registration_number", "credited", "total_payable"))
    for number, credited, total in rows.iterator():
        yield violation("settled_short", registration=number,
                 detail=f"credited {credited:.2f} < total payable {total or ZERO:.2f}")


def check_balance() -> Iterator[dict]:
    rows = (Registration.objects.filter(status__in=Registration.BALANCE_DUE_STATUSES)
            .filter(Q(total_payable__isnull=True) | Q(credited__gte=F("total_payable"))
                    | ~Q(balance=F("total_payable") - F("credited")))
            .values_list("registration_number", "credited", "total_payable", "balance"))
    for number, credited, total, balance in rows.iterator():
        yield violation("balance_mismatch", registration=number,
                 detail=f"balance {balance} but total {total} − credited {credited:.2f}")


def check_fee_paid_has_fee() -> Iterator[dict]:
    fee = Payment.objects.filter(registration=OuterRef("pk"), status=PaymentStatus.SUCCESS,
                                 purpose=PaymentPurpose.REGISTRATION_FEE)
    rows = (Registration.objects.filter(status__in=Registration.FEE_PAID_STATUSES)
            .exclude(total_payable=0).exclude(Exists(fee))
            .values_list("registration_number", "status"))
    for number, status in rows.iterator():
        yield violation("fee_paid_without_fee", registration=number,
                 detail=f"{status} with no successful registration-fee payment")
    unfrozen = (Registration.objects.filter(status__in=Registration.FEE_PAID_STATUSES,
                                            frozen_at__isnull=True)
                .values_list("registration_number", flat=True))
    for number in unfrozen.iterator():
        yield violation("fee_paid_without_fee", registration=number,
                 detail="fee paid but the settlement is not frozen")


def check_nothing_due() -> Iterator[dict]:
    rows = (Registration.objects.filter(status=RegistrationStatus.SUBMITTED, total_payable=0)
            .values_list("registration_number", flat=True))
    for number in rows.iterator():
        yield violation("nothing_due_unsettled", registration=number,
                 detail="total payable is ₹0 but the registration is not settled")


def check_held() -> Iterator[dict]:
    unusable = (Q(status__in=[RegistrationStatus.SUBMITTED, RegistrationStatus.REJECTED,
                              RegistrationStatus.EXPIRED], credited__gt=0)
                | Q(status=RegistrationStatus.SETTLED, credited__gt=F("total_payable")))
    rows = (Registration.objects.filter(unusable, held_reason="")
            .values_list("registration_number", "status", "credited"))
    for number, status, credited in rows.iterator():
        yield violation("held_unseen", registration=number,
                 detail=f"{status} holds {credited:.2f} that no one is asked to act on")


# --- Streamed checks (dates in IST, the engine) -----------------------------------


def check_settled_in_time() -> Iterator[dict]:
    last_money = (Payment.objects.filter(registration=OuterRef("pk"),
                                         status=PaymentStatus.SUCCESS)
                  .order_by().values("registration").annotate(last=Max("paid_at"))
                  .values("last")[:1])
    rows = (Registration.objects.filter(status=RegistrationStatus.SETTLED,
                                        held_applied_by__isnull=True,
                                        balance_due_date__isnull=False)
            .annotate(last=Subquery(last_money))
            .values_list("registration_number", "balance_due_date", "last"))
    for number, due, last in rows.iterator(chunk_size=5000):
        if last is not None and ist_date(last) > due:
            yield violation("late_balance_settled", registration=number,
                     detail=f"settled by money of {ist_date(last)} after the deadline {due}")


def check_fee_day_phase() -> Iterator[dict]:
    first_fee = (Payment.objects.filter(registration=OuterRef("pk"),
                                        status=PaymentStatus.SUCCESS,
                                        purpose=PaymentPurpose.REGISTRATION_FEE)
                 .order_by().values("registration").annotate(first=Min("paid_at"))
                 .values("first")[:1])
    schemes: dict[int, object] = {}
    rows = (Registration.objects.filter(status__in=Registration.FEE_PAID_STATUSES,
                                        held_applied_by__isnull=True,
                                        frozen_at__isnull=False)
            .annotate(first=Subquery(first_fee))
            .values_list("registration_number", "scheme_id", "phase_number", "first"))
    for number, scheme_id, phase_number, first in rows.iterator(chunk_size=5000):
        if first is None:
            continue
        rules = schemes.get(scheme_id) or schemes.setdefault(scheme_id, _rules(scheme_id))
        phase = rules.phase_on(ist_date(first))
        if phase is not None and phase.number != phase_number:
            yield violation("phase_not_fee_day", registration=number,
                     detail=f"frozen in phase {phase_number}, fee arrived in phase "
                            f"{phase.number} ({ist_date(first)})")


def check_receipt_dates() -> Iterator[dict]:
    rows = (Payment.objects.exclude(mode=PaymentMode.ONLINE)
            .filter(status=PaymentStatus.SUCCESS)
            .values_list("order_id", "registration__registration_number", "paid_at",
                         "created_at", "registration__created_at"))
    for order_id, number, paid_at, entered, submitted in rows.iterator(chunk_size=5000):
        if paid_at is None:
            continue
        day = ist_date(paid_at)
        if day < ist_date(submitted) or day > ist_date(entered):
            yield violation("receipt_out_of_range", registration=number, payment=order_id,
                     detail=f"receipt dated {day}, registration made {ist_date(submitted)}, "
                            f"entered {ist_date(entered)}")


def check_frozen_figures() -> Iterator[dict]:
    phases: dict[tuple[int, int], tuple] = {}
    rows = (Registration.objects.filter(frozen_at__isnull=False)
            .values_list("registration_number", "scheme_id", "phase_number", "assessment",
                         "compounding_fee", "deposited", "assessment_payable",
                         "total_payable", "registration_fee"))
    for (number, scheme_id, phase_number, assessment, compounding, deposited, payable,
         total, fee) in rows.iterator(chunk_size=5000):
        key = (scheme_id, phase_number)
        if key not in phases:
            rules = _rules(scheme_id)
            phases[key] = (rules, next((p for p in rules.phases if p.number == phase_number),
                                       None))
        rules, phase = phases[key]
        if phase is None:
            yield violation("frozen_figures", registration=number,
                     detail=f"frozen in phase {phase_number}, which the scheme does not have")
            continue
        try:
            expected = quote_in_phase(rules, phase, assessment=assessment,
                                      compounding_fee=compounding, deposited=deposited)
        except QuoteError as err:
            yield violation("frozen_figures", registration=number, detail=f"unquotable: {err}")
            continue
        if (expected.assessment_payable, expected.total_payable,
                expected.registration_fee) != (payable, total, fee):
            yield violation("frozen_figures", registration=number,
                     detail=f"stored {payable}/{total}/{fee}, engine "
                            f"{expected.assessment_payable}/{expected.total_payable}/"
                            f"{expected.registration_fee}")


def _rules(scheme_id: int):
    return rules_for(Scheme.objects.prefetch_related("phases").get(pk=scheme_id))


CHECKS = (
    check_credited_sum, check_payments_credited, check_credit_entries, check_settled_short,
    check_balance, check_fee_paid_has_fee, check_nothing_due, check_held,
    check_settled_in_time, check_fee_day_phase, check_receipt_dates, check_frozen_figures,
)
# Checks of apps above payments (DESIGN §2), registered at start-up: the
# defaulters' ``paid_but_flagged`` (``DefaultersConfig.ready``).
_REGISTERED_CHECKS: dict[str, Callable[[], Iterator[dict]]] = {}


def register_check(name: str, check: Callable[[], Iterator[dict]]) -> None:
    """Add ``check()``, yielding :func:`violation` dicts, to every audit run."""
    _REGISTERED_CHECKS[name] = check


def audit_ledger(*, listed_at_most: int = LISTED_AT_MOST) -> AuditResult:
    """Run every check; return the counts per check and the first violations."""
    started = time.monotonic()
    result = AuditResult(checked_registrations=Registration.objects.count(),
                         checked_payments=Payment.objects.count())
    for check in (*CHECKS, *_REGISTERED_CHECKS.values()):
        for violation in check():
            result.counts[violation["check"]] = result.counts.get(violation["check"], 0) + 1
            if len(result.violations) < listed_at_most:
                result.violations.append(violation)
    result.seconds = time.monotonic() - started
    return result

