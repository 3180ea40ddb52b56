"""The Celery application, wired the standard way for Django."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redportal.settings")

app = Celery("redportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="redportal.ping")
def ping() -> str:
    """Answer "pong": lets health checks and tests see a worker is alive."""
    return "pong"
