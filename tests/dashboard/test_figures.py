"""Every figure at every level against hand-counted values (tests/dashboard/conftest.py)."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from core.dates import ist_date
from dashboard import queries, services
from dashboard.models import DailySummary, UnitSummary
from organization.models import OrgUnit

ZERO_FIGS = queries.Figures().as_dict()

EXPECTED = {
    "aminabad-1": dict(
        on_portal=4, assessed=D(200000), eligible=3, reminded=1, applied=2, started=0,
        registered=2, fee_paid=1, verified=0, settled=1, lapsed=0, realised=D(22000),
        waiver=D(59000), outstanding=D(98000), flagged=1, actions_taken=1,
        fed_last_7_days=0, without_mobile=1, without_fir=1, without_account=0,
        awaiting_verification=1, by_phase={"1": 1, "2": 1},
    ),
    "aminabad-2": dict(
        on_portal=2, assessed=D(100000), eligible=2, reminded=1, applied=2, started=1,
        registered=0, fee_paid=0, verified=0, settled=0, lapsed=1, realised=D(6000),
        waiver=D(0), outstanding=D(101000), flagged=1, actions_taken=0,
        fed_last_7_days=1, without_mobile=0, without_fir=0, without_account=0,
        awaiting_verification=0, by_phase={},
    ),
    "victoria": dict(
        on_portal=2, assessed=D(90000), eligible=1, reminded=0, applied=1, started=0,
        registered=1, fee_paid=0, verified=1, settled=0, lapsed=0, realised=D(2000),
        waiver=D(5000), outstanding=D(5000), flagged=0, actions_taken=0,
        fed_last_7_days=0, without_mobile=0, without_fir=0, without_account=1,
        awaiting_verification=0, by_phase={"1": 1},
    ),
}


def total(*codes):
    figures = queries.Figures()
    for code in codes:
        figures.add(queries.Figures(**EXPECTED[code]))
    return figures.as_dict()


@pytest.mark.django_db
def test_live_figures_per_sub_division_match_hand_counts(known):
    live = queries.live_figures_by_sub_division(known)
    by_code = {OrgUnit.objects.get(pk=pk).code: figs.as_dict() for pk, figs in live.items()}
    assert by_code == EXPECTED


@pytest.mark.django_db
def test_refresh_writes_exactly_the_live_figures(known):
    services.scheme_summary_refresh(scheme=known)
    services.scheme_summary_refresh(scheme=known)  # idempotent: replaced, not added
    live = queries.live_figures_by_sub_division(known)
    rows = UnitSummary.objects.filter(scheme=known)
    assert rows.count() == 3
    for row in rows:
        assert queries._figures_of(row).as_dict() == live[row.sub_division_id].as_dict()
    daily = {(d.sub_division.code, d.day): (d.registrations, d.realised)
             for d in DailySummary.objects.filter(scheme=known).select_related("sub_division")}
    assert daily[("aminabad-1", dt.date(2026, 1, 10))] == (1, D(12000))
    assert daily[("aminabad-2", dt.date(2025, 12, 10))] == (1, D(6000))
    assert daily[("victoria", dt.date(2025, 12, 10))] == (1, D(2000))


@pytest.mark.django_db
@pytest.mark.parametrize("unit_code, children", [
    ("mvvnl", {"lko-central": ("aminabad-1", "aminabad-2", "victoria"),
               "amausi-zone": (), "jankipuram-zone": (), "gomtinagar-zone": ()}),
    ("lko-central", {"chowk-circle": ("aminabad-1", "aminabad-2", "victoria"),
                     "residency-circle": ()}),
    ("chowk-circle", {"chowk": ("victoria",), "aminabad": ("aminabad-1", "aminabad-2"),
                      "thakurganj": (), "aishbagh": ()}),
    ("aminabad", {"aminabad-1": ("aminabad-1",), "aminabad-2": ("aminabad-2",)}),
    ("aminabad-1", {"aminabad-1": ("aminabad-1",)}),
])
def test_every_level_adds_up(known, users, unit_code, children):
    services.scheme_summary_refresh(scheme=known)
    unit = OrgUnit.objects.get(code=unit_code)
    headline, rows = queries.unit_figures(user=users["director"], scheme=known, unit=unit)
    got = {row["unit"].code: row["figures"].as_dict() for row in rows}
    assert got == {code: (total(*subs) if subs else ZERO_FIGS)
                   for code, subs in children.items()}
    all_subs = sorted({s for subs in children.values() for s in subs})
    assert headline.as_dict() == total(*all_subs)
    summed = queries.Figures()
    for row in rows:
        summed.add(row["figures"])
    assert summed.as_dict() == headline.as_dict()  # the total row equals the headline


@pytest.mark.django_db
def test_funnel_and_headline_at_discom_level(known, users):
    services.scheme_summary_refresh(scheme=known)
    headline, _ = queries.unit_figures(user=users["director"], scheme=known,
                                       unit=OrgUnit.objects.get(code="mvvnl"))
    assert (headline.on_portal, headline.eligible, headline.registered) == (8, 6, 3)
    assert headline.registered_percent == D("50.0")
    assert headline.realised == D(30000) and headline.outstanding == D(204000)
    steps = {s["key"]: s for s in queries.funnel(headline)}
    assert [s["count"] for s in queries.funnel(headline)] == [8, 6, 2, 5, 3, 2, 1]
    assert steps["eligible"]["conversion"] == D("75.0")
    assert steps["registered"]["of_eligible"] == D("50.0")
    assert steps["settled"]["conversion"] == D("50.0")


@pytest.mark.django_db
def test_daily_series_sums_the_unit(known, users):
    services.scheme_summary_refresh(scheme=known)
    series = queries.daily_series(user=users["director"], scheme=known,
                                  unit=OrgUnit.objects.get(code="mvvnl"))
    assert [(r["day"], r["registrations"], r["realised"]) for r in series] == [
        (dt.date(2025, 12, 10), 2, D(8000)),
        (dt.date(2026, 1, 10), 1, D(12000)),
        (ist_date(timezone.now() - dt.timedelta(days=5)), 1, D(10000)),
    ]
