"""The registration lifecycle (DESIGN §4.3): create, pay, verify, reject, expire.

``submitted`` → ``fee_paid`` → ``verified`` → ``settled``; ``submitted``
expires after 48 hours unpaid; staff may reject any registration with a
reason. At most one live registration per case per scheme: the case row is
locked while a registration is made, and the database constraint
``one_live_registration_per_case_scheme`` is the last word.

Money that arrives for a registration that is no longer live is never lost
(DESIGN §1, "no payment is ever lost"): the payment stays ``success`` in the
ledger and

* an **expired** registration is made live again (``fee_paid``) when its case
  has no other live registration — the person paid, only late (a slow bank);
* otherwise — the case has another live registration, or staff **rejected**
  the registration (their decision stands) — nothing is changed and the
  registration shows in the staff list under "paid, needs attention"
  (:func:`needing_attention`), where an officer reinstates or refunds it.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from consumers import sms_templates
from consumers.sms import queue_sms
from ots_scheme.models import (
    DISPLACEABLE,
    LIVE_REGISTRATION_STATUSES,
    IdProofType,
    Registration,
    RegistrationStatus,
    Scheme,
)
from redportal.money import format_inr, ist_date, today_ist
from theft_cases.models import CaseStatus, TheftCase

logger = logging.getLogger(__name__)
UNPAID_VALID_FOR = dt.timedelta(hours=48)
MOBILE_RE = re.compile(r"^[6-9]\d{9}$")
FEE_PAID_STATUSES = [
    RegistrationStatus.FEE_PAID,
    RegistrationStatus.VERIFIED,
    RegistrationStatus.SETTLED,
    RegistrationStatus.LAPSED,
]


class RegistrationError(Exception):
    """A registration refused, with a message for the person (translated)."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class PaymentOutcome:
    """What :func:`on_payment_success` did (for logs and tests)."""

    changed: bool
    action: str


