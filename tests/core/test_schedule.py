"""Every periodic job names a task that exists (DESIGN §4.4, STYLE "one place")."""

import pytest

from redportal.celery import app
from redportal.schedules import BEAT_SCHEDULE


@pytest.mark.parametrize("name", sorted(BEAT_SCHEDULE))
def test_scheduled_task_is_registered(name):
    app.loader.import_default_modules()
    assert BEAT_SCHEDULE[name]["task"] in app.tasks


def test_schedule_reaches_celery_config():
    assert app.conf.beat_schedule["flag-defaulters-nightly"]["task"] == (
        "theft_cases.tasks.flag_defaulters"
    )
    assert app.conf.timezone == "Asia/Kolkata"
