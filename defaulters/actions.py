"""Action against unregistered defaulters: the items on an officer's list.

DESIGN §4.4. The one owner of ``ActionItem.status`` (STYLE.md): the flagging
sweep (``defaulters/flagging.py``) opens and closes items through the
set-based :func:`items_open` and :func:`items_close`; registering closes
them (:func:`close_open_items`, which ``ots_scheme.lifecycle`` calls through
the ``ots_scheme.case_registered`` hook); officers record what they did (notice
served, reminder call, disconnection, RC to the tehsil, FIR follow-up, person
not traceable). Writes first, then the reads the queue page and the staff
home page share.

Rules decided here (DESIGN leaves them open):

* Recording an action moves the item to "in progress", the case to
  "action taken", and the item's due date to the next follow-up
  (``ACTION_FOLLOW_UP_DAYS`` after the action, never earlier than it was);
  an escalation is withdrawn, because the item has been acted upon (the
  history keeps that it was escalated).
* An action may not be dated in the future nor before the theft was
  detected.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, DateField, DateTimeField, F, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from common.history import insert_select_with_history, record_history
from core.dates import today_ist
from core.errors import ServiceError
from defaulters.models import ActionItem, ActionKind, ActionRecord, ActionStatus, ClosedReason
from theft_cases.lifecycle import case_clear_flag, case_mark_action_taken
from theft_cases.models import TheftCase

# Days until the next follow-up after an action is recorded.
ACTION_FOLLOW_UP_DAYS = getattr(settings, "DEFAULTERS_FOLLOW_UP_DAYS", 15)


class ActionError(ServiceError):
    """An action that cannot be recorded; the message is shown to the officer."""


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
    if items and reason == ClosedReason.REGISTERED:
        # The same outcome as the sweep's clearing (defaulters/flagging.py).
        case_clear_flag(case=case)
    return len(items)


@transaction.atomic
def record_action(*, item: ActionItem, kind: str, done_on: dt.date, officer,
                  remarks: str = "") -> ActionRecord:
    """Record what an officer did about an open item (DESIGN §4.4).

    Raises ``ActionError`` (nothing changed) for a closed item, an unknown
    kind, or a date in the future or before the detection.
    """
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    case = TheftCase.objects.select_for_update().get(pk=item.case_id)
    if item.status == ActionStatus.CLOSED:
        raise ActionError(_("This item is closed; no action can be recorded on it."),
                          code="item_closed")
    if kind not in ActionKind.values:
        raise ActionError(_("Choose what was done."), code="unknown_kind")
    if done_on > today_ist():
        raise ActionError(_("The date of the action cannot be in the future."), code="future_date")
    if done_on < case.detection_date:
        raise ActionError(_("The date of the action cannot be before the theft was detected."),
                          code="before_detection")
    record = ActionRecord(item=item, kind=kind, done_on=done_on, officer=officer,
                          remarks=remarks.strip())
    record._history_user = officer
    record.save()
    item.status = ActionStatus.IN_PROGRESS
    item.due_date = max(item.due_date, done_on + dt.timedelta(days=ACTION_FOLLOW_UP_DAYS))
    item.escalated_at = None
    item._history_user = officer
    item._change_reason = f"action recorded: {kind}"
    item.save(update_fields=["status", "due_date", "escalated_at"])
    case_mark_action_taken(case=case, officer=officer, reason=f"action recorded: {kind}")
    return record


# --- Set-based (the flagging sweep) -----------------------------------------------


def items_open(*, cases: QuerySet, scheme, reason, now: dt.datetime, due_date: dt.date) -> int:
    """Open one item for each case of ``cases``: one INSERT … SELECT; return how many.

    ``scheme`` (a scheme id) and ``reason`` are expressions over the case, so
    one statement serves a night when several schemes apply. A case that has
    an open item already is skipped (the partial unique index
    ``one_open_action_item_per_case``). Each new item gets its "+" history row,
    on PostgreSQL in the same statement (the inserted rows feed the history
    insert; they are not looked up again).
    """
    opened = insert_select_with_history(
        ActionItem,
        {
            "case_id": F("pk"),
            "scheme_id": scheme,
            "sub_division_id": F("sub_division_id"),
            "reason": reason,
            "status": Value(ActionStatus.OPEN, output_field=CharField()),
            "created_at": Value(now, output_field=DateTimeField()),
            "due_date": Value(due_date, output_field=DateField()),
            "closed_reason": Value("", output_field=CharField()),
        },
        cases,
        when=now, reason="flagged by the sweep", history_type="+",
        reread=ActionItem.objects.filter(created_at=now, status=ActionStatus.OPEN),
    )
    return opened


def items_close(*, queryset: QuerySet, now: dt.datetime, closed_reason,
                change_reason: str) -> int:
    """Close the not-closed items of ``queryset``: one UPDATE and its history rows.

    ``closed_reason`` is a ``ClosedReason`` or an expression over the item
    (the sweep tells a settled case from a registered one row by row).
    """
    closed = queryset.exclude(status=ActionStatus.CLOSED).update(
        status=ActionStatus.CLOSED, closed_at=now, closed_reason=closed_reason,
    )
    if closed:
        record_history(ActionItem.objects.filter(status=ActionStatus.CLOSED, closed_at=now),
                       when=now, reason=change_reason)
    return closed
