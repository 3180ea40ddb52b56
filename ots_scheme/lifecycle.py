"""Every change of ``Registration.status``: the one owner of the field (STYLE.md).

The lifecycle of DESIGN §4.3 with the money rules of §4.2a:

``submitted`` → ``fee_paid`` → ``verified`` → ``settled``; ``submitted``
expires after 48 hours unpaid; ``fee_paid``/``verified`` → ``lapsed`` when
the balance is not paid by the deadline; any → ``rejected`` by staff.

When money arrives (:func:`registration_credit`, called by the payments app
inside its transaction, after the payments ledger wrote the credit entry):

* the registration date is the IST date the fee money arrived, and the
  settlement is frozen on that day's phase from the case's amounts at that
  moment; no phase open that day → the money is held for staff;
* balance due = frozen total payable − money actually credited;
* settled only when credited ≥ total payable;
* a balance after the deadline lapses the registration and stays credited;
* money for a registration that is not live, or more than the total, is held
  for staff (``HeldReason``), who apply it or record its refund.

Per-row transitions lock the registration (``of=("self",)``: never the
scheme and sub-division rows it joins). Set-based transitions (expiry,
lapse) write their history rows themselves.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from common.history import record_history
from core.dates import ist_date
from core.errors import ServiceError
from core.money import format_inr
from messaging import sms_templates
from messaging.sms import queue_sms
from ots_scheme import case_registered
from ots_scheme.models import (
    HeldReason,
    Registration,
    RegistrationStatus,
)
from ots_scheme.settlement import NotOpen, QuoteError
from theft_cases import lifecycle as case_lifecycle
from theft_cases.models import CaseStatus, TheftCase

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


def _sms(registration: Registration, template: str, variables: dict) -> None:
    """Text the person in the language they registered in."""
    if registration.mobile:
        queue_sms(mobile=registration.mobile, template=template, variables=variables,
                  language=registration.language or "hi")


def _save(registration: Registration, fields: list[str], *, reason: str = "",
          officer=None) -> None:
    if reason:
        registration._change_reason = reason
    if officer is not None:
        registration._history_user = officer
    registration.save(update_fields=fields)


def _refresh_balance(registration: Registration) -> None:
    # DESIGN §4.2a: balance due = frozen total payable − money credited.
    if registration.total_payable is not None:
        registration.balance = max(ZERO, registration.total_payable - registration.credited)


def _lock_case(registration: Registration) -> TheftCase:
    return TheftCase.objects.select_for_update(of=("self",)).get(pk=registration.case_id)


def _other_live(registration: Registration) -> bool:
    return Registration.objects.filter(
        case_id=registration.case_id, scheme_id=registration.scheme_id,
        status__in=Registration.LIVE_STATUSES,
    ).exclude(pk=registration.pk).exists()


# --- Freezing and settling ----------------------------------------------------


def _freeze(registration: Registration, *, on: dt.date) -> None:
    """Freeze the quote for a registration date ``on`` (raises ``QuoteError``)."""
    from ots_scheme import services

    services.freeze_settlement(registration=registration, on=on)


def _settle(registration: Registration, case: TheftCase, *, at: dt.datetime,
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
    _save(registration, ["status", "settled_at", "expires_at", "balance", "held_reason"],
          reason=reason, officer=officer)
    case_lifecycle.case_mark_settled(case=case)
    _sms(registration, sms_templates.SETTLED,
         variables={"registration": registration.registration_number,
                    "case": case.case_number})


def _fee_paid(registration: Registration, *, paid_at: dt.datetime, on: dt.date,
              officer=None, reason: str = "fee paid: settlement frozen") -> str:
    """Freeze on ``on`` and move to ``fee_paid`` (or straight to settled)."""
    _freeze(registration, on=on)
    registration.refresh_from_db()
    registration.status = RegistrationStatus.FEE_PAID
    registration.fee_paid_at = paid_at
    registration.expires_at = None
    registration.held_reason = HeldReason.NONE
    _refresh_balance(registration)
    _save(registration, ["status", "fee_paid_at", "expires_at", "held_reason", "balance"],
          reason=reason, officer=officer)
    case = _lock_case(registration)
    # Registering closes the case's open action items (DESIGN §4.4).
    case_registered.notify(case)
    case_lifecycle.case_mark_registered(case=case)
    if registration.credited >= registration.total_payable:
        # Nothing left after the fee (a small assessment): settled now.
        _settle(registration, case, at=paid_at, officer=officer)
        return "settled"
    _sms(registration, sms_templates.FEE_PAID, variables={
        "registration": registration.registration_number,
        "balance": format_inr(registration.balance),
        "due": registration.balance_due_date.strftime("%d-%m-%Y")
        if registration.balance_due_date else "",
    })
    return "fee_paid"


def _hold(registration: Registration, reason: str) -> PaymentOutcome:
    registration.held_reason = reason
    fields = ["held_reason", "credited"]
    if registration.status == RegistrationStatus.SUBMITTED:
        # Money is in: the 48-hour expiry no longer applies.
        registration.expires_at = None
        fields.append("expires_at")
    _save(registration, fields, reason=f"money held for staff: {reason}")
    logger.warning("registration %s: money held (%s)", registration.pk, reason)
    return PaymentOutcome(changed=True, action="needs_attention")


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
        _refresh_balance(registration)
        _save(registration, ["credited", "balance"], reason=f"credited {amount:.2f}")
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
                case = _lock_case(registration)
                _settle(registration, case, at=paid_at,
                        reason="settled: balance paid by the deadline, credited late")
                return PaymentOutcome(changed=True, action="settled")
            return _hold(registration, HeldReason.LATE_BALANCE)
        if status == RegistrationStatus.SETTLED:
            return _hold(registration, HeldReason.EXCESS)
        # Rejected, or a balance for a registration whose fee was never paid.
        return _hold(registration, HeldReason.NOT_LIVE)


def _credit_fee(registration: Registration, *, paid_at: dt.datetime, day: dt.date
                ) -> PaymentOutcome:
    case = _lock_case(registration)
    if registration.status == RegistrationStatus.EXPIRED and (
        _other_live(registration) or case.status == CaseStatus.SETTLED
    ):
        return _hold(registration, HeldReason.NOT_LIVE)
    revived = registration.status == RegistrationStatus.EXPIRED
    try:
        action = _fee_paid(registration, paid_at=paid_at, on=day,
                           reason="fee paid after expiry: revived" if revived else
                           "fee paid: settlement frozen")
    except NotOpen:
        return _hold(registration, HeldReason.NO_PHASE_OPEN)
    except QuoteError:
        return _hold(registration, HeldReason.NOT_LIVE)
    return PaymentOutcome(changed=True, action="revived" if revived else action)


def _credit_balance(registration: Registration, *, paid_at: dt.datetime, day: dt.date
                    ) -> PaymentOutcome:
    if registration.balance_due_date and day > registration.balance_due_date:
        # DESIGN §4.2a: a late balance lapses the registration; the money stays
        # credited against the case's dues and staff see it.
        registration.status = RegistrationStatus.LAPSED
        registration.lapsed_at = timezone.now()
        registration.held_reason = HeldReason.LATE_BALANCE
        _refresh_balance(registration)
        _save(registration, ["status", "lapsed_at", "held_reason", "credited", "balance"],
              reason="lapsed: balance paid after the deadline")
        return PaymentOutcome(changed=True, action="lapsed_late")
    _refresh_balance(registration)
    if registration.credited >= registration.total_payable:
        registration.save(update_fields=["credited", "balance"])
        _settle(registration, _lock_case(registration), at=paid_at)
        return PaymentOutcome(changed=True, action="settled")
    _save(registration, ["credited", "balance"], reason="part of the balance credited")
    return PaymentOutcome(changed=True, action="part_paid")


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
        _refresh_balance(registration)
        fields.append("balance")
    _save(registration, fields, reason=f"refund of {amount:.2f} recorded", officer=officer)
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
        if registration.status == RegistrationStatus.REJECTED or _other_live(registration) \
                or registration.case.status == CaseStatus.SETTLED:
            raise RegistrationError(
                _("This registration cannot be made live (rejected, settled, or another "
                  "registration is live): record a refund instead."), code="state")
        if registration.status not in (RegistrationStatus.SUBMITTED, RegistrationStatus.EXPIRED):
            raise RegistrationError(_("This registration's fee is already applied."),
                                    code="state")
        on = registration.quoted_on or ist_date(registration.created_at)
        try:
            _fee_paid(registration, paid_at=timezone.now(), on=on, officer=officer,
                      reason=change)
        except QuoteError as err:
            from ots_scheme import services

            raise RegistrationError(services.error_message(err), code="not_open") from err
    elif reason == HeldReason.LATE_BALANCE:
        if registration.total_payable is None or \
                registration.credited < registration.total_payable:
            raise RegistrationError(
                _("The money credited does not cover the total payable; it cannot be settled."),
                code="not_covered")
        registration.held_reason = HeldReason.NONE
        _settle(registration, _lock_case(registration), at=timezone.now(), officer=officer,
                reason=change)
    else:
        registration.held_reason = HeldReason.NONE
        _save(registration, ["held_reason"], reason=change, officer=officer)
    registration.refresh_from_db()
    return registration


def registration_settle_nothing_due(*, registration: Registration) -> None:
    """Settle a registration whose total payable is ₹0 (DESIGN §4.2a).

    Deposits cover the payable and there is no compounding fee: nothing is
    asked to be paid; the settlement is frozen on the registration date and
    the certificate issued.
    """
    registration = lock(registration.pk)
    if registration.status != RegistrationStatus.SUBMITTED or registration.total_payable != 0:
        return
    _freeze(registration, on=registration.quoted_on or ist_date(timezone.now()))
    registration.refresh_from_db()
    if registration.total_payable != 0:
        return
    case = _lock_case(registration)
    case_registered.notify(case)
    case_lifecycle.case_mark_registered(case=case)
    _settle(registration, case, at=timezone.now(),
            reason="settled on registration: nothing to pay")


# --- Staff decisions ------------------------------------------------------------


@transaction.atomic
def registration_verify(*, registration: Registration, officer) -> Registration:
    """Record that a JE/SDO checked the identity and documents."""
    registration = lock(registration.pk)
    if registration.status != RegistrationStatus.FEE_PAID:
        raise RegistrationError(
            _("Only a registration whose fee is paid can be verified."), code="state"
        )
    registration.status = RegistrationStatus.VERIFIED
    registration.verified_at = timezone.now()
    registration.verified_by = officer
    _save(registration, ["status", "verified_at", "verified_by"], officer=officer)
    return registration


@transaction.atomic
def registration_reject(*, registration: Registration, officer, reason: str) -> Registration:
    """Reject a registration with a reason and tell the person by SMS."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Give the reason for rejecting."), code="reason")
    registration = lock(registration.pk)
    if registration.status == RegistrationStatus.REJECTED:
        raise RegistrationError(_("This registration is already rejected."), code="state")
    registration.status = RegistrationStatus.REJECTED
    registration.rejected_at = timezone.now()
    registration.rejected_by = officer
    registration.rejection_reason = reason
    fields = ["status", "rejected_at", "rejected_by", "rejection_reason"]
    if registration.credited > 0 and not registration.held_reason:
        # Money already credited is never lost: staff refund it or apply it.
        registration.held_reason = HeldReason.NOT_LIVE
        fields.append("held_reason")
    _save(registration, fields, officer=officer)
    case = _lock_case(registration)
    case_lifecycle.case_reopen(case=case)
    _sms(registration, sms_templates.REJECTED,
         variables={"registration": registration.registration_number, "reason": reason[:120]})
    return registration


