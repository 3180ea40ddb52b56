"""Objects that belong to another unit than je_chowk's (Victoria sub-division)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

# The payments fixtures (a registration with a quote, a browser holding it),
# shared with the security tests.
from tests.payments.conftest import consumer_client, make_registration  # noqa: F401

FOREIGN_CASE_NUMBER = "LKO/AMN/2023/0123 A-1"


@pytest.fixture
def foreign_objects(users, schemes, org_tree):
    """One object of every scoped model in Aminabad I (not je_chowk's unit).

    Returns argument name → candidate values, so a URL argument can be filled
    by what it names; integer ids are offered from every scoped model.
    """
    from defaulters.models import ActionItem
    from ots_scheme.models import Scheme
    from payments.models import Payment, PaymentPurpose
    from tests.factories import RegistrationFactory, TheftCaseFactory
    from theft_cases.models import CaseImport

    aminabad = org_tree["aminabad-1"]
    case = TheftCaseFactory(case_number=FOREIGN_CASE_NUMBER, sub_division=aminabad)
    from django.core.files.base import ContentFile

    # With its documents, so the staff document page has something to serve.
    registration = RegistrationFactory(
        case=case, scheme=Scheme.objects.get(code="DEMO-OTS-THEFT"),
        id_document=ContentFile(b"%PDF-1.4\n", name="id.pdf"),
        consent_document=ContentFile(b"%PDF-1.4\n", name="consent.pdf"),
    )
    other_case = TheftCaseFactory(sub_division=aminabad)
    item = ActionItem.objects.create(
        case=other_case, scheme=registration.scheme, sub_division=aminabad,
        reason="unregistered", due_date=dt.date(2026, 1, 31),
    )
    payment = Payment.objects.create(
        order_id="ORD-SEC-0001", registration=registration, sub_division=aminabad,
        purpose=PaymentPurpose.choices[0][0], amount=Decimal("12346.00"),
    )
    case_import = CaseImport.objects.create(
        file=ContentFile(b"case_number\n", name="aminabad.csv"),
        original_name="aminabad.csv", uploaded_by=users["je_aminabad"],
    )
    from payments.models import MissingPaymentReport

    report = MissingPaymentReport.objects.create(
        registration=registration, sub_division=aminabad, bank_reference="SEC-REF-1")
    from consumers.models import MobileChangeRequest

    change = MobileChangeRequest.objects.create(
        case=case, new_mobile="9812345678", id_proof_type="aadhaar", id_proof_last4="4321",
        document=ContentFile(b"%PDF-1.4\n", name="id.pdf"))
    ids = sorted(
        {case.pk, other_case.pk, registration.pk, item.pk, payment.pk, case_import.pk,
         report.pk, change.pk}
    )
    return {
        "case_number": [case.case_number],
        "registration_number": [registration.registration_number],
        "unit_code": ["aminabad-1", "aminabad"],
        "order_id": [payment.order_id],
        "id": ids,
    }


# Arguments that pick a format or a file of an object, not the object itself.
AUXILIARY = {
    "fmt": ["csv", "xlsx"],
    "what": ["file", "errors", "report", "original", "error_report"],
    "kind": ["id", "id_document", "consent", "consent_document"],
}


def is_object_argument(argument: str, foreign: dict[str, list]) -> bool:
    """Return True if the argument names a scoped object (not a format)."""
    return argument not in AUXILIARY and candidates(argument, foreign) is not None


def candidates(argument: str, foreign: dict[str, list]) -> list | None:
    """Return the foreign values that fit a URL argument, or None if unknown."""
    name = argument.lower()
    if name in AUXILIARY:
        return AUXILIARY[name]
    if "case_number" in name:
        return foreign["case_number"]
    if "registration_number" in name or name in {"reg_number", "number"}:
        return foreign["registration_number"]
    if name in {"unit_code", "unit", "code", "division", "sub_division", "division_code",
                "sub_division_code", "circle", "zone"}:
        return foreign["unit_code"]
    if name == "order_id":
        return foreign["order_id"]
    if name in {"id", "pk"} or name.endswith(("_id", "_pk")):
        return foreign["id"]
    return None
