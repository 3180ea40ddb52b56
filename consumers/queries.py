"""Reads for the public pages: finding a case and what the person may do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from consumers import journey
from consumers.masking import mask_digits, mask_name
from consumers.models import MobileChangeRequest, MobileChangeStatus
from organization import catalogue as org_catalogue
from organization.scoping import visible_to
from ots_scheme.models import LIVE_REGISTRATION_STATUSES, Registration, Scheme
from ots_scheme.queries import open_scheme
from ots_scheme.registrations import RegistrationError, check_case_can_register
from theft_cases.models import TheftCase
from theft_cases.public_reads import cases_found


@dataclass(frozen=True)
class CaseOutlook:
    """A case as the public may see it (masked) and whether it can register now."""

    case: TheftCase
    scheme: Scheme | None
    quote: object | None
    can_register: bool
    code: str
    message: str
    name: str
    mobile: str
    account: str
    has_mobile: bool


def find_cases(*, case_number: str = "", account_number: str = "") -> list[TheftCase]:
    """Return the cases with this case number, or on this account number (at most 10)."""
    cases = cases_found(case_number=case_number, account_number=account_number)
    for case in cases:
        # The office shown, with its division, from this process's copy of the
        # units (organization/catalogue.py): two joins fewer on the busiest page.
        office = org_catalogue.unit(case.sub_division_id)
        if office is not None:
            case.sub_division = office
    return cases


def outlook(case: TheftCase, *, on: dt.date, scheme: Scheme | None = None) -> CaseOutlook:
    """Say whether ``case`` can register under the scheme open on ``on``."""
    scheme = scheme or open_scheme(on)
    quote, can, code, message = None, False, "", ""
    if scheme is None:
        code = "not_open"
        message = _("No settlement scheme is open for registration today.")
    else:
        try:
            # The owner of a case with a mobile on record proves it by OTP, and
            # an unverified registration of the case then gives way (DESIGN §7).
            quote = check_case_can_register(case=case, scheme=scheme, on=on,
                                            displacing=bool(case.consumer.mobile))
            can, code = True, "eligible"
        except RegistrationError as err:
            code, message = err.code, err.message
    consumer = case.consumer
    return CaseOutlook(
        case=case, scheme=scheme, quote=quote, can_register=can, code=code, message=message,
        name=mask_name(consumer.name), mobile=mask_digits(consumer.mobile),
        account=mask_digits(consumer.account_number), has_mobile=bool(consumer.mobile),
    )


@dataclass(frozen=True)
class CaseRecord:
    """The case's personal data as its registrant may see it."""

    masked: bool
    name: str
    father_or_husband_name: str
    address: str
    mobile: str
    account: str


def case_on_record(case: TheftCase, *, identity_unverified: bool) -> CaseRecord:
    """Return the case's record in full, or masked while identity is unverified.

    DESIGN §7: a person who verified only a mobile of their own sees the
    case masked (initials, last 4 digits, no address) until staff have
    verified who they are.
    """
    consumer = case.consumer
    if identity_unverified:
        return CaseRecord(
            masked=True, name=mask_name(consumer.name),
            father_or_husband_name=mask_name(consumer.father_or_husband_name), address="",
            mobile=mask_digits(consumer.mobile), account=mask_digits(consumer.account_number),
        )
    return CaseRecord(
        masked=False, name=consumer.name,
        father_or_husband_name=consumer.father_or_husband_name, address=consumer.address,
        mobile=consumer.mobile, account=consumer.account_number,
    )


def live_registration(case: TheftCase, scheme: Scheme) -> Registration | None:
    return Registration.objects.filter(
        case=case, scheme=scheme, status__in=LIVE_REGISTRATION_STATUSES
    ).first()


def cases_proven_by(session) -> list[TheftCase]:
    """Return the cases this browser has proven it may see (OTP or registration).

    The OTP-verified case of the journey in progress, and the cases of the
    registrations opened after OTP (``session["ots_registrations"]``).
    """

    data = journey.flow(session)
    ids = [data["case_id"]] if data.get("verified") and data.get("case_id") else []
    numbers = list(session.get(journey.REGISTRATIONS) or [])
    if not ids and not numbers:
        return []
    return list(
        TheftCase.objects.filter(Q(pk__in=ids) | Q(registrations__registration_number__in=numbers))
        .distinct().order_by("case_number")
    )


def pending_mobile_changes(user):
    """Return the changes of mobile waiting for a decision in ``user``'s jurisdiction."""
    return visible_to(user, MobileChangeRequest.objects.filter(
        status=MobileChangeStatus.PENDING))
