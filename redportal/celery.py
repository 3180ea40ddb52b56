"""The Celery application, wired the standard way for Django."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redportal.settings")

app = Celery("redportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_unsafe_production(**kwargs) -> None:
    """Stop a worker or beat that would run with production-unsafe settings.

    DESIGN §3, as ``redportal.wsgi`` does for the web. Celery logs and
    swallows exceptions of signal handlers, so the refusal exits the process.
    """
    from django.core.exceptions import ImproperlyConfigured

    # function-level: Celery bootstrap, this module loads (redportal/__init__) before settings
    from redportal.deployment import refuse_unsafe_production as refuse

    try:
        refuse()
    except ImproperlyConfigured as exc:
        raise SystemExit(str(exc)) from exc


@app.task(name="redportal.ping")
def ping() -> str:
    """Answer "pong": lets health checks and tests see a worker is alive."""
    return "pong"
