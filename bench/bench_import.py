"""Bulk import of a division list at scale (DESIGN §6: 100,000 rows ≤ 60 s).

    .venv/bin/python bench/bench_import.py [--scale ROWS]

With DATABASE_URL pointing at a PostgreSQL database of its own (default
``postgres://postgres@127.0.0.1:5432/redportal_bench_feeding``, created if
missing; its case tables are emptied between runs). Heavy: run it under
``flock /tmp/redportal-bench.lock``.

1. Generate a CSV of ROWS cases (and one of 2 × ROWS for the memory check):
   Hindi names, Indian-style amounts, DD-MM-YYYY dates, 1 % bad rows.
2. For each size, in a fresh subprocess: empty the case tables, then run the
   web import's code path (upload → validate/preview → apply, the services
   the Celery tasks call) and report seconds, rows/s and peak RSS.
3. Baseline in the same run: PostgreSQL ``COPY`` of the same CSV into a plain
   table of text columns.

Prints readable lines, then ``RESULT [...]`` (docs/contributing.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/redportal_bench_feeding"
TARGET_SECONDS = 60.0
CASE_TABLES = [
    "theft_cases_historicaltheftcase", "consumers_historicalconsumer",
    "theft_cases_caseimport",
]


def setup_django():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ["DJANGO_SETTINGS_MODULE"] = "redportal.settings"
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks eager: the bench calls services
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def generate(path: Path, rows: int, sub_divisions: list[str], seed: int = 23) -> None:
    from core.money import group_indian
    from theft_cases.rows import COLUMNS

    rng = random.Random(seed)
    first = ["राम", "श्याम", "मोहन", "सुनीता", "गीता", "अब्दुल", "Irfan", "Pooja"]
    last = ["कुमार", "यादव", "वर्मा", "खान", "Singh", "गुप्ता"]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            bad = n % 100 == 99
            amount = rng.randint(2000, 400000)
            writer.writerow([
                f"BENCH/{n:07d}", f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-2023",
                f"{3000000000 + n}" if n % 5 else "",
                f"{rng.choice(first)} {rng.choice(last)}", "श्याम लाल",
                f"{n}/{rng.randint(1, 99)}, मोहल्ला {rng.randint(1, 500)}, लखनऊ",
                ("12345" if bad else f"9{n % 1000000000:09d}"),
                rng.choice(sub_divisions), rng.choice(["LMV-1", "LMV-2", "LMV-4", "NC"]),
                rng.choice(["direct", "bypass", "tampering"]), str(rng.randint(1, 5)),
                "", "", group_indian(str(amount)) + ".50", "4000", "0",
            ])


def child(path: Path, username: str) -> None:
    """Import one file through the services in this (fresh) process."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from theft_cases.models import CaseImport, ImportStatus
    from theft_cases.services import import_apply, import_validate

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE theft_cases_theftcase, consumers_consumer, "
            + ", ".join(CASE_TABLES) + " CASCADE"
        )
    user = get_user_model().objects.get(username=username)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    from django.core.files import File

    with open(path, "rb") as handle:
        case_import = CaseImport(uploaded_by=user, original_name=path.name)
        case_import.file.save(path.name, File(handle), save=True)
    import_validate(case_import_id=case_import.pk, language="en")
    validated = time.perf_counter()
    CaseImport.objects.filter(pk=case_import.pk).update(status=ImportStatus.APPLYING)
    import_apply(case_import_id=case_import.pk, language="en")
    finished = time.perf_counter()
    case_import.refresh_from_db()
    print(json.dumps({
        "status": case_import.status, "rows": case_import.total_rows,
        "created": case_import.created_count, "rejected": case_import.rejected_count,
        "validate_s": validated - started, "apply_s": finished - validated,
        "total_s": finished - started,
        "rss_before_mb": rss_before / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def copy_baseline(path: Path) -> float:
    from django.db import connection

    from theft_cases.rows import COLUMNS

    columns = ", ".join(f"{c} text" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_copy")
        cursor.execute(f"CREATE TABLE bench_import_copy ({columns})")
        started = time.perf_counter()
        with open(path, encoding="utf-8-sig") as handle:
            cursor.cursor.copy_expert(
                "COPY bench_import_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle
            )
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_import_copy")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--as", dest="username", default="director")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.username)
        return

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    env = {**os.environ, "MEDIA_ROOT": str(work / "media"),
           "DJANGO_SETTINGS_MODULE": "redportal.settings"}
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True)
    setup_django()
    from organization.models import OrgUnit, UnitKind
    from organization.services import org_tree_load, read_tree_file
    from redportal import demo

    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    demo.ensure_users()
    codes = list(OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION)
                 .values_list("code", flat=True))

    results = {}
    for rows in (args.scale, 2 * args.scale):
        path = work / f"cases-{rows}.csv"
        generate(path, rows, codes)
        size_mb = path.stat().st_size / 1e6
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--as", args.username],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )
        outcome = json.loads(proc.stdout.strip().splitlines()[-1])
        copy_s = copy_baseline(path)
        outcome["copy_s"] = copy_s
        results[rows] = outcome
        print(f"{rows:>8,} rows ({size_mb:.1f} MB): {outcome['status']}, "
              f"created {outcome['created']:,}, rejected {outcome['rejected']:,}; "
              f"validate {outcome['validate_s']:.1f} s + apply {outcome['apply_s']:.1f} s "
              f"= {outcome['total_s']:.1f} s ({rows / outcome['total_s']:,.0f} rows/s); "
              f"peak RSS {outcome['peak_rss_mb']:.0f} MB "
              f"(before import {outcome['rss_before_mb']:.0f} MB); "
              f"COPY baseline {copy_s:.2f} s")

    small, large = results[args.scale], results[2 * args.scale]
    growth_small = small["peak_rss_mb"] - small["rss_before_mb"]
    growth_large = large["peak_rss_mb"] - large["rss_before_mb"]
    memory_ratio = large["peak_rss_mb"] / small["peak_rss_mb"]
    print(f"memory: peak RSS {small['peak_rss_mb']:.0f} MB → {large['peak_rss_mb']:.0f} MB "
          f"when the file doubles (×{memory_ratio:.2f}; import's own growth "
          f"{growth_small:.0f} → {growth_large:.0f} MB)")
    total = small["total_s"]
    print("RESULT " + json.dumps([
        {"name": f"import {args.scale} rows (validate + apply)", "value": round(total, 2),
         "unit": "s", "target": TARGET_SECONDS, "baseline": round(small["copy_s"], 2),
         "ratio": round(total / small["copy_s"], 1), "met": total <= TARGET_SECONDS},
        {"name": "import throughput", "value": round(args.scale / total),
         "unit": "rows/s", "target": round(args.scale / TARGET_SECONDS),
         "baseline": round(args.scale / small["copy_s"]),
         "ratio": round((args.scale / total) / (args.scale / small["copy_s"]), 3),
         "met": total <= TARGET_SECONDS},
        {"name": "import peak RSS, file doubled / file", "value": round(memory_ratio, 2),
         "unit": "x", "target": 1.25, "baseline": None, "ratio": None,
         "met": memory_ratio <= 1.25},
    ]))


if __name__ == "__main__":
    main()
