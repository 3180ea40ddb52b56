"""Reminder SMS 7 and 2 days before a phase ends, once per phase (DESIGN §4.4)."""

import datetime as dt

import pytest

from core.dates import IST
from defaulters.models import Reminder
from defaulters.reminders import send_phase_reminders
from defaulters.tasks import send_phase_reminders as reminder_task
from messaging.models import SmsMessage
from ots_scheme.models import RegistrationStatus
from tests.factories import RegistrationFactory, TheftCaseFactory
from theft_cases.models import CaseStatus

FED = dt.datetime(2025, 11, 1, 12, tzinfo=IST)


@pytest.fixture
def cases(org_tree, schemes):
    scheme = schemes["OTS-THEFT-23"]
    registered = TheftCaseFactory(fed_at=FED, consumer__mobile="9811111111")
    RegistrationFactory(case=registered, scheme=scheme, status=RegistrationStatus.FEE_PAID)
    return {
        "unregistered": TheftCaseFactory(fed_at=FED, consumer__mobile="9800000001"),
        "no_mobile": TheftCaseFactory(fed_at=FED, consumer__mobile=""),
        "registered": registered,
        "settled": TheftCaseFactory(fed_at=FED, consumer__mobile="9822222222",
                                    status=CaseStatus.SETTLED),
        "not_eligible": TheftCaseFactory(fed_at=FED, consumer__mobile="9833333333",
                                         detection_date=dt.date(2024, 2, 1)),
    }


@pytest.mark.django_db
def test_seven_days_before_the_phase_ends_one_sms_with_the_saving(cases):
    # Phase 1 of OTS-THEFT-23 ends on 3 Jan 2026.
    assert send_phase_reminders(today=dt.date(2025, 12, 27)) == {"sent": 1}
    message = SmsMessage.objects.get()
    assert message.mobile == "9800000001"
    assert message.language == "hi"
    # 50 % now: 61,728 + 4,000; 55 % next phase: 67,901 + 4,000.
    assert "₹65,728" in message.text and "₹6,173" in message.text
    assert cases["unregistered"].case_number in message.text
    assert "03-01-2026" in message.text


@pytest.mark.django_db
def test_reminders_are_sent_once_per_phase_and_kind(cases):
    send_phase_reminders(today=dt.date(2025, 12, 27))
    assert send_phase_reminders(today=dt.date(2025, 12, 27)) == {"sent": 0}
    assert reminder_task.delay("2025-12-28").get() == {"sent": 0}  # not a reminder day
    assert reminder_task.delay("2026-01-01").get() == {"sent": 1}  # two days before
    assert reminder_task.delay("2026-01-01").get() == {"sent": 0}
    assert SmsMessage.objects.count() == 2
    assert Reminder.objects.filter(case=cases["unregistered"]).count() == 2


@pytest.mark.django_db
def test_last_phase_reminder_states_the_whole_waiver(cases):
    # Phase 3 ends on 28 Feb 2026: 60 % now against the full assessment.
    assert send_phase_reminders(today=dt.date(2026, 2, 21)) == {"sent": 1}
    text = SmsMessage.objects.get().text
    assert "₹78,074" in text and "₹49,382" in text


@pytest.mark.django_db
def test_registering_before_the_second_reminder_stops_it(cases, schemes):
    send_phase_reminders(today=dt.date(2025, 12, 27))
    RegistrationFactory(case=cases["unregistered"], scheme=schemes["OTS-THEFT-23"])
    assert send_phase_reminders(today=dt.date(2026, 1, 1)) == {"sent": 0}


def test_english_template_is_registered_with_the_same_variables():
    from messaging.sms import render

    variables = {"case_number": "LKO/AMN/2023/0123", "phase": 1, "ends_on": "03-01-2026",
                 "payable": "₹65,728", "saving": "₹6,173"}
    text = render("defaulter_reminder_next_phase", variables, "en")
    assert "₹6,173 less than in the next phase" in text
    assert "₹6,173" in render("defaulter_reminder_next_phase", variables, "hi")
