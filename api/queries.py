"""Reads of the integration API that no lower app offers: the dues and case change feeds.

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

from defaulters.models import ActionItem
from organization.scoping import visible_in
from ots_scheme.models import LIVE_REGISTRATION_STATUSES, Registration, RegistrationStatus
from theft_cases.models import CaseStatus, CaseStatusChange, TheftCase

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


# --- The case change feed --------------------------------------------------------


def _changed_after(rows: QuerySet, at: str, pk: str, *, since, cursor, limit: int) -> list:
    """Return the first ``limit`` (time, case id) of ``rows`` from ``since``, past ``cursor``."""
    if since is not None:
        rows = rows.filter(**{f"{at}__gte": since})
    if cursor is not None:
        moment, number = cursor
        # The redundant ">=" lets the (time, id) index start at the cursor.
        rows = rows.filter(**{f"{at}__gte": moment}).exclude(
            **{at: moment, f"{pk}__lte": number})
    return list(rows.order_by(at, pk).values_list(at, pk)[:limit])


def case_changes(unit, *, since=None, cursor=None, limit: int) -> tuple[list, tuple | None]:
    """Return ``([(time, case), …], next)``: the unit's case changes, oldest first.

    A change is a case's ``updated_at`` (fed, corrected, imported, a
    per-case transition), a new action item's ``created_at`` (the nightly
    sweep's set-based flag, which leaves ``updated_at`` alone: the item is
    the flag's record) or a ``CaseStatusChange`` row (the sweep's set-based
    clearing of a flag). The three streams are read on their (time, id)
    index past the same cursor and merged, so paging by the last (time, case
    id) returned never skips a change. A case changed twice on one page is
    returned once; ``time`` is its later change. ``next`` is the (time, case
    id) to page on from, or None at the end.
    """
    edits = _changed_after(visible_in(unit, TheftCase.objects.all()), "updated_at", "pk",
                           since=since, cursor=cursor, limit=limit + 1)
    flags = _changed_after(
        visible_in(unit, ActionItem.objects.all(), field="case__sub_division"),
        "created_at", "case_id", since=since, cursor=cursor, limit=limit + 1)
    clears = _changed_after(
        visible_in(unit, CaseStatusChange.objects.all(), field="case__sub_division"),
        "changed_at", "case_id", since=since, cursor=cursor, limit=limit + 1)
    events = sorted(edits + flags + clears)[:limit + 1]
    more = len(events) > limit
    events = events[:limit]
    cases = visible_in(unit, TheftCase.objects.select_related("consumer", "sub_division")
                       ).in_bulk({pk for _at, pk in events})
    latest = {pk: at for at, pk in events}  # sorted: the last one per case wins
    page, seen = [], set()
    for _at, pk in events:
        if pk not in seen and pk in cases:
            seen.add(pk)
            page.append((max(latest[pk], cases[pk].updated_at), cases[pk]))
    return page, (events[-1] if more else None)
