"""Money held for staff: refunds taken off a registration, held money applied
by an officer (DESIGN §4.2a).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import ist_date
from core.money import format_inr
from ots_scheme import services
from ots_scheme.lifecycle.base import (
    RegistrationError,
    balance_refresh,
    case_lock,
    lock,
    other_live_exists,
    registration_fee_paid,
    registration_save,
    registration_settle,
)
from ots_scheme.models import (
    HeldReason,
    Registration,
    RegistrationStatus,
)
from ots_scheme.settlement import QuoteError
from theft_cases.models import CaseStatus


def registration_debit(*, registration_id: int, amount: Decimal, officer) -> Registration:
    """Take refunded money off a registration (the ledger wrote the refund entry).

    A held registration whose held money is all refunded is released: a
    ``submitted`` one with nothing left expires (the person may register
    again), an excess or late balance is no longer held.
    """
    registration = lock(registration_id)
    if amount <= 0 or amount > registration.credited:
        raise RegistrationError(_("The refund is more than the money credited."), code="refund")
    if not registration.held_reason:
        raise RegistrationError(_("Only money held for staff can be refunded."), code="refund")
    if registration.held_reason == HeldReason.EXCESS and registration.total_payable is not None \
            and registration.credited - amount < registration.total_payable:
        raise RegistrationError(
            _("Refund at most the excess: %(excess)s.")
            % {"excess": format_inr(registration.credited - registration.total_payable)},
            code="refund",
        )
    registration.credited -= amount
    fields = ["credited", "held_reason"]
    if registration.held_reason == HeldReason.EXCESS:
        if registration.credited <= registration.total_payable:
            registration.held_reason = HeldReason.NONE
    elif registration.credited == 0:
        registration.held_reason = HeldReason.NONE
        if registration.status == RegistrationStatus.SUBMITTED:
            registration.status = RegistrationStatus.EXPIRED
            fields.append("status")
    if registration.is_frozen and registration.status != RegistrationStatus.SETTLED:
        balance_refresh(registration)
        fields.append("balance")
    registration_save(registration, fields, reason=f"refund of {amount:.2f} recorded",
                      officer=officer)
    return registration


@transaction.atomic
def registration_held_apply(*, registration: Registration, officer, note: str) -> Registration:
    """Apply held money as staff decide (SDO and above; audited with the note).

    * fee paid on a day no phase was open, or for a registration that was not
      live: the fee is applied to the registration's own quote date (when the
      scheme was open) — the registration becomes ``fee_paid`` (or settled);
    * a late balance: the officer accepts it — settled, if the money covers
      the total;
    * an excess: kept against the case's dues, no longer held.
    """
    note = (note or "").strip()
    if not note:
        raise RegistrationError(_("Say why the money is applied."), code="note")
    registration = lock(registration.pk)
    reason = registration.held_reason
    if not reason:
        raise RegistrationError(_("No money is held on this registration."), code="state")
    change = f"held money applied by staff: {note[:200]}"
    registration.held_applied_by = officer
    registration.held_applied_at = timezone.now()
    registration.save(update_fields=["held_applied_by", "held_applied_at"])
    if reason in (HeldReason.NO_PHASE_OPEN, HeldReason.NOT_LIVE):
        if registration.status == RegistrationStatus.REJECTED or other_live_exists(registration) \
                or registration.case.status == CaseStatus.SETTLED:
            raise RegistrationError(
                _("This registration cannot be made live (rejected, settled, or another "
                  "registration is live): record a refund instead."), code="state")
        if registration.status not in (RegistrationStatus.SUBMITTED, RegistrationStatus.EXPIRED):
            raise RegistrationError(_("This registration's fee is already applied."),
                                    code="state")
        on = registration.quoted_on or ist_date(registration.created_at)
        try:
            registration_fee_paid(registration, paid_at=timezone.now(), on=on, officer=officer,
                                  reason=change)
        except QuoteError as err:
            raise RegistrationError(services.error_message(err), code="not_open") from err
    elif reason == HeldReason.LATE_BALANCE:
        if registration.total_payable is None or \
                registration.credited < registration.total_payable:
            raise RegistrationError(
                _("The money credited does not cover the total payable; it cannot be settled."),
                code="not_covered")
        registration.held_reason = HeldReason.NONE
        registration_settle(registration, case_lock(registration), at=timezone.now(),
                            officer=officer, reason=change)
    else:
        registration.held_reason = HeldReason.NONE
        registration_save(registration, ["held_reason"], reason=change, officer=officer)
    registration.refresh_from_db()
    return registration
