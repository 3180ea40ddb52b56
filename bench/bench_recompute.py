"""Settlement recompute at scale (DESIGN §6: 100,000 registrations in ≤ 60 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redportal_bench_settlement \
        .venv/bin/python bench/bench_recompute.py [--scale 100000]

In its own PostgreSQL database (created if missing): migrate, the org tree
and schemes, then ``--scale`` unfrozen (``submitted``) registrations of
OTS-THEFT-23 spread over its three phases, inserted set-based. Measured:

1. ``scheme_registrations_recompute`` — the engine in Python, batched reads,
   ``UPDATE … FROM (VALUES …)`` writes and one history row per change;
2. the same again: nothing changed, so nothing is written (idempotence);
3. baseline: one SQL ``UPDATE`` computing the same figures from the same
   rows (phase by ``quoted_on``, half-up rounding), no history.

The figures of (1) and (3) are compared row by row; any difference fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/redportal_bench_settlement"
TARGET_SECONDS = 60.0
FIGURES = ["phase_id", "phase_number", "payable_percent", "assessment", "assessment_payable",
           "waiver", "compounding_fee", "deposited", "total_payable", "registration_fee",
           "balance", "balance_due_date"]


def ensure_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cur.fetchone():
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redportal.settings"
    os.environ.pop("CELERY_BROKER_URL", None)  # the bench calls the service directly
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("bench_recompute needs PostgreSQL in DATABASE_URL")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def build(scale: int) -> int:
    """Insert ``scale`` consumers, cases and submitted registrations, set-based."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from organization.services import org_tree_load, read_tree_file
    from ots_scheme.models import Scheme
    from redportal import demo

    call_command("migrate", verbosity=0)
    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    demo.ensure_schemes()
    scheme = Scheme.objects.get(code="OTS-THEFT-23")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "TRUNCATE ots_scheme_historicalregistration, payments_paymentevent, "
            "payments_historicalpayment, payments_payment, ots_scheme_registration "
            "CASCADE"
        )
        cur.execute("DELETE FROM theft_cases_theftcase WHERE case_number LIKE 'BRC/%%'")
        cur.execute("DELETE FROM consumers_consumer WHERE account_number LIKE '9%%'")
        cur.execute(
            "SELECT id FROM organization_orgunit WHERE kind = 'subdivision' ORDER BY id"
        )
        units = [row[0] for row in cur.fetchall()]
        cur.execute(
            """
            INSERT INTO consumers_consumer
                (name, father_or_husband_name, address, mobile, account_number, email,
                 created_at, updated_at)
            SELECT 'बेंच उपभोक्ता ' || g, '', g || '/1, लखनऊ',
                   '9' || lpad((g %% 1000000000)::text, 9, '0'),
                   '9' || lpad(g::text, 10, '0'), '', now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [scale],
        )
        cur.execute(
            """
            INSERT INTO theft_cases_theftcase
                (case_number, detection_date, consumer_id, sub_division_id, category,
                 theft_type, load_kw, fir_number, police_station, assessment_amount,
                 compounding_fee, deposited_amount, status, fed_at, updated_at)
            SELECT 'BRC/2023/' || lpad(c.rn::text, 7, '0'),
                   DATE '2023-01-01' + (c.rn %% 365)::int,
                   c.id, (%s::bigint[])[1 + c.rn %% %s], 'LMV-1', 'direct', 2, '', '',
                   -- assessments with paise, 1,000 … 5,00,000, some exact halves
                   ((c.rn * 7919) %% 499000 + 1000)
                       + CASE WHEN c.rn %% 4 = 0 THEN 0.50 ELSE (c.rn %% 100) / 100.0 END,
                   CASE WHEN c.rn %% 3 = 0 THEN 4000 ELSE 2000 END,
                   CASE WHEN c.rn %% 5 = 0 THEN (c.rn %% 20000) ELSE 0 END,
                   'registered', now(), now()
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                  FROM consumers_consumer WHERE account_number LIKE '9%%') AS c
            """,
            [units, len(units)],
        )
        cur.execute(
            """
            INSERT INTO ots_scheme_registration
                (registration_number, case_id, scheme_id, sub_division_id, status,
                 applicant_name, father_or_husband_name, address, mobile, email,
                 id_proof_type, id_proof_last4, id_document, declaration_accepted,
                 identity_check_required, consent_document, quoted_on, created_at,
                 rejection_reason)
            SELECT 'BRC-' || lpad(t.id::text, 9, '0'), t.id, %s, t.sub_division_id,
                   'submitted', 'बेंच', '', 'लखनऊ', '9876543210', '', '', '', '', true,
                   false, '', DATE '2025-12-01' + (t.id %% 90)::int, now(), ''
            FROM theft_cases_theftcase t WHERE t.case_number LIKE 'BRC/%%'
            """,
            [scheme.pk],
        )
        cur.execute("SELECT count(*) FROM ots_scheme_registration")
        count = cur.fetchone()[0]
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE ots_scheme_registration")
        cur.execute("VACUUM ANALYZE theft_cases_theftcase")
    return count


def reset_figures() -> None:
    from django.db import connection

    sets = ", ".join(f"{f} = NULL" for f in FIGURES)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE ots_scheme_registration SET {sets}")  # noqa: S608
        cur.execute("TRUNCATE ots_scheme_historicalregistration")
        cur.execute("VACUUM ANALYZE ots_scheme_registration")


BASELINE_SQL = """
UPDATE ots_scheme_registration AS r SET
    phase_id = q.phase_id, phase_number = q.number, payable_percent = q.pct,
    assessment = q.a, assessment_payable = q.ap, waiver = q.a - q.ap,
    compounding_fee = q.c, deposited = q.d, total_payable = q.total,
    registration_fee = LEAST(q.total, GREATEST(q.min_fee, q.pfee)),
    balance = q.total - LEAST(q.total, GREATEST(q.min_fee, q.pfee)),
    balance_due_date = q.due
