"""Integration API at scale (DESIGN §6, §8).

    .venv/bin/python bench/bench_api.py [--scale ENTRIES] [--cases ROWS]

``--cases`` defaults to a tenth of ``--scale`` (10⁶ entries, 10⁵ cases), so
``bench/run --scale N`` scales both.

With DATABASE_URL pointing at a PostgreSQL database of its own (default
``postgres://postgres@127.0.0.1:5432/redportal_bench_api``, created if
missing; its case, registration and payment tables are emptied first).
Heavy: run it under ``flock /tmp/redportal-bench.lock``.

1. Ledger feed (target ≥ 5,000 entries/s at 10⁶ entries): ``bench_generate``
   makes cases, registrations and their successful payments; one set-based
   insert gives each payment its credit entry (refund entries fill up to
   ENTRIES); the sequencer numbers them (reported, no target); then a
   discom-level client pages ``GET /api/v1/ledger/?after=…&limit=1000``
   from 0 to the end through Django's full request stack (in-process
   client, no network). Baseline in the same run: a raw SQL keyset scan
   (``seq > %s ORDER BY seq LIMIT 1000``) of the same rows and joins.
2. Case ingest (target ≥ 2,000 rows/s at 100,000 rows): ROWS cases (the
   import bench's generator: Hindi names, Indian amounts, 1 % bad rows)
   ``POST /api/v1/cases/`` in batches of 1,000. Baseline in the same run:
   the bulk import (validate + apply, the services its tasks call) of the
   same rows under other case numbers.

Prints readable lines, then ``RESULT [...]`` (docs/contributing.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/redportal_bench_api"
LEDGER_TARGET = 5000.0
INGEST_TARGET = 2000.0
PAGE = 1000


def setup_django(media: Path) -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redportal.settings"
    # The in-process client speaks plain HTTP; production redirects to HTTPS.
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["API_CLIENT_THROTTLE_RATE"] = "1000000/min"  # the bench is one client
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()


def empty_tables() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE theft_cases_theftcase, consumers_consumer, ots_scheme_registration, "
            "payments_payment, payments_ledgerentry, payments_ledgerposting, "
            "payments_ledgersequence, theft_cases_caseimport, api_apirequestlog, "
            "theft_cases_historicaltheftcase, consumers_historicalconsumer, "
            "payments_historicalpayment CASCADE"
        )


def make_entries(entries: int) -> dict:
    """Cases, registrations and payments by bench_generate; one ledger entry each."""
    from django.core.management import call_command
    from django.db import connection

    registrations = max(1, math.ceil(entries / 1.1))
    call_command("bench_generate", "--cases", str(registrations), "--registrations",
                 str(registrations), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        # bench_generate writes the money ledger itself (one credit entry per
        # successful payment, as the payments app does).
        cursor.execute("SELECT count(*) FROM payments_ledgerentry WHERE kind = 'credit'")
        credits = cursor.fetchone()[0]
        missing = entries - credits
        if missing > 0:
            cursor.execute(
                """
                INSERT INTO payments_ledgerentry (kind, payment_id, registration_id,
                    sub_division_id, amount, reference, note, recorded_by_id, created_at)
                SELECT 'refund', e.payment_id, e.registration_id, e.sub_division_id, 1.00,
                       'REFUND-' || g, '', NULL, now()
                FROM generate_series(1, %s) AS g
                JOIN payments_ledgerentry e ON e.id = (SELECT min(id) FROM payments_ledgerentry)
                    + (g %% %s)
                """,
                [missing, credits],
            )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM payments_ledgerentry")
        total = cursor.fetchone()[0]
    return {"credits": credits, "entries": total}


def api_caller():
    from django.test import Client

    from api.models import Scope
    from api.services import client_create

    _client, token = client_create(name=f"bench-{int(time.time())}", unit_code="mvvnl",
                                   scopes=list(Scope.values))
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return http


def page_ledger(http) -> tuple[int, float]:
    after, read = 0, 0
    started = time.perf_counter()
    while True:
        response = http.get("/api/v1/ledger/", {"after": after, "limit": PAGE})
        assert response.status_code == 200, response.content[:300]
        page = json.loads(response.content)
        read += len(page["results"])
        after = page["next_after"]
        if not page["has_more"]:
            break
    return read, time.perf_counter() - started


def keyset_baseline() -> tuple[int, float]:
    from django.db import connection

    query = """
        SELECT e.seq, e.kind, e.amount, e.reference, e.created_at, p.purpose, p.mode,
               p.gateway_reference, p.receipt_number, r.registration_number, c.case_number,
               cn.account_number, u.code, lp.reference, lp.posted_at
        FROM payments_ledgerentry e
        JOIN payments_payment p ON p.id = e.payment_id
        JOIN ots_scheme_registration r ON r.id = e.registration_id
        JOIN theft_cases_theftcase c ON c.id = r.case_id
        JOIN consumers_consumer cn ON cn.id = c.consumer_id
        JOIN organization_orgunit u ON u.id = e.sub_division_id
        LEFT JOIN payments_ledgerposting lp ON lp.entry_id = e.id
        WHERE e.seq > %s ORDER BY e.seq LIMIT %s
    """
    after, read = 0, 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        while True:
            cursor.execute(query, [after, PAGE])
            rows = cursor.fetchall()
            if not rows:
                break
            read += len(rows)
            after = rows[-1][0]
    return read, time.perf_counter() - started


def ingest_rows(path: Path, prefix: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["case_number"] = row["case_number"].replace("BENCH/", prefix)
    return rows


def post_batches(http, rows: list[dict]) -> tuple[dict, float]:
    counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    started = time.perf_counter()
    for start in range(0, len(rows), PAGE):
        response = http.post("/api/v1/cases/", json.dumps({"rows": rows[start:start + PAGE]}),
                             content_type="application/json")
        assert response.status_code == 200, response.content[:300]
        for name, value in json.loads(response.content)["counts"].items():
            counts[name] += value
    return counts, time.perf_counter() - started


def bulk_import(path: Path) -> tuple[dict, float]:
    from django.contrib.auth import get_user_model

    from theft_cases.services import import_from_path

    user = get_user_model().objects.get(username="director")
    started = time.perf_counter()
    case_import = import_from_path(user=user, path=path, language="en")
    elapsed = time.perf_counter() - started
    return {"status": case_import.status, "created": case_import.created_count,
            "rejected": case_import.rejected_count}, elapsed


def result(name, value, unit, target, baseline):
    ratio = value / baseline if baseline else None
    return {"name": name, "value": round(value, 1), "unit": unit, "target": target,
            "baseline": round(baseline, 1) if baseline else None,
            "ratio": round(ratio, 3) if ratio is not None else None,
            "met": value >= target}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000, help="ledger entries")
    parser.add_argument("--cases", type=int, default=None,
                        help="cases to ingest (default: a tenth of --scale)")
    args = parser.parse_args()
    if args.cases is None:
        args.cases = max(1000, args.scale // 10)

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    from bench_import import ensure_database, generate

    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    import subprocess

    env = {**os.environ, "MEDIA_ROOT": str(work / "media"),
           "DJANGO_SETTINGS_MODULE": "redportal.settings"}
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    setup_django(work / "media")
    from organization.models import OrgUnit, UnitKind
    from organization.services import org_tree_load, read_tree_file
    from payments.ledger_feed import ledger_sequence_assign
    from redportal import demo

    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    demo.ensure_users()
    demo.ensure_schemes()
    empty_tables()

    started = time.perf_counter()
    made = make_entries(args.scale)
    print(f"ledger: {made['entries']:,} entries ({made['credits']:,} credits) made in "
          f"{time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    numbered = ledger_sequence_assign()
    sequencer_s = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after 10⁵ rows changed
    print(f"sequencer: numbered {numbered:,} entries in {sequencer_s:.1f} s "
          f"({numbered / sequencer_s:,.0f} entries/s)")

    http = api_caller()
    read, api_s = page_ledger(http)
    assert read == made["entries"], (read, made)
    base_read, base_s = keyset_baseline()
    api_rate, base_rate = read / api_s, base_read / base_s
    print(f"ledger feed: {read:,} entries in {api_s:.1f} s ({api_rate:,.0f} entries/s); "
          f"raw SQL keyset scan {base_s:.1f} s ({base_rate:,.0f} entries/s)")

    codes = list(OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION)
                 .values_list("code", flat=True))
    path = work / f"cases-{args.cases}.csv"
    generate(path, args.cases, codes, seed=15)
    imported, import_s = bulk_import(path)
    import_rate = args.cases / import_s
    print(f"bulk import: {args.cases:,} rows in {import_s:.1f} s ({import_rate:,.0f} rows/s), "
          f"{imported}")
    rows = ingest_rows(path, "API/")
    counts, ingest_s = post_batches(http, rows)
    ingest_rate = len(rows) / ingest_s
    print(f"API ingest: {len(rows):,} rows in batches of {PAGE:,}: {ingest_s:.1f} s "
          f"({ingest_rate:,.0f} rows/s), {counts}")
    again, again_s = post_batches(http, rows)
    print(f"API ingest again (idempotent): {again_s:.1f} s "
          f"({len(rows) / again_s:,.0f} rows/s), {again}")

    print("RESULT " + json.dumps([
        result(f"ledger feed, {read:,} entries", api_rate, "entries/s", LEDGER_TARGET,
               base_rate),
        result(f"case ingest, {len(rows):,} rows", ingest_rate, "rows/s", INGEST_TARGET,
               import_rate),
    ]))


if __name__ == "__main__":
    main()
