"""Feeding coverage per division on the Director's dashboard (issue 16).

The hand count, from tests/dashboard/conftest.py ``known`` (scheme
OTS-THEFT-23, window 2023): Aminabad division has 5 cases detected in 2023
on the portal (aminabad-1: 0001, 0002, 0003 — 2022/0004 is outside the
window; aminabad-2: 0005, 0006); Chowk division 2 (victoria: 0007, 0008);
every other division 0.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.dates import today_ist
from dashboard import feeding_queries, services
from dashboard.models import FeedingSummary, FeedingTarget
from organization.models import OrgUnit, UnitKind
from tests.factories import TheftCaseFactory
from theft_cases.models import TheftCase

pytestmark = pytest.mark.django_db


def enter(scheme, code, count, *, days_ago, user):
    return services.feeding_target_set(
        scheme=scheme, division=OrgUnit.objects.get(code=code), cases_to_feed=count,
        counted_on=today_ist() - dt.timedelta(days=days_ago), user=user)


@pytest.fixture
def counted(known, users):
    scheme = known
    enter(scheme, "aminabad", 12, days_ago=10, user=users["xen_aminabad"])
    enter(scheme, "chowk", 2, days_ago=1, user=users["director"])
    enter(scheme, "thakurganj", 4, days_ago=3, user=users["director"])
    services.feeding_refresh(scheme=scheme, full=True)
    return scheme


def test_figures_equal_a_hand_count_furthest_behind_first(counted, users):
    root = OrgUnit.objects.get(parent__isnull=True)
    rows = feeding_queries.feeding_coverage(user=users["director"], scheme=counted, unit=root)
    figures = [(r.division.code, r.target.cases_to_feed if r.target else None, r.fed, r.gap,
                r.waiting_days) for r in rows]

    assert figures[0] == ("aminabad", 12, 5, 7, 10)
    assert figures[1] == ("thakurganj", 4, 0, 4, 3)
    assert figures[-1] == ("chowk", 2, 2, 0, None)
    divisions = OrgUnit.objects.filter(kind=UnitKind.DIVISION).count()
    assert len(rows) == divisions
    assert all(f[1] is None and f[2] == 0 for f in figures[2:-1])  # no count given yet


def test_dashboard_shows_the_figures_and_scopes_them(counted, as_user):
    page = as_user("director").get("/dashboard/?scheme=OTS-THEFT-23").content.decode()
    table = page[page.index('id="feeding-table"'):]
    first = re.search(r'<tr data-division="([^"]+)">(.*?)</tr>', table, re.S)
    assert first.group(1) == "aminabad"
    cells = dict(re.findall(r'data-figure="(\w+)">([^<]*)', first.group(2)))
    assert (cells["target"], cells["fed"], cells["gap"], cells["waiting"]) == ("12", "5", "7",
                                                                               "10")
    xen = as_user("xen_aminabad").get("/staff/feeding/?scheme=OTS-THEFT-23").content.decode()
    assert re.findall(r'<tr data-division="([^"]+)"', xen) == ["aminabad"]


def test_only_the_xen_of_the_division_or_the_director_enters_it_with_history(
        known, as_user, users, client):
    url = "/staff/feeding/aminabad/?scheme=OTS-THEFT-23"
    xen = as_user("xen_aminabad")
    assert xen.get(url).status_code == 200
    response = xen.post(url, {"scheme": "OTS-THEFT-23", "cases_to_feed": "40",
                              "counted_on": today_ist().isoformat()})
    assert response.status_code == 302
    assert xen.post("/staff/feeding/chowk/", {"cases_to_feed": "1", "counted_on":
                                              today_ist().isoformat()}).status_code == 404
    for bad in ({"cases_to_feed": "-1"}, {"cases_to_feed": "1e30"},
                {"cases_to_feed": "5", "counted_on": "2099-01-01"}):
        data = {"scheme": "OTS-THEFT-23", "counted_on": today_ist().isoformat(), **bad}
        assert xen.post(url, data).status_code == 200       # the form again, with the error
    # A NUL byte is refused before any view (redportal.middleware.RefuseNulMiddleware).
    assert xen.post(url, {"scheme": "OTS-THEFT-23", "counted_on": today_ist().isoformat(),
                          "cases_to_feed": "\x00"}).status_code == 400

    sdo = as_user("sdo_aminabad")
    assert sdo.post(url, {"cases_to_feed": "1", "counted_on":
                          today_ist().isoformat()}).status_code == 404
    director = as_user("director")
    assert director.post(url, {"scheme": "OTS-THEFT-23", "cases_to_feed": "45",
                               "counted_on": today_ist().isoformat()}).status_code == 302

    target = FeedingTarget.objects.get(division__code="aminabad")
    assert target.cases_to_feed == 45
    history = [(h.cases_to_feed, h.history_user.username) for h in target.history.all()]
    assert history == [(45, "director"), (40, "xen_aminabad")]
    page = director.get(url).content.decode()
    assert "xen_aminabad" in page and "director" in page


def test_a_refresh_recounts_only_the_sub_divisions_whose_cases_changed(counted, org_tree):
    scheme = counted
    TheftCase.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    services.feeding_refresh(scheme=scheme)                   # catches up, nothing changed
    before = {s.sub_division.code: s.counted_at
              for s in FeedingSummary.objects.select_related("sub_division")}

    TheftCaseFactory(sub_division=org_tree["aminabad-2"], detection_date=dt.date(2023, 4, 1))
    result = services.feeding_refresh(scheme=scheme)

    assert result["changed"] == 1
    after = {s.sub_division.code: s for s in FeedingSummary.objects.select_related(
        "sub_division")}
    assert after["aminabad-2"].fed == 3
    assert after["aminabad-2"].counted_at > before["aminabad-2"]
    assert after["aminabad-1"].counted_at == before["aminabad-1"]
    assert after["victoria"].counted_at == before["victoria"]


def test_the_beat_task_keeps_the_figures_under_a_minute_old(known, org_tree):
    from dashboard import tasks
    from redportal.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["refresh-feeding-coverage"]
    assert entry["task"] == tasks.refresh_feeding_coverage.name
    assert float(entry["schedule"]) <= 60
    TheftCaseFactory(sub_division=org_tree["victoria"], detection_date=dt.date(2023, 11, 1))
    tasks.refresh_feeding_coverage.delay()
    assert FeedingSummary.objects.get(scheme=known, sub_division__code="victoria").fed == 3
