"""The dues feed: flagged or lapsed cases with an account number, and what they owe."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ots_scheme.models import RegistrationStatus
from tests.api.ledger import credit
from tests.factories import ConsumerFactory, TheftCaseFactory
from theft_cases.models import CaseStatus

pytestmark = pytest.mark.django_db


def test_unregistered_and_lapsed_dues(org_tree, registration_in, aminabad):
    unregistered = TheftCaseFactory(
        status=CaseStatus.FLAGGED, assessment_amount=Decimal("123456.00"),
        deposited_amount=Decimal("1000.00"), compounding_fee=Decimal("4000.00"),
    )
    lapsed = registration_in(status=RegistrationStatus.LAPSED)
    lapsed.case.status = CaseStatus.FLAGGED
    lapsed.case.save()
    credit(lapsed, "12346.00")
    # Not in the feed: no account number, not flagged, another unit.
    TheftCaseFactory(status=CaseStatus.FLAGGED, consumer=ConsumerFactory(account_number=""))
    TheftCaseFactory(status=CaseStatus.FED)
    TheftCaseFactory(status=CaseStatus.FLAGGED, sub_division=org_tree["victoria"])

    page = aminabad.get("/api/v1/dues/").json()
    by_case = {d["case_number"]: d for d in page["results"]}
    assert set(by_case) == {unregistered.case_number, lapsed.case.case_number}
    assert by_case[unregistered.case_number] == {
        "case_number": unregistered.case_number,
        "account_number": unregistered.consumer.account_number,
        "sub_division_code": "aminabad-1", "case_status": "flagged", "basis": "unregistered",
        "registration_number": None, "credited": "0.00", "assessment_due": "122456.00",
        "compounding_due": "4000.00", "total_due": "126456.00",
    }
    due = by_case[lapsed.case.case_number]
    # Frozen total ₹65,728 (₹61,728 assessment + ₹4,000 compounding) less ₹12,346
    # credited, taken against the compounding fee first.
    assert (due["basis"], due["registration_number"], due["credited"]) == (
        "lapsed_registration", lapsed.registration_number, "12346.00")
    assert (due["compounding_due"], due["assessment_due"], due["total_due"]) == (
        "0.00", "53382.00", "53382.00")


def test_dues_page_by_after(org_tree, aminabad):
    cases = [TheftCaseFactory(status=CaseStatus.ACTION_TAKEN) for _ in range(5)]
    seen, after = [], 0
    while True:
        page = aminabad.get("/api/v1/dues/", {"after": after, "limit": 2}).json()
        seen += [d["case_number"] for d in page["results"]]
        after = page["next_after"]
        if not page["has_more"]:
            break
    assert seen == [c.case_number for c in cases]
