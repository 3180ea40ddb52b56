"""Set-based transitions: unpaid registrations expire, unpaid balances lapse
(DESIGN §4.3, §4.4); each writes its history rows itself.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from simple_history.utils import bulk_update_with_history

from common.history import update_with_history
from ots_scheme.models import (
    Registration,
    RegistrationStatus,
)

# --- Set-based transitions --------------------------------------------------------


def registrations_expire_unpaid(*, now: dt.datetime, in_flight: QuerySet) -> int:
    """Expire ``submitted`` registrations unpaid 48 hours after they were made.

    Set-based in batches; ``in_flight`` (payments still open, correlated on
    ``registration``) are left alone until the bank has answered, and so is a
    registration holding money.
    """
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                Registration.objects.select_for_update(skip_locked=True)
                .filter(status=RegistrationStatus.SUBMITTED, expires_at__lt=now,
                        credited=0, held_reason="")
                .filter(~Exists(in_flight.filter(registration=OuterRef("pk"))))
                .order_by("pk")[:1000]
            )
            if not batch:
                return expired
            for registration in batch:
                registration.status = RegistrationStatus.EXPIRED
            bulk_update_with_history(batch, Registration, ["status"], batch_size=1000,
                                     default_change_reason="expired unpaid after 48 h")
            expired += len(batch)


def registrations_lapse(*, queryset: QuerySet, now: dt.datetime) -> int:
    """Lapse the fee-paid registrations in ``queryset`` (balance deadline passed).

    One UPDATE and its history rows (on PostgreSQL in the same statement),
    whatever the number of rows (the nightly sweep, DESIGN §4.4). Nothing is
    refunded: the money stays credited against the case's dues.
    """
    return update_with_history(
        queryset.filter(status__in=Registration.BALANCE_DUE_STATUSES),
        {"status": RegistrationStatus.LAPSED, "lapsed_at": now},
        when=now, reason="lapsed: balance not paid by the deadline",
        reread=Registration.objects.filter(status=RegistrationStatus.LAPSED, lapsed_at=now),
    )
