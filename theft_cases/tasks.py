"""Celery tasks of theft_cases: thin wrappers over services.

Shared by two areas; add to your own section only.
"""

from celery import shared_task  # noqa: F401

# --- Bulk import (theft_cases/importing.py) ---


@shared_task(acks_late=True)
def validate_case_import(case_import_id: int, language: str = "hi") -> None:
    """Build the preview of an uploaded division list (idempotent by status)."""
    from theft_cases.services import import_fail_unexpected, import_validate

    try:
        import_validate(case_import_id=case_import_id, language=language)
    except Exception as exc:
        # A file no rule foresaw must end "failed" with a message, never stay
        # "validating" for ever (issue 17).
        import_fail_unexpected(case_import_id=case_import_id, error=exc, language=language)


@shared_task(acks_late=True)
def apply_case_import(case_import_id: int, language: str = "hi") -> None:
    """Apply a confirmed import in one transaction (idempotent by status)."""
    from theft_cases.services import import_apply, import_fail_unexpected

    try:
        import_apply(case_import_id=case_import_id, language=language)
    except Exception as exc:
        import_fail_unexpected(case_import_id=case_import_id, error=exc, language=language)


@shared_task(name="theft_cases.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    """Queue again imports whose task was lost or whose worker died."""
    from theft_cases.services import resume_stalled_imports as resume

    return resume()


# --- Defaulters: lapse, flagging, escalation, reminders (theft_cases/flagging.py) ---
# Idempotent by state (a lapsed registration, an open item, an escalated item
# or a Reminder row is never made twice), so acks_late is safe. Dates come in
# as ISO text (``None`` = today in IST) so a run can be replayed for a day.


def _day(today: str | None):
    import datetime as dt

    from core.dates import today_ist

    return dt.date.fromisoformat(today) if today else today_ist()


@shared_task(name="theft_cases.tasks.lapse_overdue_registrations", acks_late=True)
def lapse_overdue_registrations(today: str | None = None) -> int:
    """Lapse registrations whose balance deadline passed unpaid (DESIGN §4.3)."""
    from theft_cases import flagging

    return flagging.lapse_overdue_registrations(today=_day(today))


@shared_task(name="theft_cases.tasks.flag_defaulters", acks_late=True)
def flag_defaulters(today: str | None = None) -> dict:
    """Run the nightly flagging sweep of DESIGN §4.4 (lapse first, then flag)."""
    from theft_cases import flagging

    return flagging.run_sweep(today=_day(today))


@shared_task(name="theft_cases.tasks.escalate_overdue_actions", acks_late=True)
def escalate_overdue_actions(today: str | None = None) -> int:
    """Escalate action items overdue by 7 days or more to the Executive Engineer."""
    from theft_cases import flagging

    return flagging.escalate_overdue_actions(today=_day(today))


@shared_task(name="theft_cases.tasks.send_phase_reminders", acks_late=True)
def send_phase_reminders(today: str | None = None) -> dict:
    """Send the reminder SMS due 7 and 2 days before the current phase ends."""
    from theft_cases import reminders

    return reminders.send_phase_reminders(today=_day(today))
