"""Every change of ``TheftCase.status``: the one owner of the field (STYLE.md).

DESIGN §4.3: ``fed`` → ``registered`` → ``settled``; or ``fed`` →
``flagged`` → ``action_taken`` (→ ``registered`` if they register after all).
A rejected registration reopens its case (``fed``), and the flagging sweep
takes it from there. Per-row transitions take a locked case; the set-based
ones (the sweep) take a queryset and return how many rows changed.

The set-based ones leave ``updated_at`` alone: it is indexed (the API's change
feed), and changing an indexed column makes PostgreSQL write a new entry in
every index of the table for every row, where an update of unindexed columns
only (``status``, ``flagged_at``) stays on its heap page (HOT). The feed
reads the changes from elsewhere: a cleared flag is logged in
``CaseStatusChange``; a flag is recorded by the case's new action item
(``defaulters``), whose ``created_at`` the feed reads — :func:`cases_flag`
takes only cases flagged so, and logs nothing itself.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as SqlCase
from django.db.models import DateTimeField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from common.history import insert_select
from theft_cases.models import CaseStatus, CaseStatusChange, TheftCase

FLAGGABLE = (CaseStatus.FED, CaseStatus.REGISTERED)
FLAGGED = (CaseStatus.FLAGGED, CaseStatus.ACTION_TAKEN)


def _move(case: TheftCase, status: str, *, officer=None, reason: str = "") -> bool:
    if case.status == status:
        return False
    case.status = status
    if status in (CaseStatus.REGISTERED, CaseStatus.SETTLED):
        case.flagged_at = None
    if officer is not None:
        case._history_user = officer
    if reason:
        case._change_reason = reason
    case.save(update_fields=["status", "flagged_at", "updated_at"])
    return True


def case_mark_registered(*, case: TheftCase) -> bool:
    """The person paid the registration fee: registered, any flag cleared."""
    if case.status == CaseStatus.SETTLED:
        return False
    return _move(case, CaseStatus.REGISTERED, reason="registered: fee paid")


def case_mark_settled(*, case: TheftCase) -> bool:
    """The registration is settled: the case is closed."""
    return _move(case, CaseStatus.SETTLED, reason="settled under the scheme")


def case_reopen(*, case: TheftCase) -> bool:
    """A registration was rejected: the case is open again (``fed``)."""
    if case.status in (CaseStatus.REGISTERED, CaseStatus.SETTLED):
        return _move(case, CaseStatus.FED, reason="registration rejected: case open again")
    return False


def case_mark_action_taken(*, case: TheftCase, officer, reason: str) -> bool:
    """An officer recorded an action against the defaulter."""
    if case.status in (CaseStatus.SETTLED, CaseStatus.ACTION_TAKEN):
        return False
    return _move(case, CaseStatus.ACTION_TAKEN, officer=officer, reason=reason)


def case_clear_flag(*, case: TheftCase) -> bool:
    """The person registered after being flagged: back to registered."""
    if case.status in FLAGGED:
        return _move(case, CaseStatus.REGISTERED, reason="registered: flag cleared")
    return False


# --- Set-based (the flagging sweep) ------------------------------------------------


def _log_changes(queryset: QuerySet, now: dt.datetime) -> None:
    """Log the cases of ``queryset`` as changed at ``now`` (one INSERT … SELECT)."""
    insert_select(
        CaseStatusChange._meta.db_table,
        {"case_id": F("pk"), "changed_at": Value(now, output_field=DateTimeField())},
        queryset,
    )


def cases_changed_at(now: dt.datetime) -> QuerySet:
    """Return the cases a set-based transition of ``now`` changed."""
    return TheftCase.objects.filter(
        pk__in=CaseStatusChange.objects.filter(changed_at=now).values("case_id"))


def cases_flag(*, queryset: QuerySet, now: dt.datetime) -> int:
    """Flag the cases of ``queryset``: fed/registered → flagged; others keep their status.

    ``action_taken`` stays (the officer's work goes on); ``flagged_at`` keeps
    the first flag's time. Rows that would not change are not rewritten.
    For cases given an action item at ``now`` only (the sweep): the item is
    the flag's entry in the API's change feed, so nothing is logged here.
    """
    changing = queryset.filter(Q(status__in=FLAGGABLE) | Q(flagged_at__isnull=True))
    # Not logged in CaseStatusChange: the caller (the sweep) flags a case by
    # opening its action item, and the item's created_at is the flag's entry
    # in the API's change feed (api.queries.case_changes).
    return changing.update(
        status=SqlCase(When(status__in=FLAGGABLE, then=Value(CaseStatus.FLAGGED)),
                       default=F("status")),
        flagged_at=Coalesce(F("flagged_at"), Value(now, output_field=DateTimeField())),
    )


def cases_clear_flag(*, queryset: QuerySet, now: dt.datetime) -> int:
    """Clear the flag of the flagged cases of ``queryset`` (they registered)."""
    changing = queryset.filter(status__in=FLAGGED)
    _log_changes(changing, now)
    return changing.update(status=CaseStatus.REGISTERED, flagged_at=None)