def normalise_mobile(value: str) -> str:
    """Return a 10-digit mobile without +91 / 91 / 0, or "" when it is not one."""
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+91"):
        digits = digits[3:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return digits if MOBILE_RE.match(digits) else ""


def registration_number_for(registration: Registration) -> str:
    """Build the human-friendly number, e.g. ``OTS23-AMI1-000123`` (≤ 24 chars).

    The scheme part is the scheme code's first word plus its year digits,
    the unit part the sub-division's letters and digits, the tail the row id —
    unique because the id is.
    """
    parts = registration.scheme.code.upper().split("-")
    scheme_part = (parts[0] + "".join(p for p in parts[1:] if p.isdigit()))[:6]
    code = registration.sub_division.code.upper()
    letters = "".join(c for c in code if c.isalpha())[:3]
    digits = "".join(c for c in code if c.isdigit())[:2]
    return f"{scheme_part}-{letters}{digits}-{registration.pk:06d}"


def _quote(*, case: TheftCase, scheme: Scheme, on: dt.date):
    """Return the settlement engine's quote for today, or raise RegistrationError."""
    from ots_scheme import services
    from ots_scheme.settlement import QuoteError

    try:
        return services.quote_for_case(case=case, scheme=scheme, on=on)
    except QuoteError as err:
        raise RegistrationError(services.error_message(err), code="not_eligible") from err


def _already_registered() -> RegistrationError:
    return RegistrationError(
        _("This case already has a registration under the scheme. Check its status "
          "with the registration number, or ask your SDO office."),
        code="already_registered",
    )


def check_case_can_register(*, case: TheftCase, scheme: Scheme, on: dt.date | None = None,
                            displacing: bool = False):
    """Return today's quote for the case, or raise RegistrationError saying why not.

    ``displacing``: the registrant proved the mobile on record (or an officer
    registers them), so an unverified registration does not stand in the way
    (:func:`registration_displace_unverified`).
    """
    if case.status == CaseStatus.SETTLED:
        raise RegistrationError(
            _("This case is already settled. Nothing more is due under the scheme."),
            code="settled",
        )
    live = Registration.objects.filter(
        case=case, scheme=scheme, status__in=LIVE_REGISTRATION_STATUSES)
    if displacing:
        live = live.exclude(DISPLACEABLE)
    if live.exists():
        raise _already_registered()
    return _quote(case=case, scheme=scheme, on=on or today_ist())


def _validate_details(*, applicant_name, address, mobile, id_proof_type, id_proof_last4,
                      declaration_accepted, mobile_optional=False) -> str:
    if not declaration_accepted:
        raise RegistrationError(_("Please accept the declaration to register."),
                                code="declaration")
    if not (applicant_name or "").strip() or not (address or "").strip():
        raise RegistrationError(_("Please give your name and the address of the premises."),
                                code="details")
    clean_mobile = normalise_mobile(mobile)
    if not clean_mobile and not (mobile_optional and not (mobile or "").strip()):
        raise RegistrationError(_("Enter a 10-digit mobile number starting with 6, 7, 8 or 9."),
                                code="mobile")
    if id_proof_type and id_proof_type not in IdProofType.values:
        raise RegistrationError(_("Choose a type of ID proof from the list."), code="id_proof")
    if id_proof_last4 and not re.fullmatch(r"[0-9A-Za-z]{4}", id_proof_last4):
        raise RegistrationError(_("Give only the last 4 characters of your ID number."),
                                code="id_proof")
    return clean_mobile


@transaction.atomic
def create_registration(
    *,
    case: TheftCase,
    scheme: Scheme,
    applicant_name: str,
    father_or_husband_name: str,
    address: str,
    mobile: str,
    email: str = "",
    id_proof_type: str = "",
    id_proof_last4: str = "",
    id_document=None,
    declaration_accepted: bool,
    identity_check_required: bool = False,
    assisted_by=None,
    consent_document=None,
    on: dt.date | None = None,
) -> Registration:
    """Register a case under a scheme with today's quote; refuse with a clear reason.

    The case row is locked first, so two people registering the same case at
    once are served one after the other and the second is told it exists.
    """
    clean_mobile = _validate_details(
        applicant_name=applicant_name, address=address, mobile=mobile,
        id_proof_type=id_proof_type, id_proof_last4=id_proof_last4,
        declaration_accepted=declaration_accepted,
        # Assisted registration of a person with no mobile: consent is a signed
        # declaration uploaded by the officer instead of an OTP.
        mobile_optional=assisted_by is not None and consent_document is not None,
    )
    case = TheftCase.objects.select_for_update(of=("self",)).select_related(
        "sub_division").get(pk=case.pk)
    on = on or today_ist()
    quote = check_case_can_register(case=case, scheme=scheme, on=on,
                                    displacing=not identity_check_required)
    if not identity_check_required:
        registration_displace_unverified(case=case, scheme=scheme)
    registration = Registration(
        # Unique placeholder until the row id gives the real number.
        registration_number=f"NEW-{uuid.uuid4().hex}"[:24],
        case=case,
        scheme=scheme,
        sub_division=case.sub_division,
        status=RegistrationStatus.SUBMITTED,
        applicant_name=applicant_name.strip(),
        father_or_husband_name=(father_or_husband_name or "").strip(),
        address=address.strip(),
        mobile=clean_mobile,
        email=(email or "").strip(),
        id_proof_type=id_proof_type or "",
        id_proof_last4=id_proof_last4 or "",
        declaration_accepted=True,
        identity_check_required=identity_check_required,
        assisted_by=assisted_by,
        language=_language(),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as err:
        # Another request won the race past the lock (e.g. SQLite): one stays.
        raise _already_registered() from err
    from ots_scheme import services

    services.apply_quote(registration=registration, quote=quote, on=on)
    registration.registration_number = registration_number_for(registration)
    registration.expires_at = registration.created_at + UNPAID_VALID_FOR
    if id_document is not None:
        registration.id_document.save(_upload_name(id_document, "id"), id_document, save=False)
    if consent_document is not None:
        registration.consent_document.save(
            _upload_name(consent_document, "consent"), consent_document, save=False
        )
    registration.save()
    _sms(
        registration, sms_templates.REGISTRATION_CREATED,
        variables={
            "registration": registration.registration_number,
            "case": case.case_number,
            "fee": format_inr(registration.registration_fee),
        },
    )
    return registration


def registration_displace_unverified(*, case: TheftCase, scheme: Scheme) -> list[Registration]:
    """Reject the case's live registrations whose registrant nobody has verified.

    DESIGN §7: a person who verified only a mobile of their own (the case had
    none on record) must not block the case's real owner. When the owner
    proves the mobile on record by OTP — or an officer registers them in
    person — and registers, every live registration of the case under the
    scheme with ``identity_check_required`` and no staff verification yet is
    rejected with the reason, and its registrant is told by SMS. A settled
    registration stays (the case is paid off). Money already paid on a
    displaced registration stays in the ledger and shows under "paid, needs
    attention" (:func:`needing_attention`) for staff to refund.

    Call with the case row locked (``create_registration`` does). Returns
    the displaced registrations.
    """
    displaced = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(case=case, scheme=scheme, status__in=LIVE_REGISTRATION_STATUSES)
        .filter(DISPLACEABLE).order_by("pk")
    )
    for registration in displaced:
        with translation.override(registration.language or "hi"):  # their SMS's language
            reason = _("The case's owner verified the mobile on record and registered.")
        registration.status = RegistrationStatus.REJECTED
        registration.rejected_at = timezone.now()
        registration.rejection_reason = reason
        registration._change_reason = "displaced by the owner's registration"
        registration.save(update_fields=["status", "rejected_at", "rejection_reason"])
        _sms(registration, sms_templates.REJECTED, variables={
            "registration": registration.registration_number, "reason": reason[:120]})
    if displaced and case.status == CaseStatus.REGISTERED:
        _mark_case(case, CaseStatus.FED)  # registered again by the owner's fee
    return displaced


def _upload_name(upload, kind: str) -> str:
    # Never trust the uploaded name: keep only a safe extension from the content check.
    ext = getattr(upload, "checked_extension", "") or "bin"
    return f"{kind}.{ext}"


def _sms(registration: Registration, template: str, variables: dict) -> None:
    """Text the person in the language they registered in."""
    if registration.mobile:
        queue_sms(mobile=registration.mobile, template=template, variables=variables,
                  language=registration.language or "hi")


def _language() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "hi").startswith("en") else "hi"


