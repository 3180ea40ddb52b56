"""Money arriving for a registration: credit it and move the registration on, or
hold it for staff (DESIGN §4.2a); and the ₹0 registration settled at once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.dates import ist_date
from ots_scheme import case_registered
from ots_scheme.lifecycle.base import (
    FEE,
    PaymentOutcome,
    balance_refresh,
    case_lock,
    lock,
    money_hold,
    other_live_exists,
    registration_fee_paid,
    registration_freeze,
    registration_save,
    registration_settle,
)
from ots_scheme.models import (
    HeldReason,
    Registration,
    RegistrationStatus,
)
from ots_scheme.settlement import NotOpen, QuoteError
from theft_cases import lifecycle as case_lifecycle
from theft_cases.models import CaseStatus

# --- Money arriving -------------------------------------------------------------


def registration_credit(*, registration_id: int, amount: Decimal, purpose: str,
                        paid_at: dt.datetime) -> PaymentOutcome:
    """Credit money that arrived for a registration and move it on (§4.2a).

    Called once per successful payment by the payments ledger, inside its
    transaction (the ledger's unique credit entry per payment makes a second
    call impossible). Never refuses money: what cannot move the registration
    on is held for staff.
    """
    with transaction.atomic():
        registration = lock(registration_id)
        registration.credited += amount
        balance_refresh(registration)
        registration_save(registration, ["credited", "balance"], reason=f"credited {amount:.2f}")
        day = ist_date(paid_at)
        status = registration.status
        if purpose == FEE and status in (RegistrationStatus.SUBMITTED, RegistrationStatus.EXPIRED):
            return _credit_fee(registration, paid_at=paid_at, day=day)
        if status in Registration.BALANCE_DUE_STATUSES:
            return _credit_balance(registration, paid_at=paid_at, day=day)
        if status == RegistrationStatus.LAPSED:
            if registration.balance_due_date and day <= registration.balance_due_date \
                    and registration.credited >= registration.total_payable:
                # Paid in time; the bank was slow and the sweep lapsed it meanwhile.
                case = case_lock(registration)
                registration_settle(registration, case, at=paid_at,
                                    reason="settled: balance paid by the deadline, credited late")
                return PaymentOutcome(changed=True, action="settled")
            return money_hold(registration, HeldReason.LATE_BALANCE)
        if status == RegistrationStatus.SETTLED:
            return money_hold(registration, HeldReason.EXCESS)
        # Rejected, or a balance for a registration whose fee was never paid.
        return money_hold(registration, HeldReason.NOT_LIVE)


def _credit_fee(registration: Registration, *, paid_at: dt.datetime, day: dt.date
                ) -> PaymentOutcome:
    case = case_lock(registration)
    if registration.status == RegistrationStatus.EXPIRED and (
        other_live_exists(registration) or case.status == CaseStatus.SETTLED
    ):
        return money_hold(registration, HeldReason.NOT_LIVE)
    revived = registration.status == RegistrationStatus.EXPIRED
    try:
        action = registration_fee_paid(registration, paid_at=paid_at, on=day,
                                       reason="fee paid after expiry: revived" if revived else
                                       "fee paid: settlement frozen")
    except NotOpen:
        return money_hold(registration, HeldReason.NO_PHASE_OPEN)
    except QuoteError:
        return money_hold(registration, HeldReason.NOT_LIVE)
    return PaymentOutcome(changed=True, action="revived" if revived else action)


def _credit_balance(registration: Registration, *, paid_at: dt.datetime, day: dt.date
                    ) -> PaymentOutcome:
    if registration.balance_due_date and day > registration.balance_due_date:
        # DESIGN §4.2a: a late balance lapses the registration; the money stays
        # credited against the case's dues and staff see it.
        registration.status = RegistrationStatus.LAPSED
        registration.lapsed_at = timezone.now()
        registration.held_reason = HeldReason.LATE_BALANCE
        balance_refresh(registration)
        registration_save(registration,
                          ["status", "lapsed_at", "held_reason", "credited", "balance"],
                          reason="lapsed: balance paid after the deadline")
        return PaymentOutcome(changed=True, action="lapsed_late")
    balance_refresh(registration)
    if registration.credited >= registration.total_payable:
        registration.save(update_fields=["credited", "balance"])
        registration_settle(registration, case_lock(registration), at=paid_at)
        return PaymentOutcome(changed=True, action="settled")
    registration_save(registration, ["credited", "balance"], reason="part of the balance credited")
    return PaymentOutcome(changed=True, action="part_paid")


def registration_settle_nothing_due(*, registration: Registration) -> None:
    """Settle a registration whose total payable is ₹0 (DESIGN §4.2a).

    Deposits cover the payable and there is no compounding fee: nothing is
    asked to be paid; the settlement is frozen on the registration date and
    the certificate issued.
    """
    registration = lock(registration.pk)
    if registration.status != RegistrationStatus.SUBMITTED or registration.total_payable != 0:
        return
    registration_freeze(registration, on=registration.quoted_on or ist_date(timezone.now()))
    registration.refresh_from_db()
    if registration.total_payable != 0:
        return
    case = case_lock(registration)
    case_registered.notify(case)
    case_lifecycle.case_mark_registered(case=case)
    registration_settle(registration, case, at=timezone.now(),
                        reason="settled on registration: nothing to pay")
