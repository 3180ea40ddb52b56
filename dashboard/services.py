"""Writes of the dashboard: rebuilding the summary tables (issue 7).

The figures come from ``dashboard.queries.live_*`` (set-based GROUP BYs in the
database); the summary of a scheme is replaced in one transaction, so a page
never sees half a refresh.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from dashboard import queries
from dashboard.models import DailySummary, SummaryRefresh, UnitSummary
from ots_scheme.models import Scheme


@transaction.atomic
def refresh_scheme_summary(*, scheme: Scheme) -> dict:
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


def refresh_summary() -> list[dict]:
    """Refresh the summary of every active scheme."""
    return [refresh_scheme_summary(scheme=scheme)
            for scheme in Scheme.objects.filter(is_active=True).order_by("code")]