def _lock(registration_id: int) -> Registration:
    # ``of=("self",)``: lock the registration, not the scheme and sub-division
    # rows it joins (every payment of the scheme would queue on them).
    return (Registration.objects.select_for_update(of=("self",))
            .select_related("case", "scheme", "sub_division").get(pk=registration_id))


def _mark_case(case: TheftCase, status: str) -> None:
    if case.status != status:
        case.status = status
        if status in (CaseStatus.REGISTERED, CaseStatus.SETTLED):
            case.flagged_at = None
        case.save(update_fields=["status", "flagged_at", "updated_at"])


def _fee_paid(registration: Registration, payment) -> None:
    from ots_scheme import services
    from ots_scheme.settlement import QuoteError
    from theft_cases.actions import close_open_items

    registration.status = RegistrationStatus.FEE_PAID
    registration.fee_paid_at = payment.paid_at
    registration.expires_at = None
    registration.save()
    try:
        services.freeze_settlement(registration=registration, paid_at=payment.paid_at)
    except QuoteError:
        # Neither the payment date nor the registration date is open any more;
        # the money is kept and the stored quote stands until staff recompute.
        logger.warning("registration %s: settlement not frozen", registration.pk)
    registration.refresh_from_db()
    case = TheftCase.objects.select_for_update().get(pk=registration.case_id)
    close_open_items(case=case)
    if registration.balance is not None and registration.balance <= 0:
        # Nothing left after the fee (a tiny assessment, DESIGN §4.2): settled now.
        _settle(registration, case, payment)
        return
    _mark_case(case, CaseStatus.REGISTERED)
    _sms(
        registration, sms_templates.FEE_PAID,
        variables={
            "registration": registration.registration_number,
            "balance": format_inr(registration.balance),
            "due": registration.balance_due_date.strftime("%d-%m-%Y")
            if registration.balance_due_date else "",
        },
    )


def _settle(registration: Registration, case: TheftCase, payment) -> None:
    registration.status = RegistrationStatus.SETTLED
    registration.settled_at = payment.paid_at
    registration.save(update_fields=["status", "settled_at"])
    _mark_case(case, CaseStatus.SETTLED)
    _sms(
        registration, sms_templates.SETTLED,
        variables={"registration": registration.registration_number,
                   "case": case.case_number},
    )


def on_payment_success(*, payment) -> PaymentOutcome:
    """Move the registration on after a successful payment; idempotent.

    Called by the payments app inside its transaction when a payment becomes
    ``success`` (online or counter). A second call for the same payment finds
    the registration already moved on and changes nothing.
    """
    with transaction.atomic():
        registration = _lock(payment.registration_id)
        if payment.purpose == "registration_fee":
            return _on_fee(registration, payment)
        return _on_balance(registration, payment)


def _on_fee(registration: Registration, payment) -> PaymentOutcome:
    status = registration.status
    if status in FEE_PAID_STATUSES:
        # Already paid (this payment again, or a duplicate: see needing_attention).
        return PaymentOutcome(changed=False, action="already_paid")
    if status == RegistrationStatus.SUBMITTED:
        _fee_paid(registration, payment)
        return PaymentOutcome(changed=True, action="fee_paid")
    if status == RegistrationStatus.EXPIRED:
        TheftCase.objects.select_for_update().get(pk=registration.case_id)
        other_live = Registration.objects.filter(
            case_id=registration.case_id, scheme_id=registration.scheme_id,
            status__in=LIVE_REGISTRATION_STATUSES,
        ).exclude(pk=registration.pk).exists()
        if not other_live and registration.case.status != CaseStatus.SETTLED:
            _fee_paid(registration, payment)
            return PaymentOutcome(changed=True, action="revived")
    # Rejected, or expired with another live registration: kept for staff.
    return PaymentOutcome(changed=False, action="needs_attention")