def registrations_displace(*, case: TheftCase, scheme) -> list[Registration]:
    """Reject the case's live, unverified registrations: its owner has registered.

    DESIGN §7: a person who verified only a mobile of their own (the case had
    none on record) must not block the case's real owner. When the owner
    proves the mobile on record by OTP — or an officer registers them in
    person — every live registration of the case under the scheme with
    ``identity_check_required`` and no staff verification yet is rejected
    with the reason, and its registrant is told by SMS. A settled one stays
    (the case is paid off). Money already credited to a displaced
    registration is held for staff to refund (never lost).
    """
    from ots_scheme.models import DISPLACEABLE

    displaced = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(case=case, scheme=scheme, status__in=Registration.LIVE_STATUSES)
        .filter(DISPLACEABLE).order_by("pk")
    )
    for registration in displaced:
        with translation.override(registration.language or "hi"):  # their SMS's language
            reason = _("The case's owner verified the mobile on record and registered.")
        registration.status = RegistrationStatus.REJECTED
        registration.rejected_at = timezone.now()
        registration.rejection_reason = reason
        fields = ["status", "rejected_at", "rejection_reason"]
        if registration.credited > 0 and not registration.held_reason:
            registration.held_reason = HeldReason.NOT_LIVE
            fields.append("held_reason")
        _save(registration, fields, reason="displaced by the owner's registration")
        _sms(registration, sms_templates.REJECTED, variables={
            "registration": registration.registration_number, "reason": reason[:120]})
    if displaced and case.status == CaseStatus.REGISTERED:
        case_lifecycle.case_reopen(case=case)  # registered again by the owner's fee
    return displaced


