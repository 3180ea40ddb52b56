"""Dashboard models: summary tables refreshed by Celery (see dashboard/services.py)."""