def _on_balance(registration: Registration, payment) -> PaymentOutcome:
    status = registration.status
    if status == RegistrationStatus.SETTLED:
        return PaymentOutcome(changed=False, action="already_settled")
    paid_in_time = (
        registration.balance_due_date is None
        or ist_date(payment.paid_at) <= registration.balance_due_date
    )
    if status in (RegistrationStatus.FEE_PAID, RegistrationStatus.VERIFIED) or (
        status == RegistrationStatus.LAPSED and paid_in_time
    ):
        case = TheftCase.objects.select_for_update().get(pk=registration.case_id)
        _settle(registration, case, payment)
        return PaymentOutcome(changed=True, action="settled")
    return PaymentOutcome(changed=False, action="needs_attention")


@transaction.atomic
def verify_registration(*, registration: Registration, officer) -> Registration:
    """Record that a JE/SDO checked the identity and documents."""
    registration = _lock(registration.pk)
    if registration.status != RegistrationStatus.FEE_PAID:
        raise RegistrationError(
            _("Only a registration whose fee is paid can be verified."), code="state"
        )
    registration.status = RegistrationStatus.VERIFIED
    registration.verified_at = timezone.now()
    registration.verified_by = officer
    registration._history_user = officer
    registration.save(update_fields=["status", "verified_at", "verified_by"])
    return registration


@transaction.atomic
def reject_registration(*, registration: Registration, officer, reason: str) -> Registration:
    """Reject a registration with a reason and tell the person by SMS."""
    reason = (reason or "").strip()
    if not reason:
        raise RegistrationError(_("Give the reason for rejecting."), code="reason")
    registration = _lock(registration.pk)
    if registration.status == RegistrationStatus.REJECTED:
        raise RegistrationError(_("This registration is already rejected."), code="state")
    registration.status = RegistrationStatus.REJECTED
    registration.rejected_at = timezone.now()
    registration.rejected_by = officer
    registration.rejection_reason = reason
    registration._history_user = officer
    registration.save(update_fields=["status", "rejected_at", "rejected_by",
                                     "rejection_reason"])
    case = TheftCase.objects.select_for_update().get(pk=registration.case_id)
    if case.status in (CaseStatus.REGISTERED, CaseStatus.SETTLED):
        # The case is open again; the flagging sweep takes it from here.
        _mark_case(case, CaseStatus.FED)
    _sms(
        registration, sms_templates.REJECTED,
        variables={"registration": registration.registration_number, "reason": reason[:120]},
    )
    return registration


def expire_unpaid_registrations(*, now: dt.datetime | None = None) -> int:
    """Expire ``submitted`` registrations unpaid 48 hours after they were made.

    Set-based in batches; a registration with a payment still in flight
    (initiated / pending) is left alone until the payment is settled.
    """
    from payments.models import Payment

    now = now or timezone.now()
    in_flight = Payment.objects.filter(
        registration=OuterRef("pk"), status__in=["initiated", "pending"]
    )
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(status=RegistrationStatus.SUBMITTED, expires_at__lt=now)
                .filter(~Exists(in_flight))
                .order_by("pk")[:1000]
            )
            if not batch:
                return expired
            for registration in batch:
                registration.status = RegistrationStatus.EXPIRED
            bulk_update_with_history(batch, Registration, ["status"], batch_size=1000,
                                     default_change_reason="expired unpaid after 48 h")
            expired += len(batch)


def needing_attention(queryset):
    """Narrow to registrations holding money that moved nothing (staff to act).

    A successful fee for a rejected / expired registration, or a second
    successful fee for one registration.
    """
    from payments.models import Payment

    fee_success = Payment.objects.filter(
        registration=OuterRef("pk"), purpose="registration_fee", status="success"
    )
    duplicate = Payment.objects.filter(
        registration=OuterRef("pk"), purpose="registration_fee", status="success"
    ).exclude(paid_at=OuterRef("fee_paid_at"))
    return queryset.filter(
        Q(Exists(fee_success), status__in=[RegistrationStatus.REJECTED,
                                           RegistrationStatus.EXPIRED])
        | Q(Exists(duplicate), status__in=FEE_PAID_STATUSES)
    )
