"""Making a registration (DESIGN §4.3): checks, the quote, the number, the SMS.

Every later change of its status — fee paid, verified, settled, lapsed,
rejected, expired, money held — is in ``ots_scheme/lifecycle/``, the one
owner of ``Registration.status``. At most one live registration per case
per scheme: the case row is locked while a registration is made, and the
database constraint ``one_live_registration_per_case_scheme`` is the last
word.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.compiled_query import CompiledQuery
from common.language import active_language
from core.dates import today_ist
from core.mobile import normalise_mobile
from core.money import format_inr
from messaging import sms_templates
from messaging.sms import sms_queue
from ots_scheme import lifecycle, money_facts, services
from ots_scheme.lifecycle import RegistrationError
from ots_scheme.models import (
    DISPLACEABLE,
    LIVE_REGISTRATION_STATUSES,
    IdProofType,
    Registration,
    RegistrationStatus,
    Scheme,
)
from ots_scheme.settlement import QuoteError
from theft_cases.models import CaseStatus, TheftCase

logger = logging.getLogger(__name__)
UNPAID_VALID_FOR = dt.timedelta(hours=48)

__all__ = ["RegistrationError", "registration_create", "check_case_can_register",
           "unpaid_registrations_expire", "needing_attention"]


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


def _live(case: int, scheme: int, *, displacing: bool):
    live = Registration.objects.filter(case_id=case, scheme_id=scheme,
                                       status__in=LIVE_REGISTRATION_STATUSES)
    return (live.exclude(DISPLACEABLE) if displacing else live)[:1]


# Asked on every lookup of a case: compiled once per process (common/compiled_query.py).
_LIVE = {displacing: CompiledQuery(partial(_live, displacing=displacing), fields=["id"],
                                   case=int, scheme=int)
         for displacing in (False, True)}


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
    if _LIVE[displacing].rows(case=case.pk, scheme=scheme.pk):
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
def registration_create(
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
        language=active_language(),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as err:
        # Another request won the race past the lock (e.g. SQLite): one stays.
        raise _already_registered() from err

    services.quote_apply(registration=registration, quote=quote, on=on)
    registration.registration_number = registration_number_for(registration)
    registration.expires_at = registration.created_at + UNPAID_VALID_FOR
    if id_document is not None:
        registration.id_document.save(_upload_name(id_document, "id"), id_document, save=False)
    if consent_document is not None:
        registration.consent_document.save(
            _upload_name(consent_document, "consent"), consent_document, save=False
        )
    registration.save()
    if registration.total_payable == 0:
        # DESIGN §4.2a: deposits cover the payable and there is no compounding
        # fee — settled on registration, nothing asked to be paid.
        lifecycle.registration_settle_nothing_due(registration=registration)
        registration.refresh_from_db()
        return registration
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
    none on record) must not block the case's real owner. The transition is
    the lifecycle's (:func:`ots_scheme.lifecycle.registrations_displace`).
    Call with the case row locked (``registration_create`` does).
    """
    return lifecycle.registrations_displace(case=case, scheme=scheme)


def _upload_name(upload, kind: str) -> str:
    # Never trust the uploaded name: keep only a safe extension from the content check.
    ext = getattr(upload, "checked_extension", "") or "bin"
    return f"{kind}.{ext}"


def _sms(registration: Registration, template: str, variables: dict) -> None:
    """Text the person in the language they registered in."""
    if registration.mobile:
        sms_queue(mobile=registration.mobile, template=template, variables=variables,
                  language=registration.language or "hi")




def unpaid_registrations_expire(*, now: dt.datetime | None = None) -> int:
    """Expire ``submitted`` registrations unpaid 48 hours after they were made.

    A registration with a payment still in flight (initiated / pending) is
    left alone until the bank has answered.
    """
    return lifecycle.registrations_expire_unpaid(now=now or timezone.now(),
                                                 in_flight=money_facts.payments_in_flight())


def needing_attention(queryset):
    """Narrow to registrations holding money that moved nothing (staff to act).

    Money held for staff (``Registration.held_reason``: paid on a day no
    phase was open, for a registration not live, a late balance, more than
    the total), and a successful fee on a rejected / expired registration.
    """
    fee_success = money_facts.fee_payments_succeeded().filter(registration=OuterRef("pk"))
    return queryset.filter(
        Q(Exists(fee_success), status__in=[RegistrationStatus.REJECTED,
                                           RegistrationStatus.EXPIRED])
        | ~Q(held_reason="")
    )
