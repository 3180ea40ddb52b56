"""Action against unregistered defaulters: the items on an officer's list.

DESIGN §4.4. The flagging sweep opens items; registering closes them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from theft_cases.models import ActionItem, ActionStatus, CaseStatus, ClosedReason, TheftCase


@transaction.atomic
def close_open_items(*, case: TheftCase, reason: str = ClosedReason.REGISTERED) -> int:
    """Close the case's open action items (e.g. the person registered)."""
    items = list(ActionItem.objects.select_for_update().filter(case=case)
                 .exclude(status=ActionStatus.CLOSED))
    now = timezone.now()
    for item in items:
        item.status = ActionStatus.CLOSED
        item.closed_reason = reason
        item.closed_at = now
        item.save(update_fields=["status", "closed_reason", "closed_at"])
    if items and case.status in (CaseStatus.FLAGGED, CaseStatus.ACTION_TAKEN) and \
            reason == ClosedReason.REGISTERED:
        case.flagged_at = None
        case.save(update_fields=["flagged_at", "updated_at"])
    return len(items)
