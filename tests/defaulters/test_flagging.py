"""The flagging sweep of DESIGN §4.4 on a fixed dataset, and the lapse of §4.3."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from core.dates import IST
from defaulters import flagging
from defaulters.models import ActionItem, ActionStatus, ClosedReason
from ots_scheme.models import Registration, RegistrationStatus
from payments.models import Payment, PaymentPurpose, PaymentStatus
from tests.factories import RegistrationFactory, TheftCaseFactory
from theft_cases.models import CaseStatus, TheftCase

TODAY = dt.date(2026, 1, 10)  # OTS-THEFT-23 opened 1 Dec 2025; flag after 15 days


def at_ist(year, month, day, hour=12, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=IST)


def sweep(today=TODAY):
    out = io.StringIO()
    call_command("flag_defaulters", "--today", today.isoformat(), stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def dataset(org_tree, schemes):
    """One case per rule, keyed by what it tests."""
    scheme = schemes["OTS-THEFT-23"]
    fed_early = at_ist(2025, 11, 1)
    cases = {
        "unregistered": TheftCaseFactory(fed_at=fed_early),
        "no_mobile_unregistered": TheftCaseFactory(
            fed_at=fed_early, consumer__mobile="", sub_division=org_tree["victoria"]
        ),
        # Fed 26 Dec 00:30 IST (25 Dec in UTC): due on 10 Jan, IST date counts.
        "fed_just_due": TheftCaseFactory(fed_at=at_ist(2025, 12, 26, 0, 30)),
        # Fed 27 Dec 00:30 IST: due only on 11 Jan.
        "fed_too_recently": TheftCaseFactory(fed_at=at_ist(2025, 12, 27, 0, 30)),
        "not_eligible": TheftCaseFactory(fed_at=fed_early, detection_date=dt.date(2022, 12, 31)),
        "settled": TheftCaseFactory(fed_at=fed_early, status=CaseStatus.SETTLED),
        "submitted": TheftCaseFactory(fed_at=fed_early),
        "verified": TheftCaseFactory(fed_at=fed_early, status=CaseStatus.REGISTERED),
        "lapsed_before": TheftCaseFactory(fed_at=fed_early, status=CaseStatus.REGISTERED),
        "lapses_now": TheftCaseFactory(fed_at=fed_early, status=CaseStatus.REGISTERED),
        "balance_paid": TheftCaseFactory(fed_at=fed_early, status=CaseStatus.SETTLED),
        "rejected": TheftCaseFactory(fed_at=fed_early),
    }
    RegistrationFactory(case=cases["submitted"], scheme=scheme)
    RegistrationFactory(case=cases["verified"], scheme=scheme,
                        status=RegistrationStatus.VERIFIED,
                        balance_due_date=dt.date(2026, 1, 31))
    RegistrationFactory(case=cases["lapsed_before"], scheme=scheme,
                        status=RegistrationStatus.LAPSED)
    RegistrationFactory(case=cases["lapses_now"], scheme=scheme,
                        status=RegistrationStatus.FEE_PAID,
                        balance_due_date=dt.date(2026, 1, 3))
    # Balance paid before the deadline: credited in full, so settled (§4.2a).
    paid = RegistrationFactory(case=cases["balance_paid"], scheme=scheme,
                               status=RegistrationStatus.SETTLED,
                               balance_due_date=dt.date(2026, 1, 3), credited=50000,
                               total_payable=50000, balance=0)
    Payment.objects.create(order_id="ORD-BAL-1", registration=paid,
                           sub_division=paid.sub_division, purpose=PaymentPurpose.BALANCE,
                           amount=50000, status=PaymentStatus.SUCCESS)
    RegistrationFactory(case=cases["rejected"], scheme=scheme,
                        status=RegistrationStatus.REJECTED)
    return cases


FLAGGED = {"unregistered", "no_mobile_unregistered", "fed_just_due", "lapsed_before",
           "lapses_now", "rejected"}


@pytest.mark.django_db
def test_sweep_flags_exactly_the_unregistered_defaulters(dataset, schemes):
    counts = sweep()
    assert counts == {"flagged": 6, "cleared": 0, "already_flagged": 0, "lapsed": 1,
                      "today": "2026-01-10"}
    flagged = {key for key, case in dataset.items()
               if ActionItem.objects.filter(case=case, status=ActionStatus.OPEN).exists()}
    assert flagged == FLAGGED
    for key, case in dataset.items():
        case.refresh_from_db()
        if key in FLAGGED:
            assert case.status == CaseStatus.FLAGGED, key
            assert case.flagged_at is not None
        else:
            assert case.flagged_at is None, key
    item = ActionItem.objects.get(case=dataset["no_mobile_unregistered"])
    assert item.sub_division.code == "victoria"
    assert item.scheme == schemes["OTS-THEFT-23"]
    assert item.due_date == TODAY + dt.timedelta(days=flagging.ACTION_DUE_DAYS)
    assert item.reason == "unregistered"
    assert ActionItem.objects.get(case=dataset["lapsed_before"]).reason == "lapsed"
    assert ActionItem.objects.get(case=dataset["lapses_now"]).reason == "lapsed"
    assert ActionItem.objects.get(case=dataset["rejected"]).reason == "unregistered"


@pytest.mark.django_db
def test_sweep_twice_creates_nothing_new(dataset):
    sweep()
    again = sweep()
    assert again["flagged"] == 0 and again["cleared"] == 0
    assert again["already_flagged"] == 6
    assert ActionItem.objects.count() == 6
    # The next day the case fed on 27 Dec is due too, and only it.
    later = sweep(TODAY + dt.timedelta(days=1))
    assert later["flagged"] == 1 and later["already_flagged"] == 6
    assert ActionItem.objects.filter(case=dataset["fed_too_recently"]).count() == 1


@pytest.mark.django_db
def test_registering_clears_the_flag(dataset, schemes):
    sweep()
    case = dataset["unregistered"]
    RegistrationFactory(case=case, scheme=schemes["OTS-THEFT-23"],
                        status=RegistrationStatus.FEE_PAID,
                        balance_due_date=dt.date(2026, 1, 31))
    counts = sweep()
    assert counts["cleared"] == 1 and counts["flagged"] == 0
    item = ActionItem.objects.get(case=case)
    assert item.status == ActionStatus.CLOSED
    assert item.closed_reason == ClosedReason.REGISTERED
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.flagged_at is None
    # Cleared once: a third run changes nothing.
    assert sweep()["cleared"] == 0


@pytest.mark.django_db
def test_a_submitted_registration_keeps_an_open_item_open(dataset, schemes):
    sweep()
    case = dataset["unregistered"]
    RegistrationFactory(case=case, scheme=schemes["OTS-THEFT-23"])
    counts = sweep()
    assert counts["cleared"] == 0
    assert ActionItem.objects.get(case=case).status == ActionStatus.OPEN


@pytest.mark.django_db
def test_lapse_keeps_the_fee_and_flags_the_case(dataset):
    fee = Payment.objects.create(
        order_id="ORD-FEE-1", registration=dataset["lapses_now"].registrations.get(),
        sub_division=dataset["lapses_now"].sub_division,
        purpose=PaymentPurpose.REGISTRATION_FEE, amount=12346, status=PaymentStatus.SUCCESS,
    )
    sweep()
    registration = Registration.objects.get(case=dataset["lapses_now"])
    assert registration.status == RegistrationStatus.LAPSED
    assert registration.lapsed_at is not None
    assert registration.history.first().history_change_reason.startswith("lapsed")
    fee.refresh_from_db()
    assert fee.status == PaymentStatus.SUCCESS  # credited, not refunded
    # Paid balance and a deadline not yet passed do not lapse.
    assert Registration.objects.get(case=dataset["balance_paid"]).status == "settled"
    assert Registration.objects.get(case=dataset["verified"]).status == "verified"
    assert dataset["lapses_now"].action_items.get().reason == "lapsed"


@pytest.mark.django_db
def test_action_taken_case_stays_action_taken_when_flagged_again(dataset, schemes):
    case = TheftCaseFactory(fed_at=at_ist(2025, 11, 1), status=CaseStatus.ACTION_TAKEN)
    sweep()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTION_TAKEN
    assert ActionItem.objects.filter(case=case, status=ActionStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_sweep_is_recorded_in_history(dataset, schemes):
    sweep()
    # Every new item has its "+" row, a copy of the item as opened, by the sweep.
    items = {item.pk: item for item in ActionItem.objects.all()}
    added = list(ActionItem.history.filter(history_type="+"))
    assert sorted(row.id for row in added) == sorted(items) and len(items) == len(FLAGGED)
    for row in added:
        item = items[row.id]
        assert row.history_change_reason == "flagged by the sweep"
        assert row.history_user_id is None and row.history_date == item.created_at
        assert (row.case_id, row.scheme_id, row.sub_division_id, row.reason, row.status,
                row.due_date, row.created_at, row.closed_reason) == (
            item.case_id, item.scheme_id, item.sub_division_id, item.reason, item.status,
            item.due_date, item.created_at, item.closed_reason)
    item = ActionItem.objects.get(case=dataset["unregistered"])
    assert item.history.count() == 1
    assert item.history.first().history_type == "+"
    # Clearing the flag is in the case's own history.
    case = TheftCase.objects.get(pk=dataset["unregistered"].pk)
    RegistrationFactory(case=case, scheme=schemes["OTS-THEFT-23"],
                        status=RegistrationStatus.FEE_PAID)
    sweep()
    latest = case.history.first()
    assert latest.status == CaseStatus.REGISTERED
    assert "cleared" in latest.history_change_reason
    assert item.history.first().closed_reason == ClosedReason.REGISTERED


@pytest.mark.django_db
def test_nothing_flagged_before_the_scheme_has_been_open_15_days(dataset):
    counts = sweep(dt.date(2025, 12, 15))
    assert counts["flagged"] == 0
    # Fed before the opening with no live registration: unregistered, no mobile,
    # lapsed before, rejected.
    assert sweep(dt.date(2025, 12, 16))["flagged"] == 4


@pytest.mark.django_db
def test_escalation_after_seven_days_overdue(dataset):
    sweep()
    due = TODAY + dt.timedelta(days=flagging.ACTION_DUE_DAYS)
    assert flagging.escalate_overdue_actions(today=due + dt.timedelta(days=6)) == 0
    assert flagging.escalate_overdue_actions(today=due + dt.timedelta(days=7)) == 6
    assert flagging.escalate_overdue_actions(today=due + dt.timedelta(days=8)) == 0
    assert ActionItem.objects.filter(escalated_at__isnull=False).count() == 6


@pytest.mark.django_db
def test_bad_date_is_an_error_and_changes_nothing(dataset, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("flag_defaulters", "--today", "10-01-2026")
    assert exit_info.value.code == 2
    assert "error" in json.loads(capsys.readouterr().out)
    assert ActionItem.objects.count() == 0


def test_beat_schedule_registers_the_sweep():
    from redportal.celery import app

    app.loader.import_default_modules()
    for name in ("theft_cases.tasks.flag_defaulters",
                 "theft_cases.tasks.lapse_overdue_registrations",
                 "theft_cases.tasks.escalate_overdue_actions",
                 "theft_cases.tasks.send_phase_reminders"):
        assert name in app.tasks
    assert app.conf.beat_schedule["flag-defaulters-nightly"]["task"] == (
        "theft_cases.tasks.flag_defaulters"
    )


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_nightly_task_runs_on_a_real_worker(celery_worker, org_tree, schemes):
    from defaulters.tasks import flag_defaulters

    case = TheftCaseFactory(fed_at=at_ist(2025, 11, 1))
    result = flag_defaulters.delay(TODAY.isoformat()).get(timeout=60)
    assert result["flagged"] == 1
    assert ActionItem.objects.filter(case=case, status=ActionStatus.OPEN).count() == 1
    assert flag_defaulters.delay(TODAY.isoformat()).get(timeout=60)["flagged"] == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_item_tables_index_what_is_read():
    """Each index is a write per item the sweep opens: only those something reads."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index names are PostgreSQL's (runs in the PostgreSQL run)")

    def indexed(table):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        return constraints, sorted(tuple(c["columns"]) for c in constraints.values()
                                   if c["index"] and not c["primary_key"])

    _constraints, items = indexed(ActionItem._meta.db_table)
    # A case's items and the one open item per case; a unit's list; the API's
    # change feed (flags by created_at).
    assert items == [("case_id",), ("case_id",), ("created_at", "case_id"),
                     ("sub_division_id", "status", "due_date")]
    constraints, history = indexed(ActionItem.history.model._meta.db_table)
    # An item's history (``id``), by date; the user for the ORM's SET_NULL.
    assert history == [("history_date",), ("history_user_id",), ("id",)]
    assert not [c for c in constraints.values() if c["foreign_key"]]


@pytest.mark.postgres
@pytest.mark.django_db
def test_registration_history_indexes_what_is_read():
    """The nightly lapse writes a history row per lapsed registration: few indexes."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index names are PostgreSQL's (runs in the PostgreSQL run)")
    table = Registration.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = sorted(tuple(c["columns"]) for c in constraints.values()
                     if c["index"] and not c["primary_key"])
    assert indexed == [("history_date",), ("history_user_id",), ("id",)]
    assert not [c for c in constraints.values() if c["foreign_key"]]
