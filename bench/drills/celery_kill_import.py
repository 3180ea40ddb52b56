"""Drill: the Celery worker is SIGKILLed in the middle of a bulk import (issue 8).

Goes through the real path of the import page: upload → validation task on
a worker → confirm → apply task on a worker, which is killed mid-apply.
Expected: nothing half-written (the apply is one transaction), then the
``resume_stalled_imports`` sweep (every 10 minutes in beat; called here at
once) queues the apply again on a fresh worker, and every row of the file is
in the database exactly once.

Own database (redportal_drill_import) and queue on the shared PostgreSQL and
Redis; kills only the worker it started.

    .venv/bin/python bench/drills/celery_kill_import.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("DRILL_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = "redportal_drill_import"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "redportal.settings",
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "CELERY_BROKER_URL": os.environ.get("DRILL_BROKER_URL", "redis://127.0.0.1:6379/2"),
    "CACHE_URL": os.environ.get("DRILL_CACHE_URL", "redis://127.0.0.1:6379/3"),
    "CACHE_KEY_PREFIX": f"drill-import-{os.getpid()}",
    "CELERY_QUEUE": f"drill-import-{os.getpid()}",
    # A staging site (redportal/deployment.py refuses default secrets).
    "ALLOW_SANDBOX": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "PAYMENT_GATEWAY_SECRET": secrets.token_urlsafe(32),
}
os.environ.update(ENV)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{SERVER}/postgres", "-qc", sql], check=True)


def start_worker(n: int) -> subprocess.Popen:
    log = open(f"/tmp/redportal-drill-worker-{os.getpid()}.log", "a")  # noqa: SIM115
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "redportal", "worker", "-P", "solo",
         "-Q", ENV["CELERY_QUEUE"], "-l", "warning", "--without-gossip", "--without-mingle",
         "-n", f"drill-{os.getpid()}-{n}@%h"],
        cwd=ROOT, env=ENV, stdout=log, stderr=log, start_new_session=True,
    )


def division_list(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case_number", "detection_date", "account_number", "name", "address",
                     "mobile", "sub_division_code", "category", "theft_type",
                     "assessment_amount"])
    for i in range(rows):
        writer.writerow([f"DRILL/AMN/2023/{i:06d}", "15-06-2023", f"{1100000000 + i}",
                         f"राम {i}", f"{i}/1 अमीनाबाद", f"98{i:08d}", "aminabad-1",
                         "LMV-1", "direct", "123456.00"])
    return out.getvalue().encode("utf-8")


def wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"FAIL  timed out waiting for {what}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([*manage, "seed_demo", "--cases", "0"], cwd=ROOT, env=ENV, check=True,
                   capture_output=True)

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    from theft_cases import services
    from theft_cases.models import CaseImport, ImportStatus, TheftCase

    user = get_user_model().objects.get(username="je_aminabad")
    worker = start_worker(1)
    try:
        upload = SimpleUploadedFile("drill.csv", division_list(args.rows), "text/csv")
        case_import = services.import_upload(user=user, uploaded_file=upload)
        pk = case_import.pk

        def status():
            return CaseImport.objects.values_list("status", flat=True).get(pk=pk)

        wait(lambda: status() == ImportStatus.PREVIEWED, 300, "the preview")
        print(f"preview ready: {args.rows} rows validated on the worker")
        services.import_confirm(user=user, case_import_id=pk)
        # Kill once the apply has visibly started writing.
        wait(lambda: (cache.get(f"case-import-progress:{pk}") or 0) > 0, 120,
             "the apply to start")
        progress = cache.get(f"case-import-progress:{pk}")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        print(f"worker SIGKILLed mid-apply (progress {progress} of {args.rows} rows)")
        time.sleep(1)
        half = TheftCase.objects.filter(case_number__startswith="DRILL/").count()
        print(f"{'PASS' if half == 0 else 'FAIL'}  rows written by the killed apply: {half} "
              "(one transaction: rolled back)")
        print(f"      import status now: {status()}")
        worker = start_worker(2)
        queued = services.resume_stalled_imports(stalled_after=dt.timedelta(0))
        print(f"resume_stalled_imports queued {queued} task(s) on a fresh worker")
        wait(lambda: status() == ImportStatus.APPLIED, 600, "the resumed apply")
        total = TheftCase.objects.filter(case_number__startswith="DRILL/").count()
        distinct = (TheftCase.objects.filter(case_number__startswith="DRILL/")
                    .values("case_number").distinct().count())
        created = CaseImport.objects.get(pk=pk).created_count
        ok = total == distinct == created == args.rows
        print(f"{'PASS' if ok else 'FAIL'}  rows in file {args.rows}, in database {total}, "
              f"distinct {distinct}, import says created {created}")
        # The same file again changes nothing (idempotent on case_number).
        again = services.import_from_path(user=user, path=_write(division_list(args.rows)))
        same = again.unchanged_count == args.rows and again.created_count == 0
        print(f"{'PASS' if same else 'FAIL'}  re-import: unchanged {again.unchanged_count}, "
              f"created {again.created_count}")
        return 0 if ok and same and half == 0 else 1
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)


def _write(content: bytes) -> Path:
    path = Path(f"/tmp/redportal-drill-{os.getpid()}.csv")
    path.write_bytes(content)
    return path


if __name__ == "__main__":
    sys.exit(main())
