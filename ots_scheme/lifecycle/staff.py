"""Staff decisions on a registration: verify, reject, and the displacement of
unverified registrants by the case's owner (DESIGN §4.3, §7).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from messaging import sms_templates
from ots_scheme.lifecycle.base import (
    RegistrationError,
    case_lock,
    lock,
    registration_save,
    registration_sms,
)
from ots_scheme.models import (
    DISPLACEABLE,
    HeldReason,
    Registration,
    RegistrationStatus,
)
from theft_cases import lifecycle as case_lifecycle
from theft_cases.models import CaseStatus, TheftCase

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
    registration_save(registration, ["status", "verified_at", "verified_by"], officer=officer)
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
    registration_save(registration, fields, officer=officer)
    case = case_lock(registration)
    case_lifecycle.case_reopen(case=case)
    registration_sms(registration, sms_templates.REJECTED,
                     variables={"registration": registration.registration_number,
                                "reason": reason[:120]})
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
        registration_save(registration, fields, reason="displaced by the owner's registration")
        registration_sms(registration, sms_templates.REJECTED, variables={
            "registration": registration.registration_number, "reason": reason[:120]})
    if displaced and case.status == CaseStatus.REGISTERED:
        case_lifecycle.case_reopen(case=case)  # registered again by the owner's fee
    return displaced
