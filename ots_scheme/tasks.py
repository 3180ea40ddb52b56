"""Celery tasks of ots_scheme: thin wrappers over services.

Shared by two areas; add to your own section only.
"""

from celery import shared_task  # noqa: F401
from django.db import InterfaceError, OperationalError

from ots_scheme import money_facts
from ots_scheme.models import Registration

# --- Settlement: freeze, recompute (ots_scheme/services.py) ---
# Idempotent by state (a frozen registration stays as it is; a recompute that
# finds the same figures writes nothing), so acks_late and retries are safe.
# Retries only for a database that is briefly unreachable.

SETTLEMENT_TASK = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="ots_scheme.tasks.freeze_registration_settlement", **SETTLEMENT_TASK)
def freeze_registration_settlement(registration_id: int) -> dict:
    """Freeze a registration's settlement as of its registration-fee payment."""
    # function-level: a cycle, ots_scheme.services imports this module at module level
    from ots_scheme import services

    registration = Registration.objects.filter(pk=registration_id).first()
    if registration is None:
        return {"registration": registration_id, "frozen": False, "reason": "missing"}
    if registration.is_frozen:
        return {"registration": registration_id, "frozen": True, "changed": False}
    paid_at = (
        money_facts.fee_payments_succeeded()
        .filter(registration_id=registration_id, paid_at__isnull=False)
        .order_by("paid_at")
        .values_list("paid_at", flat=True)
        .first()
    ) or registration.fee_paid_at
    if paid_at is None:
        return {"registration": registration_id, "frozen": False, "reason": "not paid"}
    services.settlement_freeze(registration=registration, paid_at=paid_at)
    return {"registration": registration_id, "frozen": True, "changed": True}


@shared_task(name="ots_scheme.tasks.recompute_case_quotes", **SETTLEMENT_TASK)
def recompute_case_quotes(case_id: int) -> dict:
    """Re-quote a case's unfrozen registrations after its amounts changed."""
    # function-level: a cycle, ots_scheme.services imports this module at module level
    from ots_scheme import services

    return services.case_registrations_recompute(case_id=case_id).as_dict()


@shared_task(name="ots_scheme.tasks.recompute_scheme_quotes", **SETTLEMENT_TASK)
def recompute_scheme_quotes(scheme_id: int) -> dict:
    """Re-quote a scheme's unfrozen registrations after its phases changed."""
    # function-level: a cycle, ots_scheme.services imports this module at module level
    from ots_scheme import services

    return services.scheme_registrations_recompute(scheme_id=scheme_id).as_dict()



# --- Registration lifecycle: expiry (ots_scheme/registrations.py) ---


@shared_task(name="ots_scheme.tasks.expire_unpaid_registrations")
def expire_unpaid_registrations() -> int:
    """Expire registrations left unpaid 48 hours (idempotent by status)."""
    # function-level: a cycle, registrations imports services, which imports this module
    from ots_scheme import registrations

    return registrations.unpaid_registrations_expire()
