"""``audit_ledger`` at scale (issue 12: 10⁵ registrations, 0 violations, seconds).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redportal_bench_audit \
        .venv/bin/python bench/bench_audit.py [--scale 100000]

In its own PostgreSQL database (created if missing): migrate, then
``bench_generate`` writes ``2 × scale`` cases and ``scale`` registrations
with their payments and ledger entries (set-based, the registration mix of
the dashboard bench). Measured:

1. ``audit_ledger`` over every registration and payment: rows checked,
   violations (must be 0), seconds;
2. baseline: one SQL statement summing the ledger per registration and
   comparing it with ``credited`` — the cheapest single check, for a ratio.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/redportal_bench_audit"
TARGET_SECONDS = 60.0


def setup_django() -> None:
    from bench.bench_recompute import ensure_database

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redportal.settings"
    os.environ.pop("CELERY_BROKER_URL", None)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("bench_audit needs PostgreSQL in DATABASE_URL")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


def build(scale: int) -> dict:
    from django.core.management import call_command

    from ots_scheme.models import Registration

    call_command("migrate", verbosity=0)
    if Registration.objects.count() >= scale:
        return {"reused": True}
    out = io.StringIO()
    call_command("bench_generate", "--cases", str(2 * scale), "--registrations", str(scale),
                 stdout=out)
    return json.loads(out.getvalue())


def baseline_seconds() -> float:
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM ots_scheme_registration r LEFT JOIN ("
            "  SELECT registration_id, sum(CASE WHEN kind = 'credit' THEN amount"
            "  ELSE -amount END) AS total FROM payments_ledgerentry GROUP BY 1) l"
            " ON l.registration_id = r.id WHERE r.credited <> coalesce(l.total, 0)"
        )
        cur.fetchone()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from payments.audit import audit_ledger

    started = time.monotonic()
    generated = build(args.scale)
    print(f"data: {generated} ({time.monotonic() - started:.1f} s)")
    result = audit_ledger()
    print(f"audit_ledger: {result.checked_registrations:,} registrations + "
          f"{result.checked_payments:,} payments checked in {result.seconds:.2f} s; "
          f"violations {result.total_violations} {result.counts}")
    base = baseline_seconds()
    print(f"baseline (one SQL ledger-sum check): {base:.2f} s")
    rows = [
        {"name": "audit_ledger seconds at scale", "value": round(result.seconds, 2),
         "unit": "s", "target": TARGET_SECONDS, "baseline": round(base, 2),
         "ratio": round(result.seconds / base, 1) if base else None,
         "met": result.seconds <= TARGET_SECONDS, "scale": args.scale},
        {"name": "audit_ledger violations on generated data", "value": result.total_violations,
         "unit": "violations", "target": 0, "baseline": None, "ratio": None,
         "met": result.total_violations == 0, "rows_checked": result.checked},
    ]
    print("RESULT " + json.dumps(rows))


if __name__ == "__main__":
    main()
