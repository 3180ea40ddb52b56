"""Bulk import of a division list at scale (DESIGN §6: 100,000 rows ≤ 60 s).

    .venv/bin/python bench/bench_import.py [--scale ROWS] [--no-peer]

With DATABASE_URL pointing at a PostgreSQL database of its own (default
``postgres://postgres@127.0.0.1:5432/redportal_bench_feeding``, created if
missing; its case tables are emptied between runs). Heavy: run it under
``flock /tmp/redportal-bench.lock``.

1. Generate a CSV of ROWS cases (and one of 2 × ROWS for the memory check):
   Hindi names, Indian-style amounts, DD-MM-YYYY dates, 1 % bad rows.
2. Ours, in a fresh subprocess: empty the case tables, then run the web
   import's code path (upload → validate/preview → apply, the services the
   Celery tasks call) — the "first run" is the whole of it, both phases,
   printed apart too — then import the same file again (all unchanged).
3. The peer, each in a fresh subprocess on emptied tables: django-import-export
   (``requirements-bench.txt``; ``bench/peer_import_export.py``) in its
   documented fastest create-only and upsert configurations. It checks none
   of our rules and writes no history: it is a floor for the ORM, not a rival.
4. Baseline in the same run: PostgreSQL ``COPY`` of the same CSV into a plain
   table of text columns (the median of three); every time is also printed
   as a multiple of it.
5. Ours again on 2 × ROWS (first run only): peak RSS must stay flat.

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


def _truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE theft_cases_theftcase, consumers_consumer, "
            + ", ".join(CASE_TABLES) + " CASCADE"
        )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ours(path: Path, user) -> dict:
    """One whole import as the user lives it: upload → validate (preview) → apply."""
    from django.core.files import File

    from theft_cases.models import CaseImport, ImportStatus
    from theft_cases.services import import_apply, import_validate

    started = time.perf_counter()
    with open(path, "rb") as handle:
        case_import = CaseImport(uploaded_by=user, original_name=path.name)
        case_import.file.save(path.name, File(handle), save=True)
    import_validate(case_import_id=case_import.pk, language="en")
    validated = time.perf_counter()
    CaseImport.objects.filter(pk=case_import.pk).update(status=ImportStatus.APPLYING)
    import_apply(case_import_id=case_import.pk, language="en")
    finished = time.perf_counter()
    case_import.refresh_from_db()
    return {"status": case_import.status, "rows": case_import.total_rows,
            "created": case_import.created_count, "updated": case_import.updated_count,
            "unchanged": case_import.unchanged_count, "rejected": case_import.rejected_count,
            "validate_s": validated - started, "apply_s": finished - validated,
            "total_s": finished - started, "peak_rss_mb": _rss_mb()}


def child(path: Path, username: str, mode: str) -> None:
    """Import one file in this (fresh) process: ours (first run, then again) or the peer."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    _truncate()
    user = get_user_model().objects.get(username=username)
    out = {"rss_before_mb": _rss_mb()}
    if mode in ("ours", "ours-first"):
        out["first"] = _ours(path, user)
        if mode == "ours":
            out["again"] = _ours(path, user)
    else:
        from django.db import transaction

        sys.path.insert(0, str(ROOT / "bench"))
        from peer_import_export import peer_import

        started = time.perf_counter()
        with transaction.atomic():
            counts = peer_import(path, user=user, upsert=mode == "peer-upsert")
        out["peer"] = {**counts, "total_s": time.perf_counter() - started,
                       "peak_rss_mb": _rss_mb()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM theft_cases_historicaltheftcase")
        out["case_history_rows"] = cursor.fetchone()[0]
    print(json.dumps(out))


def copy_baseline(path: Path, runs: int = 3) -> float:
    """Median seconds of ``COPY`` of the CSV into a fresh table of text columns.

    A single 0.2–0.5 s measurement moves a lot with the machine's load; the
    median of three is the baseline every ratio divides by.
    """
    from django.db import connection

    from theft_cases.rows import COLUMNS

    columns = ", ".join(f"{c} text" for c in COLUMNS)
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute("DROP TABLE IF EXISTS bench_import_copy")
            cursor.execute(f"CREATE TABLE bench_import_copy ({columns})")
            started = time.perf_counter()
            with open(path, encoding="utf-8-sig") as handle:
                cursor.cursor.copy_expert(
                    "COPY bench_import_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle
                )
            times.append(time.perf_counter() - started)
            cursor.execute("DROP TABLE bench_import_copy")
    print("COPY runs: " + ", ".join(f"{t:.3f} s" for t in times))
    return sorted(times)[len(times) // 2]


def run_child(path: Path, username: str, mode: str, env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--as", username, "--mode", mode],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"{mode}: exit {proc.returncode}: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ratio(value: float | None, baseline: float | None) -> float | None:
    return round(value / baseline, 3) if value and baseline else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--child", type=Path)
    parser.add_argument("--mode", default="ours",
                        choices=["ours", "ours-first", "peer-create", "peer-upsert"])
    parser.add_argument("--as", dest="username", default="director")
    parser.add_argument("--no-peer", action="store_true", help="skip django-import-export")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.username, args.mode)
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

    n = args.scale
    path = work / f"cases-{n}.csv"
    generate(path, n, codes)
    size_mb = path.stat().st_size / 1e6
    ours = run_child(path, args.username, "ours", env)
    peers = {} if args.no_peer else {
        mode: run_child(path, args.username, mode, env)
        for mode in ("peer-create", "peer-upsert")}
    copy_s = copy_baseline(path)
    double = work / f"cases-{2 * n}.csv"
    generate(double, 2 * n, codes)
    large = run_child(double, args.username, "ours-first", env)

    print(f"file: {n:,} rows ({size_mb:.1f} MB), 1 % bad rows; PostgreSQL COPY of the same "
          f"CSV into a table of text columns: {copy_s:.2f} s")
    if "error" in ours:
        print("ours: " + ours["error"])
        first = again = {}
    else:
        first, again = ours["first"], ours["again"]
        for label, run in (("ours, first run", first), ("ours, re-import (unchanged)", again)):
            print(f"{label:30} validate {run['validate_s']:6.2f} s + apply "
                  f"{run['apply_s']:6.2f} s = {run['total_s']:6.2f} s "
                  f"({n / run['total_s']:,.0f} rows/s, {run['total_s'] / copy_s:5.1f}× COPY); "
                  f"{run['status']}: created {run['created']:,}, updated {run['updated']:,}, "
                  f"unchanged {run['unchanged']:,}, rejected {run['rejected']:,}; "
                  f"peak RSS {run['peak_rss_mb']:.0f} MB")
        print(f"{'':30} history rows of cases after both runs: {ours['case_history_rows']:,}")
    for mode, label in (("peer-create", "django-import-export create"),
                        ("peer-upsert", "django-import-export upsert")):
        peer = peers.get(mode, {"error": "skipped (--no-peer)"})
        if "error" in peer:
            print(f"{label:30} {peer['error']}")
            continue
        run = peer["peer"]
        print(f"{label:30} {run['total_s']:6.2f} s ({n / run['total_s']:,.0f} rows/s, "
              f"{run['total_s'] / copy_s:5.1f}× COPY); new {run['created']:,}, "
              f"updated {run['updated']:,}, no rules checked, no history; peak RSS "
              f"{run['peak_rss_mb']:.0f} MB")
    memory_ratio = None
    if first and "error" not in large:
        big = large["first"]
        memory_ratio = big["peak_rss_mb"] / first["peak_rss_mb"]
        print(f"memory: {2 * n:,} rows: {big['total_s']:.1f} s, peak RSS "
              f"{first['peak_rss_mb']:.0f} MB → {big['peak_rss_mb']:.0f} MB when the file "
              f"doubles (×{memory_ratio:.2f})")
    first_s, again_s = first.get("total_s"), again.get("total_s")
    create_s = peers.get("peer-create", {}).get("peer", {}).get("total_s")
    upsert_s = peers.get("peer-upsert", {}).get("peer", {}).get("total_s")
    print(f"ratios: first run ÷ COPY {ratio(first_s, copy_s)} (target ≤ 40); re-import ÷ "
          f"COPY {ratio(again_s, copy_s)} (≤ 20); first run ÷ django-import-export "
          f"create-only {ratio(first_s, create_s)} (≤ 0.25); first run ÷ upsert "
          f"{ratio(first_s, upsert_s)}")

    def row(name, value, unit, target, baseline, met, digits=2):
        return {"name": name, "value": None if value is None else round(value, digits),
                "unit": unit, "target": target,
                "baseline": None if baseline is None else round(baseline, 2),
                "ratio": ratio(value, baseline), "met": bool(met)}

    print("RESULT " + json.dumps([
        row(f"import {n} rows, first run (validate + apply)", first_s, "s", TARGET_SECONDS,
            copy_s, first_s is not None and first_s <= TARGET_SECONDS),
        row("import first run ÷ COPY", ratio(first_s, copy_s), "x", 40, None,
            first_s is not None and first_s / copy_s <= 40, 1),
        row("import validate (preview)", first.get("validate_s"), "s", None, copy_s, True),
        row("import apply", first.get("apply_s"), "s", None, copy_s, True),
        row("re-import unchanged ÷ COPY", ratio(again_s, copy_s), "x", 20, None,
            again_s is not None and again_s / copy_s <= 20, 1),
        row("import first run ÷ django-import-export create-only",
            ratio(first_s, create_s), "x", 0.25, None,
            bool(first_s and create_s) and first_s / create_s <= 0.25, 3),
        row("django-import-export create-only", create_s, "s", None, copy_s, True),
        row("django-import-export upsert", upsert_s, "s", None, copy_s, True),
        row("import peak RSS, file doubled / file", memory_ratio, "x", 1.25, None,
            memory_ratio is not None and memory_ratio <= 1.25),
    ]))


if __name__ == "__main__":
    main()
