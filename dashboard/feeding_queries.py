"""Feeding coverage per division: the division's own count beside the cases fed (issue 16).

What is shown, per division inside the unit (scheme S):

target      the division's own count of theft cases detected in S's
            eligibility window and older than a month (FeedingTarget),
            entered by its Executive Engineer or the Director; None until then.
fed         cases on the portal, any status, in the division's sub-divisions,
            detected in S's window (FeedingSummary, refreshed by Celery).
gap         max(0, target − fed): cases the division still has to feed.
waiting     days since the division counted its list (``counted_on``), while
            the gap is open: every case still unfed on that list has waited
            at least this long. None when nothing is left to feed.
last fed    when the division last fed a case of S's window (a division whose
            gap is open and whose last feeding is old has stalled).

Order: divisions with a gap, largest first (then longest waiting); then those
that have not given their count; then those with nothing left to feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max

from core.dates import today_ist
from dashboard.models import FeedingRefresh, FeedingSummary, FeedingTarget
from organization.models import OrgUnit, Role, UnitKind
from organization.scoping import sees_everything, units_visible_to, user_unit, visible_to
from ots_scheme.models import Scheme
from theft_cases.models import TheftCase


def live_fed_by_sub_division(scheme: Scheme, *, sub_division_ids=None) -> dict:
    """Return {sub_division_id: (fed, last fed_at)} counted from the case table.

    ``sub_division_ids`` limits the count to those sub-divisions (None: all).
    """
    cases = TheftCase.objects.filter(
        detection_date__gte=scheme.eligible_from, detection_date__lte=scheme.eligible_to)
    if sub_division_ids is not None:
        if not sub_division_ids:
            return {}
        cases = cases.filter(sub_division_id__in=sub_division_ids)
    rows = (cases.order_by().values("sub_division_id")
            .annotate(fed=Count("id"), last=Max("fed_at")))
    return {row["sub_division_id"]: (row["fed"], row["last"]) for row in rows}


def may_enter_target(user, division: OrgUnit) -> bool:
    """The division's own Executive Engineer, the Director, or an administrator."""
    if sees_everything(user):
        return True
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return False
    if profile.role == Role.DIRECTOR:
        return division.path.startswith(profile.unit.path)
    return profile.role == Role.XEN and profile.unit_id == division.pk


@dataclass(frozen=True)
class DivisionFeeding:
    division: OrgUnit
    target: FeedingTarget | None
    fed: int
    last_fed_at: object

    @property
    def gap(self) -> int | None:
        if self.target is None:
            return None
        return max(0, self.target.cases_to_feed - self.fed)

    @property
    def waiting_days(self) -> int | None:
        if not self.gap:
            return None
        return (today_ist() - self.target.counted_on).days

    @property
    def fed_percent(self) -> int | None:
        if self.target is None or not self.target.cases_to_feed:
            return None
        return min(100, round(100 * self.fed / self.target.cases_to_feed))

    def sort_key(self):
        if self.gap:
            return (0, -self.gap, -(self.waiting_days or 0), self.division.path)
        if self.target is None:
            return (1, 0, 0, self.division.path)
        return (2, 0, 0, self.division.path)


def feeding_coverage(*, user, scheme: Scheme, unit: OrgUnit) -> list[DivisionFeeding]:
    """Return the divisions inside ``unit`` (and the user's jurisdiction), furthest behind first."""
    if unit.kind == UnitKind.SUB_DIVISION:
        return []
    divisions = list(
        units_visible_to(user, kind=UnitKind.DIVISION).filter(path__startswith=unit.path))
    targets = {
        t.division_id: t for t in visible_to(user, FeedingTarget.objects.filter(
            scheme=scheme, division__in=divisions)).select_related("entered_by")
    }
    fed: dict[int, list] = {d.pk: [0, None] for d in divisions}
    by_path = sorted(divisions, key=lambda d: len(d.path), reverse=True)
    summaries = visible_to(user, FeedingSummary.objects.filter(
        scheme=scheme, sub_division__path__startswith=unit.path)).select_related("sub_division")
    for row in summaries:
        owner = next((d for d in by_path if row.sub_division.path.startswith(d.path)), None)
        if owner is None:
            continue
        figures = fed[owner.pk]
        figures[0] += row.fed
        if row.last_fed_at and (figures[1] is None or row.last_fed_at > figures[1]):
            figures[1] = row.last_fed_at
    rows = [DivisionFeeding(division=d, target=targets.get(d.pk), fed=fed[d.pk][0],
                            last_fed_at=fed[d.pk][1]) for d in divisions]
    return sorted(rows, key=DivisionFeeding.sort_key)


def feeding_freshness(scheme: Scheme) -> FeedingRefresh | None:
    return FeedingRefresh.objects.filter(scheme=scheme).first()


def division_for_target(user, division_code: str) -> OrgUnit | None:
    """The division (inside the user's jurisdiction) whose count is being entered."""
    return units_visible_to(user, kind=UnitKind.DIVISION).filter(code=division_code).first()


def target_of(*, scheme: Scheme, division: OrgUnit) -> FeedingTarget | None:
    return FeedingTarget.objects.filter(scheme=scheme, division=division).first()


def target_history(target: FeedingTarget | None) -> list:
    if target is None:
        return []
    return list(target.history.select_related("history_user").order_by("-history_date")[:20])


def user_division_code(user) -> str | None:
    unit = user_unit(user)
    return unit.code if unit is not None and unit.kind == UnitKind.DIVISION else None
