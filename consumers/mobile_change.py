"""Change of the mobile on record of a case (issue 16).

A person whose mobile on record is no longer theirs proves the new mobile by
OTP and themselves by an ID proof; an officer of the case's jurisdiction, SDO
or above, approves or refuses. Approval changes the consumer's mobile (and
that of the case's live registrations) in history with the officer's name;
either way the new mobile is told by SMS. Until approval nothing is unmasked
for the person. This module owns ``MobileChangeRequest.status``.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consumers.models import MobileChangeRequest, MobileChangeStatus
from core.errors import ServiceError
from core.mobile import normalise_mobile
from messaging import sms_templates
from messaging.sms import sms_queue
from organization.models import Role
from ots_scheme.models import LIVE_REGISTRATION_STATUSES, IdProofType, Registration
from theft_cases.models import TheftCase

# Who may decide: the SDO and every officer above (DESIGN §1); a JE and IT
# support see the request but do not decide on a person's identity.
DECIDING_ROLES = frozenset({Role.SDO, Role.XEN, Role.SE, Role.CE, Role.DIRECTOR})


class MobileChangeError(ServiceError):
    """A refusal with a message for the person or officer (translated)."""


def may_decide(user) -> bool:
    """Return True when ``user`` may approve or refuse a change of mobile."""
    if getattr(user, "is_superuser", False):
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.role in DECIDING_ROLES


def pending_request(case: TheftCase) -> MobileChangeRequest | None:
    return case.mobile_change_requests.filter(status=MobileChangeStatus.PENDING).first()


@transaction.atomic
def mobile_change_request(*, case: TheftCase, new_mobile: str, id_proof_type: str,
                          id_proof_last4: str, document, language: str = "hi"
                          ) -> MobileChangeRequest:
    """File a request for ``case`` (the new mobile already proven by OTP)."""
    mobile = normalise_mobile(new_mobile)
    if not mobile:
        raise MobileChangeError(
            _("Enter a 10-digit mobile number starting with 6, 7, 8 or 9."), code="mobile")
    if id_proof_type not in IdProofType.values or len(id_proof_last4 or "") != 4:
        raise MobileChangeError(_("Give the ID proof and the last 4 characters of its number."),
                                code="id_proof")
    case = (TheftCase.objects.select_for_update(of=("self",)).select_related("consumer")
            .get(pk=case.pk))
    if mobile == case.consumer.mobile:
        raise MobileChangeError(
            _("This mobile is already the one on record for the case."), code="same_mobile")
    if pending_request(case) is not None:
        raise MobileChangeError(
            _("A change of mobile for this case is already waiting for the office's "
              "decision. You will get an SMS when it is decided."), code="pending")
    change = MobileChangeRequest(
        case=case, old_mobile=case.consumer.mobile, new_mobile=mobile,
        id_proof_type=id_proof_type, id_proof_last4=id_proof_last4.upper(),
        language="en" if language.startswith("en") else "hi",
    )
    extension = getattr(document, "checked_extension", "") or "bin"
    change.document.save(f"case-{case.pk}.{extension}", document, save=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as err:  # a second request raced the first
        change.document.delete(save=False)
        raise MobileChangeError(
            _("A change of mobile for this case is already waiting for the office's "
              "decision. You will get an SMS when it is decided."), code="pending") from err
    sms_queue(mobile=mobile, template=sms_templates.MOBILE_CHANGE_RECEIVED,
              variables={"case": case.case_number}, language=change.language)
    return change


def _lock(change: MobileChangeRequest) -> MobileChangeRequest:
    locked = MobileChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != MobileChangeStatus.PENDING:
        raise MobileChangeError(_("This request has already been decided."), code="decided")
    return locked


@transaction.atomic
def mobile_change_approve(*, change: MobileChangeRequest, officer) -> MobileChangeRequest:
    """Approve: the case's mobile becomes the new one, in the case history."""
    if not may_decide(officer):
        raise MobileChangeError(_("Only the SDO or a senior officer may decide."),
                                code="not_allowed")
    change = _lock(change)
    case = TheftCase.objects.select_related("consumer").get(pk=change.case_id)
    consumer = case.consumer
    # Stored once, read by staff: the history keeps it as written.
    reason = (f"mobile changed from …{consumer.mobile[-4:] or '—'} to "
              f"…{change.new_mobile[-4:]} on request {change.pk} (ID proof checked)")
    consumer.mobile = change.new_mobile
    consumer._history_user = officer
    consumer._change_reason = reason
    consumer.save(update_fields=["mobile", "updated_at"])
    # The live registration's OTPs go to its mobile: move them too.
    for registration in Registration.objects.select_for_update().filter(
            case=case, status__in=LIVE_REGISTRATION_STATUSES):
        registration.mobile = change.new_mobile
        registration._history_user = officer
        registration._change_reason = reason
        registration.save(update_fields=["mobile"])
    change.status = MobileChangeStatus.APPROVED
    change.decided_by, change.decided_at = officer, timezone.now()
    change._history_user = officer
    change.save(update_fields=["status", "decided_by", "decided_at"])
    sms_queue(mobile=change.new_mobile, template=sms_templates.MOBILE_CHANGE_APPROVED,
              variables={"case": case.case_number}, language=change.language)
    return change


@transaction.atomic
def mobile_change_refuse(*, change: MobileChangeRequest, officer,
                         reason: str) -> MobileChangeRequest:
    """Refuse with a reason, told to the new mobile by SMS; the case is unchanged."""
    if not may_decide(officer):
        raise MobileChangeError(_("Only the SDO or a senior officer may decide."),
                                code="not_allowed")
    reason = (reason or "").strip()
    if not reason:
        raise MobileChangeError(_("Give the reason for refusing."), code="reason")
    change = _lock(change)
    change.status = MobileChangeStatus.REFUSED
    change.reason = reason[:200]
    change.decided_by, change.decided_at = officer, timezone.now()
    change._history_user = officer
    change.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    sms_queue(mobile=change.new_mobile, template=sms_templates.MOBILE_CHANGE_REFUSED,
              variables={"case": change.case.case_number, "reason": change.reason[:60]},
              language=change.language)
    return change
