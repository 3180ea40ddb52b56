"""Celery tasks of the payments app: thin wrappers over ``payments.services``.

Ids in, state re-read, idempotent by the payment's state; retries only when
the bank cannot be reached (``GatewayError``).
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task

from payments import ledger_feed, services
from payments.audit import audit_ledger
from payments.gateways import GatewayError
from payments.gateways.sandbox import deliver_callback

logger = logging.getLogger(__name__)

# DESIGN: a payment pending for more than 15 minutes is settled by status query.
RECONCILE_AFTER = dt.timedelta(minutes=15)


@shared_task(
    name="payments.tasks.query_payment_status", acks_late=True,
    autoretry_for=(GatewayError,), retry_backoff=30, retry_backoff_max=900,
    retry_jitter=True, max_retries=8,
)
def query_payment_status(payment_id: int) -> str:
    """Ask the bank about one payment and apply the answer."""
    return services.payment_reconcile(payment_id=payment_id)


def _reconcile(ids: list[int], *, source: str) -> dict:
    counts: dict[str, int] = {}
    for payment_id in ids:
        try:
            outcome = services.payment_reconcile(payment_id=payment_id, source=source)
        except GatewayError:
            # Unreachable bank: the next sweep (15 minutes) asks again.
            logger.warning("status query failed for payment %s", payment_id)
            outcome = "unanswered"
        counts[outcome] = counts.get(outcome, 0) + 1
    return {"checked": len(ids), **counts}


@shared_task(name="payments.tasks.reconcile_pending_payments", acks_late=True)
def reconcile_pending_payments() -> dict:
    """Query every payment still open after 15 minutes (beat: every 15 minutes)."""
    ids = services.payments_to_reconcile(older_than=RECONCILE_AFTER)
    counts = _reconcile(ids, source="reconcile")
    # Money taken whose crediting failed (e.g. a deadlock): credit it again.
    counts["recredited"] = sum(services.payment_credit_retry(payment_id=pk)
                               for pk in services.uncredited_payments())
    return counts


@shared_task(name="payments.tasks.reconcile_days_payments", acks_late=True)
def reconcile_days_payments() -> dict:
    """Query all of today's (IST) online payments that are not successful (nightly)."""
    ids = services.days_payments_to_reconcile()
    return _reconcile(ids, source="nightly_reconcile")


@shared_task(name="payments.tasks.deliver_sandbox_callback", acks_late=True)
def deliver_sandbox_callback(order_id: str) -> int:
    """Deliver a delayed sandbox callback (SANDBOX_CALLBACK_MODE delay / after_return)."""
    return deliver_callback(order_id=order_id)


@shared_task(name="payments.tasks.audit_money_ledger")
def audit_money_ledger() -> dict:
    """Check every money invariant (DESIGN §4.2a) and keep the result for the dashboard."""
    run = services.audit_run_record(result=audit_ledger())
    if run.violations:
        logger.error("audit_ledger: %s violations", run.violations)
    return {"checked": run.checked, "violations": run.violations,
            "seconds": round(run.seconds, 3)}


@shared_task(name="payments.tasks.assign_ledger_sequence")
def assign_ledger_sequence() -> int:
    """Number committed ledger entries for the billing feed (DESIGN §8)."""
    return ledger_feed.ledger_sequence_assign()
