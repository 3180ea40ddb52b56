"""Celery tasks of the dashboard (scheduled in redportal/schedules.py)."""

from celery import shared_task

from dashboard import services


@shared_task(name="dashboard.tasks.refresh_dashboard_summary", acks_late=True)
def refresh_dashboard_summary() -> list[dict]:
    """Rebuild the dashboard and /progress/ summary of every active scheme.

    Idempotent (the summary is replaced, not added to), so a redelivery is harmless.
    """
    return services.summary_refresh()


@shared_task(name="dashboard.tasks.refresh_feeding_coverage", acks_late=True)
def refresh_feeding_coverage() -> list[dict]:
    """Recount the cases fed where cases changed since the last run (every 30 s).

    Idempotent (counts are replaced, not added to), so a redelivery is harmless.
    """
    return services.feeding_refresh_all()
