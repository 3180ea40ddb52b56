"""Every change to a payment: the only package that writes the ledger.

Money taken but not posted is the commonest complaint about UP's online OTS
payments (domain.md, "Payments and messages in practice"), so a payment moves
only on what the bank says — a verified callback or a status query — after
its order and amount are checked against what was stored. Everything heard
is appended to ``PaymentEvent``; a duplicate notice changes nothing, and a
success is never undone (DESIGN §7).

The one owner of ``Payment.status`` (tests/core/test_status_owners.py), split
by what happens to a payment:

* ``base`` — the refusal (``PaymentError``), order ids, the lock, events,
  amounts due;
* ``attempts`` — starting an online payment;
* ``notices`` — what the bank says (callbacks, status answers, refunds);
* ``crediting`` — money that arrived, into the ledger and the registration;
* ``counter`` — receipts taken at the counter;
* ``refunds`` — refunds of held money;
* ``reconciliation`` — asking the bank, missing-payment reports, the audit run.

Callers import from ``payments.services``; the names below are its API.
"""

from payments.services.attempts import mark_sent_to_gateway, start_payment
from payments.services.base import (
    COUNTER_GATEWAY,
    COUNTER_MODES,
    OPEN_STATUSES,
    PaymentError,
    amount_due,
    end_of_ist_day,
    expire_after,
    new_order_id,
)
from payments.services.counter import record_counter_payment
from payments.services.crediting import payment_credit, retry_credit, uncredited_payments
from payments.services.notices import (
    CallbackResult,
    apply_notice,
    apply_refund_notice,
    receive_callback,
    receive_refund_callback,
    record_gateway_event,
)
from payments.services.reconciliation import (
    audit_run_record,
    days_payments_to_reconcile,
    payments_to_reconcile,
    recheck_missing_report,
    reconcile_payment,
    report_missing_payment,
    resolve_missing_report,
)
from payments.services.refunds import refund_record, refund_through_gateway

__all__ = [
    "COUNTER_GATEWAY", "COUNTER_MODES", "OPEN_STATUSES", "CallbackResult", "PaymentError",
    "amount_due", "apply_notice", "apply_refund_notice", "audit_run_record",
    "days_payments_to_reconcile", "end_of_ist_day", "expire_after", "mark_sent_to_gateway",
    "new_order_id", "payment_credit", "payments_to_reconcile", "receive_callback",
    "receive_refund_callback", "recheck_missing_report", "reconcile_payment",
    "record_counter_payment", "record_gateway_event", "refund_record",
    "refund_through_gateway", "report_missing_payment", "resolve_missing_report",
    "retry_credit", "start_payment", "uncredited_payments",
]