# --- Set-based transitions --------------------------------------------------------


def registrations_expire_unpaid(*, now: dt.datetime, in_flight: QuerySet) -> int:
    """Expire ``submitted`` registrations unpaid 48 hours after they were made.

    Set-based in batches; ``in_flight`` (payments still open, correlated on
    ``registration``) are left alone until the bank has answered, and so is a
    registration holding money.
    """
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(status=RegistrationStatus.SUBMITTED, expires_at__lt=now,
                        credited=0, held_reason="")
                .filter(~Exists(in_flight.filter(registration=OuterRef("pk"))))
                .order_by("pk")[:1000]
            )
            if not batch:
                return expired
            for registration in batch:
                registration.status = RegistrationStatus.EXPIRED
            bulk_update_with_history(batch, Registration, ["status"], batch_size=1000,
                                     default_change_reason="expired unpaid after 48 h")
            expired += len(batch)


def registrations_lapse(*, queryset: QuerySet, now: dt.datetime) -> int:
    """Lapse the fee-paid registrations in ``queryset`` (balance deadline passed).

    One UPDATE and one history INSERT … SELECT, whatever the number of rows
    (the nightly sweep, DESIGN §4.4). Nothing is refunded: the money stays
    credited against the case's dues.
    """
    lapsed = queryset.filter(status__in=Registration.BALANCE_DUE_STATUSES).update(
        status=RegistrationStatus.LAPSED, lapsed_at=now
    )
    if lapsed:
        record_history(
            Registration.objects.filter(status=RegistrationStatus.LAPSED, lapsed_at=now),
            when=now, reason="lapsed: balance not paid by the deadline",
        )
    return lapsed
