"""Celery tasks of the defaulters: lapse, flagging, escalation, reminders.

Thin wrappers over ``defaulters.flagging`` and ``defaulters.reminders``. The
registered names keep their ``theft_cases.tasks.`` prefix from before the
sub-domain had its own app (issue 13): beat entries in the database
(django-celery-beat) and messages already queued name the tasks by them.

Idempotent by state (a lapsed registration, an open item, an escalated item
or a Reminder row is never made twice), so acks_late is safe. Dates come in
as ISO text (``None`` = today in IST) so a run can be replayed for a day.
"""

import datetime as dt

from celery import shared_task

from core.dates import today_ist
from defaulters import flagging, reminders


def _day(today: str | None):
    return dt.date.fromisoformat(today) if today else today_ist()


@shared_task(name="theft_cases.tasks.lapse_overdue_registrations", acks_late=True)
def lapse_overdue_registrations(today: str | None = None) -> int:
    """Lapse registrations whose balance deadline passed unpaid (DESIGN §4.3)."""
    return flagging.lapse_overdue_registrations(today=_day(today))


@shared_task(name="theft_cases.tasks.flag_defaulters", acks_late=True)
def flag_defaulters(today: str | None = None) -> dict:
    """Run the nightly flagging sweep of DESIGN §4.4 (lapse first, then flag)."""
    return flagging.run_sweep(today=_day(today))


@shared_task(name="theft_cases.tasks.escalate_overdue_actions", acks_late=True)
def escalate_overdue_actions(today: str | None = None) -> int:
    """Escalate action items overdue by 7 days or more to the Executive Engineer."""
    return flagging.escalate_overdue_actions(today=_day(today))


@shared_task(name="theft_cases.tasks.send_phase_reminders", acks_late=True)
def send_phase_reminders(today: str | None = None) -> dict:
    """Send the reminder SMS due 7 and 2 days before the current phase ends."""
    return reminders.send_phase_reminders(today=_day(today))
