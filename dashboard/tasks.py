"""Celery tasks of the dashboard (scheduled in redportal/schedules.py)."""

from celery import shared_task

from dashboard import services


@shared_task(name="dashboard.tasks.refresh_dashboard_summary", acks_late=True)
def refresh_dashboard_summary() -> list[dict]:
    """Rebuild the dashboard and /progress/ summary of every active scheme.

    Idempotent (the summary is replaced, not added to), so a redelivery is harmless.
    """
    return services.refresh_summary()
