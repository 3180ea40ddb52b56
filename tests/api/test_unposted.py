"""The Director sees what billing has not posted for 24 h; staff see the list, scoped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.feed_models import LedgerPosting
from payments.ledger_feed import ledger_posting_record, ledger_sequence_assign
from payments.models import LedgerEntry
from tests.api.ledger import credit

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(registration_in, users):
    """Aminabad: one old unposted, one old posted, one recent; Chowk: one old unposted."""
    old_unposted = credit(registration_in("aminabad-1"), "12346.00")
    old_posted = credit(registration_in("aminabad-2"), "5000.00")
    recent = credit(registration_in("aminabad-1"), "700.00")
    chowk = credit(registration_in("victoria"), "2000.00")
    ledger_sequence_assign()
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    LedgerEntry.objects.exclude(pk=recent.pk).update(created_at=two_days_ago)
    old_posted.refresh_from_db()
    ledger_posting_record(entries=LedgerEntry.objects.all(), seq=old_posted.seq,
                          reference="RMS-1", user=users["admin"])
    assert LedgerPosting.objects.count() == 1
    return {"old": old_unposted, "recent": recent, "chowk": chowk}


def test_dashboard_counts_unposted_entries_per_division(as_user, entries, schemes):
    response = as_user("director").get(reverse("dashboard:home"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.context["unposted"]}
    assert set(rows) == {"aminabad", "chowk"}
    assert (rows["aminabad"]["credits"], rows["aminabad"]["credited"]) == (1, Decimal("12346"))
    assert rows["chowk"]["credits"] == 1
    assert b'id="unposted"' in response.content


def test_staff_list_is_scoped(as_user, entries, client):
    url = reverse("dashboard:unposted")
    listed = as_user("xen_aminabad").get(url)
    assert listed.status_code == 200
    assert list(listed.context["page"]) == [entries["old"]]
    assert entries["old"].registration.case.case_number.encode() in listed.content
    chowk = as_user("je_chowk").get(url)
    assert list(chowk.context["page"]) == [entries["chowk"]]
    director = as_user("director").get(url, {"division": "aminabad"})
    assert list(director.context["page"]) == [entries["old"]]


def test_a_posting_shows_on_the_dashboard_at_once(as_user, entries, users, schemes):
    director = as_user("director")
    page = director.get(reverse("dashboard:home"))
    assert {row["code"]: row for row in page.context["unposted"]}["aminabad"]["credits"] == 1
    entries["old"].refresh_from_db()
    ledger_posting_record(entries=LedgerEntry.objects.all(), seq=entries["old"].seq,
                          reference="RMS-2", user=users["admin"])
    # The figures are kept for a minute, but not past a change of the ledger.
    page = director.get(reverse("dashboard:home"))
    after = {row["code"]: row for row in page.context["unposted"]}
    assert "aminabad" not in after
    assert after["chowk"]["credits"] == 1
