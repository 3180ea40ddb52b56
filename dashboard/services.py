"""Writes of the dashboard: rebuilding the summary tables (issue 7).

The figures come from ``dashboard.queries.live_*`` (set-based GROUP BYs in the
database); the summary of a scheme is replaced in one transaction, so a page
never sees half a refresh.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import today_ist
from core.errors import ServiceError
from dashboard import feeding_queries, queries
from dashboard.models import (
    DailySummary,
    FeedingRefresh,
    FeedingSummary,
    FeedingTarget,
    SummaryRefresh,
    UnitSummary,
)
from organization.models import OrgUnit
from ots_scheme.models import Scheme
from theft_cases.models import TheftCase


@transaction.atomic
def scheme_summary_refresh(*, scheme: Scheme) -> dict:
    """Replace ``scheme``'s summary rows with the live figures; return counts."""
    started = time.monotonic()
    now = timezone.now()
    figures = queries.live_figures_by_sub_division(scheme, now=now)
    daily = queries.live_daily_by_sub_division(scheme)
    UnitSummary.objects.filter(scheme=scheme).delete()
    DailySummary.objects.filter(scheme=scheme).delete()
    UnitSummary.objects.bulk_create([
        UnitSummary(scheme=scheme, sub_division_id=sd_id, **figs.as_dict())
        for sd_id, figs in figures.items()
    ])
    DailySummary.objects.bulk_create([
        DailySummary(scheme=scheme, sub_division_id=sd_id, day=day, **values)
        for (sd_id, day), values in daily.items()
    ], batch_size=2000)
    seconds = round(time.monotonic() - started, 3)
    SummaryRefresh.objects.update_or_create(
        scheme=scheme, defaults={"refreshed_at": now, "seconds": seconds})
    return {"scheme": scheme.code, "units": len(figures), "days": len(daily),
            "seconds": seconds}


def summary_refresh() -> list[dict]:
    """Refresh the summary (and recount the feeding figures) of every active scheme."""
    results = []
    for scheme in Scheme.objects.filter(is_active=True).order_by("code"):
        results.append(scheme_summary_refresh(scheme=scheme))
        feeding_refresh(scheme=scheme, full=True)
    return results


# Case changes are counted from a little before the last run's mark: a
# transaction (an import chunk) that stamped ``updated_at`` before the mark
# may commit after it. Recounting a few sub-divisions twice costs little.
FEEDING_OVERLAP = dt.timedelta(minutes=10)


@transaction.atomic
def feeding_refresh(*, scheme: Scheme, full: bool = False) -> dict:
    """Recount the cases fed in ``scheme``'s window, only where cases changed.

    A case fed, corrected or imported stamps ``TheftCase.updated_at``; the
    sub-divisions of the cases stamped since the last run (less
    FEEDING_OVERLAP) are recounted and the rest are left alone. ``full``
    recounts every sub-division (the 10-minute summary refresh does, which
    also catches a case moved out of a sub-division).
    """
    now = timezone.now()
    mark = FeedingRefresh.objects.select_for_update().filter(scheme=scheme).first()
    if full or mark is None:
        changed = None
    else:
        changed = set(
            TheftCase.objects.filter(updated_at__gte=mark.counted_upto - FEEDING_OVERLAP)
            .values_list("sub_division_id", flat=True).distinct()
        )
    counts = feeding_queries.live_fed_by_sub_division(scheme, sub_division_ids=changed)
    stale = FeedingSummary.objects.filter(scheme=scheme)
    if changed is not None:
        stale = stale.filter(sub_division_id__in=changed)
    stale.exclude(sub_division_id__in=counts).delete()
    for sub_division_id, (fed, last_fed_at) in counts.items():
        FeedingSummary.objects.update_or_create(
            scheme=scheme, sub_division_id=sub_division_id,
            defaults={"fed": fed, "last_fed_at": last_fed_at, "counted_at": now})
    FeedingRefresh.objects.update_or_create(
        scheme=scheme, defaults={"counted_upto": now, "sub_divisions": len(counts)})
    return {"scheme": scheme.code, "recounted": len(counts),
            "changed": None if changed is None else len(changed)}


def feeding_refresh_all(*, full: bool = False) -> list[dict]:
    """Refresh the feeding figures of every active scheme."""
    return [feeding_refresh(scheme=scheme, full=full)
            for scheme in Scheme.objects.filter(is_active=True).order_by("code")]


class FeedingTargetError(ServiceError):
    """A refused change to a division's feeding target (the message is for the officer)."""


@transaction.atomic
def feeding_target_set(*, scheme: Scheme, division: OrgUnit, cases_to_feed: int,
                       counted_on: dt.date, user) -> FeedingTarget:
    """Record the division's own count of cases to feed (audited in its history)."""
    if not feeding_queries.may_enter_target(user, division):
        raise FeedingTargetError(
            _("Only the division's Executive Engineer or the Director can enter this count."))
    if counted_on > today_ist():
        raise FeedingTargetError(_("The date of the count cannot be in the future."))
    target = (FeedingTarget.objects.select_for_update()
              .filter(scheme=scheme, division=division).first())
    if target is None:
        target = FeedingTarget(scheme=scheme, division=division)
    target.cases_to_feed = cases_to_feed
    target.counted_on = counted_on
    target.entered_by = user
    target._history_user = user
    target.save()
    return target
