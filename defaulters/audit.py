"""The defaulters' check in the ledger audit (DESIGN §4.2a; ``payments.audit``).

``paid_but_flagged``: no case that registered under any scheme (fee paid,
verified or settled) or that is settled has an open action item — the paid
person still on the defaulters' list. ``DefaultersConfig.ready`` registers it
with ``payments.audit.register_check``; it reads only.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Q

from defaulters.flagging import CLEARING_STATUSES
from defaulters.models import ActionItem, ActionStatus
from ots_scheme.models import Registration
from payments.audit import violation
from theft_cases.models import CaseStatus


def check_paid_but_flagged() -> Iterator[dict]:
    registered = Registration.objects.filter(case=OuterRef("case"),
                                             status__in=CLEARING_STATUSES)
    rows = (ActionItem.objects.exclude(status=ActionStatus.CLOSED)
            .filter(Exists(registered) | Q(case__status=CaseStatus.SETTLED))
            .values_list("case__case_number", "reason"))
    for case_number, reason in rows.iterator():
        yield violation("paid_but_flagged",
                        detail=f"case {case_number} has an open '{reason}' item "
                               "although it registered or settled")
