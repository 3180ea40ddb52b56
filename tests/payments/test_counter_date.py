"""The counter receipt date comes up filled with today (IST) (issue 16)."""

import pytest

from core.dates import today_ist
from tests.theft_cases.test_date_defaults import date_value

pytestmark = pytest.mark.django_db


def test_counter_receipt_date_defaults_to_today_ist(as_user, make_registration):
    registration = make_registration()
    page = as_user("je_aminabad").get(
        f"/staff/registrations/{registration.registration_number}/counter-payment/"
    ).content.decode()
    assert date_value(page, "received_on") == today_ist().isoformat()
