"""Celery tasks of the api app: thin wrappers over ``api.services``."""

from celery import shared_task

from api import services


@shared_task(name="api.tasks.prune_api_request_log")
def prune_api_request_log() -> int:
    """Keep the API's request log to its last 90 days."""
    return services.request_log_prune()
