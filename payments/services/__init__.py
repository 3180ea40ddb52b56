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

from payments.services.attempts import payment_mark_sent, payment_start
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
from payments.services.counter import counter_payment_record
from payments.services.crediting import payment_credit, payment_credit_retry, uncredited_payments
from payments.services.notices import (
    CallbackResult,
    callback_receive,
    gateway_event_record,
    notice_apply,
    refund_callback_receive,
    refund_notice_apply,
)
from payments.services.reconciliation import (
    audit_run_record,
    days_payments_to_reconcile,
    missing_report_create,
    missing_report_recheck,
    missing_report_resolve,
    payment_reconcile,
    payments_to_reconcile,
)
from payments.services.refunds import refund_record, refund_send

__all__ = [
    "COUNTER_GATEWAY", "COUNTER_MODES", "CallbackResult", "OPEN_STATUSES", "PaymentError",
    "amount_due", "audit_run_record", "callback_receive", "counter_payment_record",
    "days_payments_to_reconcile", "end_of_ist_day", "expire_after", "gateway_event_record",
    "missing_report_create", "missing_report_recheck", "missing_report_resolve",
    "new_order_id", "notice_apply", "payment_credit", "payment_credit_retry",
    "payment_mark_sent", "payment_reconcile", "payment_start", "payments_to_reconcile",
    "refund_callback_receive", "refund_notice_apply", "refund_record", "refund_send",
    "uncredited_payments",
]
