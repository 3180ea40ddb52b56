"""Settings for the test suite: the real settings, made fast and predictable.

The database and broker still come from the environment (SQLite by default;
PostgreSQL + Redis when DATABASE_URL / CELERY_BROKER_URL are set).
"""

import os

from redportal.settings import *  # noqa: F403
from redportal.settings import CELERY_BROKER_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite runs as a staging site: DEBUG off, the sandbox bank and the
# outbox SMS backend allowed, secrets of its own — so the real Celery
# worker of the PostgreSQL run starts (redportal/deployment.py). Fixed
# values: the worker and the tests must sign and hash alike.
ALLOW_SANDBOX = True
SECRET_KEY = "redportal-test-suite-secret-key-not-for-any-site-0123456789abcdef"
PAYMENT_GATEWAY_SECRET = "redportal-test-suite-gateway-secret"
# Browser tests talk plain HTTP to the live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# Tasks run in-process unless a test asks for the real worker
# (the `celery_worker` fixture in conftest.py switches this off).
CELERY_TASK_ALWAYS_EAGER = True
# One queue per test run, so parallel runs on one Redis never steal each
# other's tasks.
# Both queues (fast and bulk) are named after the run; the routes follow.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE") or f"redportal-test-{os.getpid()}"
CELERY_QUEUE_FAST = CELERY_TASK_DEFAULT_QUEUE
CELERY_QUEUE_BULK = os.environ.get("CELERY_QUEUE_BULK") or f"{CELERY_TASK_DEFAULT_QUEUE}-bulk"
CELERY_TASK_ROUTES = [
    {name: {"queue": CELERY_QUEUE_BULK} for name in BULK_TASKS},  # noqa: F405
    {name: {"queue": CELERY_QUEUE_FAST} for name in FAST_TASKS},  # noqa: F405
]
TEST_BROKER_URL = CELERY_BROKER_URL
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", f"/tmp/redportal-test-media-{os.getpid()}"))  # noqa: F405, S108  # nosec B108 - test-only media
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
