"""Shared fixtures: the org tree, one user per role, schemes, a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
# Sync Playwright runs an event loop in the test thread (LIBRARIES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language (Hindi), whatever the test before
    activated: a request through the test client leaves its language active in
    this thread, and a form built outside a request speaks it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture(autouse=True)
def _fresh_scheme_catalogue():
    """Each test sees its own schemes and units: a rolled-back test sends no signal."""
    from organization import catalogue as org_catalogue
    from ots_scheme import catalogue

    catalogue.forget()
    org_catalogue.forget()
    yield
    catalogue.forget()
    org_catalogue.forget()


@pytest.fixture
def org_tree(db):
    """The MVVNL/LESA demo tree, loaded from its data file."""
    from organization.services import org_tree_load, read_tree_file

    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    from organization.models import OrgUnit

    return {u.code: u for u in OrgUnit.objects.all()}


@pytest.fixture
def schemes(db):
    """OTS-THEFT-23 (real phases) and DEMO-OTS-THEFT (open today)."""
    from ots_scheme.models import Scheme
    from redportal import demo

    demo.ensure_schemes()
    return {s.code: s for s in Scheme.objects.prefetch_related("phases")}


@pytest.fixture
def users(org_tree):
    """The demo users of DESIGN §3, one per role, keyed by username."""
    from django.contrib.auth import get_user_model

    from redportal import demo

    demo.ensure_users()
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def as_user(client, users):
    """Log the test client in as a demo user: ``as_user("je_aminabad")``."""

    def login(username: str):
        client.force_login(users[username])
        return client

    return login


def _broker_url() -> str:
    from django.conf import settings

    return getattr(settings, "TEST_BROKER_URL", "") or ""


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker):
    """Start a real Celery worker process on Redis against the test database.

    Only on the PostgreSQL + Redis run: the worker is another process, so it
    must see committed rows of a database it can reach (tests using it are
    ``django_db(transaction=True)``).
    """
    from django.conf import settings
    from django.db import connection

    from redportal.celery import app

    if not _broker_url() or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and PostgreSQL (runs in the PostgreSQL CI run)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "redportal.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_QUEUE": settings.CELERY_QUEUE_FAST,
        "CELERY_QUEUE_BULK": settings.CELERY_QUEUE_BULK,
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # Every import the worker runs parses its rows in a child process of
        # the worker, as a large list does in production.
        "IMPORT_PARSE_IN_CHILD_BYTES": "0",
    }
    env.pop("DATABASE_TEST_NAME", None)
    proc = subprocess.Popen(  # noqa: S603 - our own worker command
        [
            sys.executable, "-m", "celery", "-A", "redportal", "worker", "-P", "solo",
            "-Q", f"{settings.CELERY_QUEUE_FAST},{settings.CELERY_QUEUE_BULK}",
            "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-l", "warning",
        ],
        cwd=ROOT, env=env,
    )
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert app.send_task("redportal.ping").get(timeout=5) == "pong"
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
        yield proc
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

