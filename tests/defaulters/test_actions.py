"""The action queue /staff/actions/: jurisdiction, filters, order, recording actions."""

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import IST, today_ist
from defaulters import flagging
from defaulters.models import ActionItem, ActionRecord, ActionStatus
from tests.factories import TheftCaseFactory
from theft_cases.models import CaseStatus

FED = dt.datetime(2025, 11, 1, 12, tzinfo=IST)


@pytest.fixture
def items(org_tree, schemes):
    cases = {
        "small": TheftCaseFactory(fed_at=FED, assessment_amount=Decimal("5000")),
        "big": TheftCaseFactory(fed_at=FED, assessment_amount=Decimal("900000"),
                                consumer__mobile=""),
        "middle": TheftCaseFactory(fed_at=FED, assessment_amount=Decimal("60000")),
        "chowk": TheftCaseFactory(fed_at=FED, sub_division=org_tree["victoria"],
                                  case_number="LKO/CHK/2023 0001"),
    }
    flagging.flag_defaulters(today=dt.date(2026, 1, 10))
    return {key: ActionItem.objects.get(case=case) for key, case in cases.items()}


def case_numbers(response):
    return [item.case.case_number for item in response.context["page"]]


@pytest.mark.django_db
def test_queue_is_scoped_and_biggest_dues_come_first(items, as_user):
    response = as_user("je_aminabad").get("/staff/actions/")
    assert response.status_code == 200
    assert case_numbers(response) == [items[k].case.case_number
                                      for k in ("big", "middle", "small")]
    director = as_user("director").get("/staff/actions/")
    assert items["chowk"].case.case_number in case_numbers(director)


@pytest.mark.django_db
def test_another_units_item_is_404(items, as_user):
    client = as_user("je_aminabad")
    chowk = items["chowk"]
    assert client.get(f"/staff/actions/{chowk.pk}/").status_code == 404
    assert client.get(f"/staff/actions/{chowk.pk}/notice.pdf").status_code == 404
    assert client.post(f"/staff/actions/{chowk.pk}/",
                       {"kind": "notice", "done_on": today_ist().isoformat()}).status_code == 404
    assert client.get(
        f"/staff/actions/notices.pdf?sub_division={chowk.sub_division_id}"
    ).status_code == 404
    assert not ActionRecord.objects.exists()
    assert as_user("je_chowk").get(f"/staff/actions/{chowk.pk}/").status_code == 200


@pytest.mark.django_db
def test_filters(items, as_user, org_tree):
    client = as_user("xen_aminabad")
    assert case_numbers(client.get("/staff/actions/?has_mobile=no")) == [
        items["big"].case.case_number
    ]
    assert case_numbers(client.get("/staff/actions/?min_amount=10000&max_amount=100000")) == [
        items["middle"].case.case_number
    ]
    other = org_tree["aminabad-2"].pk
    assert case_numbers(client.get(f"/staff/actions/?sub_division={other}")) == []
    # A sub-division outside the jurisdiction is not a valid choice: no filter narrows.
    response = client.get(f"/staff/actions/?sub_division={org_tree['victoria'].pk}")
    assert items["chowk"].case.case_number not in case_numbers(response)
    assert case_numbers(client.get("/staff/actions/?overdue=on")) == [
        items[k].case.case_number for k in ("big", "middle", "small")
    ]  # due 25 Jan 2026, long past


@pytest.mark.django_db
def test_recording_an_action_shows_in_the_case_history(items, as_user, users):
    client = as_user("je_aminabad")
    item = items["middle"]
    response = client.post(f"/staff/actions/{item.pk}/", {
        "kind": "notice", "done_on": today_ist().isoformat(),
        "remarks": "नोटिस परिसर पर चस्पा किया",
    })
    assert response.status_code == 302
    page = client.get(f"/staff/actions/{item.pk}/").content.decode()
    assert "नोटिस परिसर पर चस्पा किया" in page
    record = ActionRecord.objects.get()
    assert record.officer == users["je_aminabad"] and record.kind == "notice"
    item.refresh_from_db()
    assert item.status == ActionStatus.IN_PROGRESS
    case = item.case
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTION_TAKEN
    latest = case.history.first()
    assert latest.status == CaseStatus.ACTION_TAKEN
    assert latest.history_user == users["je_aminabad"]
    assert list(case.action_items.get().records.all()) == [record]


@pytest.mark.django_db
def test_future_date_is_refused_and_nothing_changes(items, as_user):
    item = items["middle"]
    tomorrow = today_ist() + dt.timedelta(days=1)
    response = as_user("je_aminabad").post(
        f"/staff/actions/{item.pk}/", {"kind": "call", "done_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert not ActionRecord.objects.exists()
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.FLAGGED


@pytest.mark.django_db
def test_director_views_but_does_not_record(items, as_user):
    item = items["middle"]
    client = as_user("director")
    assert client.get(f"/staff/actions/{item.pk}/").status_code == 200
    response = client.post(f"/staff/actions/{item.pk}/",
                           {"kind": "call", "done_on": today_ist().isoformat()})
    assert response.status_code == 403
    assert not ActionRecord.objects.exists()


@pytest.mark.django_db
def test_escalated_items_first_for_the_xen_with_a_count_on_the_home_page(items, as_user):
    flagging.escalate_overdue_actions(today=today_ist())
    # The small case was acted on since: no longer escalated.
    ActionItem.objects.filter(pk=items["small"].pk).update(escalated_at=None)
    xen = as_user("xen_aminabad")
    assert case_numbers(xen.get("/staff/actions/"))[:2] == [
        items["big"].case.case_number, items["middle"].case.case_number
    ]
    xen.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "2 escalated items" in xen.get("/staff/").content.decode()
    je = as_user("je_aminabad")
    je.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "escalated items" not in je.get("/staff/").content.decode()


@pytest.mark.django_db
def test_queue_pages_in_hindi_and_english(items, as_user):
    client = as_user("je_aminabad")
    hindi = client.get("/staff/actions/").content.decode()
    assert "कार्रवाई" in hindi
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/staff/actions/").content.decode()
    assert "Action queue" in english and "₹9,00,000" in english
    detail = client.get(f"/staff/actions/{items['big'].pk}/").content.decode()
    assert "Record an action" in detail and "<script>" not in detail


@pytest.mark.django_db
def test_record_action_service_refuses_a_closed_item(items, users):
    from defaulters.actions import ActionError, close_open_items, record_action

    item = items["small"]
    close_open_items(case=item.case)
    with pytest.raises(ActionError):
        record_action(item=item, kind="call", done_on=today_ist(),
                      officer=users["je_aminabad"])
    item.case.refresh_from_db()
    assert item.case.status == CaseStatus.REGISTERED
