"""Reads of the integration API that no lower app offers: the dues feed.

Dues (DESIGN §8: what billing should add to the bill of a defaulter with an
account number). A case is in the feed when it has an account number, no
live registration, and is flagged (``flagged`` / ``action_taken``) or has a
lapsed registration. What it owes:

* **lapsed registration** (the latest lapsed one): the frozen total payable
  minus the money credited to it. Credited money is taken against the
  compounding fee first (Section 152: payable in full, never waived), then
  against the net assessment (frozen assessment payable − deposits), so
  ``compounding_due = max(0, compounding_fee − credited)`` and
  ``assessment_due = max(0, net_assessment − max(0, credited − compounding_fee))``;
  their sum is ``max(0, total_payable − credited)``.
* **unregistered flagged case**: no settlement applies, so the whole
  assessment less deposits (``assessment_amount − deposited_amount``, at
  least 0) and the compounding fee.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from ots_scheme.models import LIVE_REGISTRATION_STATUSES, Registration, RegistrationStatus
from theft_cases.models import CaseStatus, TheftCase

ZERO = Decimal("0.00")
FLAGGED_STATUSES = (CaseStatus.FLAGGED, CaseStatus.ACTION_TAKEN)


def dues_cases(cases: QuerySet) -> QuerySet:
    """Narrow ``cases`` (from the scoping gate) to the dues feed, annotated."""
    lapsed = (Registration.objects.filter(case=OuterRef("pk"), status=RegistrationStatus.LAPSED)
              .order_by("-lapsed_at", "-id"))
    live = Registration.objects.filter(case=OuterRef("pk"), status__in=LIVE_REGISTRATION_STATUSES)
    return (
        cases.exclude(consumer__account_number="")
        .annotate(
            lapsed_number=Subquery(lapsed.values("registration_number")[:1]),
            lapsed_total=Subquery(lapsed.values("total_payable")[:1]),
            lapsed_compounding=Subquery(lapsed.values("compounding_fee")[:1]),
            lapsed_credited=Subquery(lapsed.values("credited")[:1]),
            has_live=Exists(live),
        )
        .filter(Q(status__in=FLAGGED_STATUSES) | Q(lapsed_number__isnull=False))
        .filter(has_live=False)
    )


def case_dues(case: TheftCase) -> dict:
    """Return what one case of :func:`dues_cases` still owes (module docstring)."""
    if case.lapsed_number:
        total = case.lapsed_total or ZERO
        compounding = case.lapsed_compounding or ZERO
        credited = case.lapsed_credited or ZERO
        net_assessment = max(ZERO, total - compounding)
        compounding_due = max(ZERO, compounding - credited)
        assessment_due = max(ZERO, net_assessment - max(ZERO, credited - compounding))
        basis = "lapsed_registration"
    else:
        credited = ZERO
        assessment_due = max(ZERO, case.assessment_amount - case.deposited_amount)
        compounding_due = case.compounding_fee
        basis = "unregistered"
    return {
        "basis": basis, "registration_number": case.lapsed_number or None,
        "credited": credited, "assessment_due": assessment_due,
        "compounding_due": compounding_due, "total_due": assessment_due + compounding_due,
    }


def dues_page(cases: QuerySet, *, after: int, limit: int) -> list[TheftCase]:
    return list(
        dues_cases(cases).filter(pk__gt=after).select_related("consumer", "sub_division")
        .order_by("pk")[:limit]
    )
