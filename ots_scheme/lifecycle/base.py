"""What every registration transition shares: the refusal, the lock, saving with
a reason, and the freezing, settling and holding steps of DESIGN §4.2a.

Per-row transitions lock the registration (``of=("self",)``: never the
scheme and sub-division rows it joins).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.money import format_inr
from messaging import sms_templates
from messaging.sms import sms_queue
from ots_scheme import case_registered, services
from ots_scheme.models import (
    HeldReason,
    Registration,
    RegistrationStatus,
)
from theft_cases import lifecycle as case_lifecycle
from theft_cases.models import TheftCase

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
FEE = "registration_fee"
BALANCE = "balance"


class RegistrationError(ServiceError):
    """A registration refused or a transition not allowed; the message is for people."""


@dataclass(frozen=True)
class PaymentOutcome:
    """What :func:`registration_credit` did (for logs, events and tests)."""

    changed: bool
    action: str


# --- Helpers ------------------------------------------------------------------


def lock(registration_id: int) -> Registration:
    """Return the registration locked for update (its row only)."""
    return (Registration.objects.select_for_update(of=("self",))
            .select_related("case", "scheme", "sub_division").get(pk=registration_id))


def registration_sms(registration: Registration, template: str, variables: dict) -> None:
    """Text the person in the language they registered in."""
    if registration.mobile:
        sms_queue(mobile=registration.mobile, template=template, variables=variables,
                  language=registration.language or "hi")


def registration_save(registration: Registration, fields: list[str], *, reason: str = "",
                      officer=None) -> None:
    if reason:
        registration._change_reason = reason
    if officer is not None:
        registration._history_user = officer
    registration.save(update_fields=fields)


def balance_refresh(registration: Registration) -> None:
    # DESIGN §4.2a: balance due = frozen total payable − money credited.
    if registration.total_payable is not None:
        registration.balance = max(ZERO, registration.total_payable - registration.credited)


def case_lock(registration: Registration) -> TheftCase:
    return TheftCase.objects.select_for_update(of=("self",)).get(pk=registration.case_id)


def other_live_exists(registration: Registration) -> bool:
    return Registration.objects.filter(
        case_id=registration.case_id, scheme_id=registration.scheme_id,
        status__in=Registration.LIVE_STATUSES,
    ).exclude(pk=registration.pk).exists()


# --- Freezing and settling ----------------------------------------------------


def registration_freeze(registration: Registration, *, on: dt.date) -> None:
    """Freeze the quote for a registration date ``on`` (raises ``QuoteError``)."""
    services.settlement_freeze(registration=registration, on=on)


def registration_settle(registration: Registration, case: TheftCase, *, at: dt.datetime,
                        officer=None, reason: str = "settled: credited the total payable") -> None:
    """Settle: only ever when the money credited covers the total (§4.2a)."""
    if registration.total_payable is None or registration.credited < registration.total_payable:
        raise RegistrationError(
            _("The money credited does not cover the total payable; it cannot be settled."),
            code="not_covered",
        )
    registration.status = RegistrationStatus.SETTLED
    registration.settled_at = at
    registration.expires_at = None
    registration.balance = ZERO
    if registration.credited > registration.total_payable:
        registration.held_reason = HeldReason.EXCESS
    elif registration.held_reason == HeldReason.EXCESS:
        registration.held_reason = HeldReason.NONE
    registration_save(registration,
                      ["status", "settled_at", "expires_at", "balance", "held_reason"],
                      reason=reason, officer=officer)
    case_lifecycle.case_mark_settled(case=case)
    registration_sms(registration, sms_templates.SETTLED,
                     variables={"registration": registration.registration_number,
                    "case": case.case_number})


def registration_fee_paid(registration: Registration, *, paid_at: dt.datetime, on: dt.date,
                          officer=None, reason: str = "fee paid: settlement frozen") -> str:
    """Freeze on ``on`` and move to ``fee_paid`` (or straight to settled)."""
    registration_freeze(registration, on=on)
    registration.refresh_from_db()
    registration.status = RegistrationStatus.FEE_PAID
    registration.fee_paid_at = paid_at
    registration.expires_at = None
    registration.held_reason = HeldReason.NONE
    balance_refresh(registration)
    registration_save(registration,
                      ["status", "fee_paid_at", "expires_at", "held_reason", "balance"],
                      reason=reason, officer=officer)
    case = case_lock(registration)
    # Registering closes the case's open action items (DESIGN §4.4).
    case_registered.notify(case)
    case_lifecycle.case_mark_registered(case=case)
    if registration.credited >= registration.total_payable:
        # Nothing left after the fee (a small assessment): settled now.
        registration_settle(registration, case, at=paid_at, officer=officer)
        return "settled"
    registration_sms(registration, sms_templates.FEE_PAID, variables={
        "registration": registration.registration_number,
        "balance": format_inr(registration.balance),
        "due": registration.balance_due_date.strftime("%d-%m-%Y")
        if registration.balance_due_date else "",
    })
    return "fee_paid"


def money_hold(registration: Registration, reason: str) -> PaymentOutcome:
    registration.held_reason = reason
    fields = ["held_reason", "credited"]
    if registration.status == RegistrationStatus.SUBMITTED:
        # Money is in: the 48-hour expiry no longer applies.
        registration.expires_at = None
        fields.append("expires_at")
    registration_save(registration, fields, reason=f"money held for staff: {reason}")
    logger.warning("registration %s: money held (%s)", registration.pk, reason)
    return PaymentOutcome(changed=True, action="needs_attention")