FROM (
    SELECT r2.id, p.id AS phase_id, p.number, p.payable_percent AS pct,
           t.assessment_amount AS a, t.compounding_fee AS c, t.deposited_amount AS d,
           round(t.assessment_amount * p.payable_percent / 100, 0) AS ap,
           GREATEST(0, round(t.assessment_amount * p.payable_percent / 100, 0)
                    - t.deposited_amount) + t.compounding_fee AS total,
           round(t.assessment_amount * s.registration_percent / 100, 0) AS pfee,
           s.min_registration_fee AS min_fee,
           CASE WHEN s.balance_deadline = 'scheme_end'
                THEN (SELECT max(ends_on) FROM ots_scheme_phase WHERE scheme_id = s.id)
                ELSE p.ends_on END AS due
    FROM ots_scheme_registration r2
    JOIN theft_cases_theftcase t ON t.id = r2.case_id
    JOIN ots_scheme_scheme s ON s.id = r2.scheme_id
    JOIN ots_scheme_phase p ON p.scheme_id = s.id
         AND r2.quoted_on BETWEEN p.starts_on AND p.ends_on
    WHERE r2.scheme_id = %s AND r2.status = 'submitted' AND r2.frozen_at IS NULL
) AS q
WHERE r.id = q.id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000,
                        help="unfrozen registrations to recompute (default 100000)")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from ots_scheme.models import Scheme
    from ots_scheme.services import scheme_registrations_recompute

    started = time.perf_counter()
    count = build(args.scale)
    print(f"setup: {count} submitted registrations in {time.perf_counter() - started:.1f} s")
    scheme = Scheme.objects.get(code="OTS-THEFT-23")

    reset_figures()
    started = time.perf_counter()
    result = scheme_registrations_recompute(scheme_id=scheme.pk)
    engine_seconds = time.perf_counter() - started
    print(f"engine recompute: {result.as_dict()} in {engine_seconds:.2f} s "
          f"({result.recomputed / engine_seconds:,.0f} registrations/s, with history)")

    started = time.perf_counter()
    again = scheme_registrations_recompute(scheme_id=scheme.pk)
    again_seconds = time.perf_counter() - started
    print(f"engine recompute again (idempotent): {again.as_dict()} in {again_seconds:.2f} s")

    cols = ", ".join(FIGURES)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_engine_figures")
        cur.execute(
            f"CREATE TABLE bench_engine_figures AS SELECT id, {cols} "  # noqa: S608
            "FROM ots_scheme_registration"
        )
    reset_figures()
    with connection.cursor() as cur:
        started = time.perf_counter()
        cur.execute(BASELINE_SQL, [scheme.pk])
        baseline_rows = cur.rowcount
        baseline_seconds = time.perf_counter() - started
        print(f"baseline: one SQL UPDATE of {baseline_rows} rows in {baseline_seconds:.2f} s")
        cur.execute(
            f"SELECT count(*) FROM (SELECT id, {cols} FROM ots_scheme_registration "  # noqa: S608
            f"EXCEPT SELECT id, {cols} FROM bench_engine_figures) AS diff"
        )
        mismatches = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_engine_figures")
    print(f"rows where the engine and the SQL baseline differ: {mismatches}")

    ok = (result.recomputed == count and again.recomputed == 0 and mismatches == 0
          and baseline_rows == count)
    results = [
        {
            "name": "settlement recompute (engine, 100k unfrozen)"
            if args.scale == 100_000 else f"settlement recompute ({args.scale} unfrozen)",
            "value": round(engine_seconds, 2), "unit": "s", "target": TARGET_SECONDS,
            "baseline": round(baseline_seconds, 2),
            "ratio": round(engine_seconds / baseline_seconds, 2) if baseline_seconds else None,
            "met": bool(ok and engine_seconds <= TARGET_SECONDS),
        },
        {
            "name": "settlement recompute again (nothing changes)",
            "value": round(again_seconds, 2), "unit": "s", "target": TARGET_SECONDS,
            "baseline": None, "ratio": None,
            "met": bool(again.recomputed == 0 and again_seconds <= TARGET_SECONDS),
        },
    ]
    print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    main()
