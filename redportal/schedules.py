"""Every periodic job of the portal, declared in one place (STYLE.md).

Loaded into Celery's ``beat_schedule``; django-celery-beat copies the entries
into its database tables when beat starts, where an administrator can change
the times in the admin. Times are Asia/Kolkata (CELERY_TIMEZONE).
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The next four are defaulters/tasks.py; their registered names kept the
    # ``theft_cases.tasks.`` prefix when the app moved (issue 13), so the
    # entries django-celery-beat already copied into its tables still resolve.
    # Registrations whose balance deadline passed unpaid lapse (DESIGN §4.3),
    # before the flagging sweep so their cases are flagged the same night.
    "lapse-overdue-registrations": {
        "task": "theft_cases.tasks.lapse_overdue_registrations",
        "schedule": crontab(hour=1, minute=0),
    },
    # The flagging sweep of unregistered defaulters (DESIGN §4.4).
    "flag-defaulters-nightly": {
        "task": "theft_cases.tasks.flag_defaulters",
        "schedule": crontab(hour=1, minute=30),
    },
    "escalate-overdue-actions": {
        "task": "theft_cases.tasks.escalate_overdue_actions",
        "schedule": crontab(hour=2, minute=0),
    },
    # Reminder SMS 7 and 2 days before the current phase ends.
    "send-phase-reminders": {
        "task": "theft_cases.tasks.send_phase_reminders",
        "schedule": crontab(hour=10, minute=0),
    },
    # Unpaid `submitted` registrations expire after 48 hours.
    "expire-unpaid-registrations": {
        "task": "ots_scheme.tasks.expire_unpaid_registrations",
        "schedule": crontab(minute="*/15"),
    },
    # Payments pending for more than 15 minutes are settled by status query.
    "reconcile-pending-payments": {
        "task": "payments.tasks.reconcile_pending_payments",
        "schedule": crontab(minute="*/15"),
    },
    # The whole day's payments are checked once more at night.
    "reconcile-days-payments": {
        "task": "payments.tasks.reconcile_days_payments",
        "schedule": crontab(hour=23, minute=45),
    },
    # SMS left queued while the broker was down, and imports whose task was
    # lost or whose worker died, are picked up again.
    "deliver-queued-sms": {
        "task": "messaging.tasks.deliver_queued_sms",
        "schedule": crontab(minute="*/5"),
    },
    "resume-stalled-imports": {
        "task": "theft_cases.tasks.resume_stalled_imports",
        "schedule": crontab(minute="*/10"),
    },
    # The money invariants of DESIGN §4.2a, after the night's sweeps; the
    # Director's dashboard shows the last result.
    "audit-money-ledger": {
        "task": "payments.tasks.audit_money_ledger",
        "schedule": crontab(hour=3, minute=0),
    },
    # Dashboard and /progress/ summary figures.
    "refresh-dashboard-summary": {
        "task": "dashboard.tasks.refresh_dashboard_summary",
        "schedule": crontab(minute="*/10"),
    },
    # Feeding coverage on the Director's dashboard: at most a minute old
    # (DESIGN §6), recounting only sub-divisions whose cases changed.
    "refresh-feeding-coverage": {
        "task": "dashboard.tasks.refresh_feeding_coverage",
        "schedule": 30.0,
    },
    # Ledger entries get their billing-feed number once committed (DESIGN §8);
    # the API's ledger endpoint also numbers them before it reads.
    "assign-ledger-sequence": {
        "task": "payments.tasks.assign_ledger_sequence",
        "schedule": crontab(minute="*"),
    },
    "prune-api-request-log": {
        "task": "api.tasks.prune_api_request_log",
        "schedule": crontab(hour=3, minute=15),
    },
}
