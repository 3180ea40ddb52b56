"""Reads of the defaulters, shared by the queue pages, the staff home page and the case page.

Every read of action items starts from ``organization.scoping.visible_to``
(:func:`items_visible_to`), so another unit's item is never seen (DESIGN §7).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as SqlCase
from django.db.models import QuerySet, Value, When

from defaulters.models import ActionItem, ActionStatus
from organization.models import Role
from organization.scoping import sees_everything, visible_to
from theft_cases.models import TheftCase
from theft_cases.queries import HistoryEntry, history_entries

# Officers who see escalated items first and a count on their home page.
SENIOR_ROLES = {Role.XEN, Role.SE, Role.CE, Role.DIRECTOR}



def is_senior(user) -> bool:
    """Return True for the Executive Engineer and above (and administrators)."""
    if sees_everything(user):
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.role in SENIOR_ROLES


def may_record_actions(user) -> bool:
    return user.has_perm("defaulters.add_actionrecord")


def items_visible_to(user) -> QuerySet:
    """Return the action items inside the user's jurisdiction (the one gate)."""
    return visible_to(user, ActionItem.objects.all())


def action_queue(user, *, filters: dict, today: dt.date) -> QuerySet:
    """Return the user's action items, filtered, biggest dues and oldest first.

    ``filters`` holds cleaned values of ``ActionFilterForm``: ``status``
    ("" = not closed), ``overdue``, ``escalated``, ``sub_division`` (a unit),
    ``min_amount``, ``max_amount``, ``has_mobile`` ("yes"/"no"/"").
    Executive Engineers and above see escalated items first.
    """
    items = items_visible_to(user).select_related(
        "case", "case__consumer", "sub_division", "scheme"
    )
    status = filters.get("status") or ""
    if status == "all":
        pass
    elif status:
        items = items.filter(status=status)
    else:
        items = items.exclude(status=ActionStatus.CLOSED)
    if filters.get("overdue"):
        items = items.exclude(status=ActionStatus.CLOSED).filter(due_date__lt=today)
    if filters.get("escalated"):
        items = items.exclude(status=ActionStatus.CLOSED).filter(escalated_at__isnull=False)
    if filters.get("sub_division"):
        items = items.filter(sub_division=filters["sub_division"])
    if filters.get("min_amount") is not None:
        items = items.filter(case__assessment_amount__gte=filters["min_amount"])
    if filters.get("max_amount") is not None:
        items = items.filter(case__assessment_amount__lte=filters["max_amount"])
    if filters.get("has_mobile") == "yes":
        items = items.exclude(case__consumer__mobile="")
    elif filters.get("has_mobile") == "no":
        items = items.filter(case__consumer__mobile="")
    order = ["-case__assessment_amount", "created_at", "pk"]
    if is_senior(user):
        items = items.annotate(
            is_escalated=SqlCase(When(escalated_at__isnull=False, then=Value(1)), default=Value(0))
        )
        order.insert(0, "-is_escalated")
    return items.order_by(*order)


def escalated_count(user) -> int:
    """Return how many open items in the user's jurisdiction are escalated."""
    return items_visible_to(user).exclude(status=ActionStatus.CLOSED).filter(
        escalated_at__isnull=False
    ).count()


def flagged_items_of(user, *, sub_division) -> QuerySet:
    """Return the not-closed items of one sub-division, for the batch of notices."""
    return (
        items_visible_to(user)
        .filter(sub_division=sub_division)
        .exclude(status=ActionStatus.CLOSED)
        .select_related("case", "case__consumer", "sub_division", "scheme")
        .order_by("-case__assessment_amount", "created_at", "pk")
    )


# --- The staff case page (theft_cases.queries.on_case_page) ----------------------


def action_items_on_case_page(case: TheftCase) -> None:
    """Set ``case.action_item_list``: the case's items and their records, newest first."""
    case.action_item_list = list(
        ActionItem.objects.filter(case=case)
        .select_related("scheme").prefetch_related("records__officer").order_by("-created_at")
    )


def case_history_of_items(case: TheftCase) -> list[HistoryEntry]:
    """Return the history entries of the case's action items (flags, clearing, actions)."""
    entries: list[HistoryEntry] = []
    for item_id in ActionItem.objects.filter(case=case).values_list("pk", flat=True):
        entries += history_entries(ActionItem.history.filter(id=item_id), "action item")
    return entries
