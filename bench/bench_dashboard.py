"""Bench: the discom-level /dashboard/ with 10⁶ cases (DESIGN §6: p95 ≤ 300 ms).

Run from the repository root with a PostgreSQL database of its own:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/redportal_bench_dashboard \
    .venv/bin/python bench/bench_dashboard.py [--scale 1000000] [--requests 200]

Generates the data with ``bench_generate`` unless the database already holds
that many synthetic cases, refreshes the summary (its time is reported), then
times N requests of /dashboard/ as the director with Django's test Client,
beside the same-run baseline: the live GROUP BY behind the table
(``dashboard.queries.live_figures_by_sub_division``), timed the same way.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "redportal.settings")
# The in-process client speaks plain HTTP; production redirects to HTTPS.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")


def percentile(samples, p):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn, n):
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1_000_000)
    parser.add_argument("--registrations", type=int, default=None)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()
    registrations = args.registrations if args.registrations is not None else args.scale // 5

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        sys.exit("bench_dashboard needs DATABASE_URL pointing at PostgreSQL")
    if "bench" not in settings.DATABASES["default"]["NAME"]:
        sys.exit("refusing: the database name must contain 'bench'")
    call_command("migrate", verbosity=0)
    from dashboard import queries, services
    from ots_scheme.models import Scheme
    from theft_cases.models import TheftCase

    have = TheftCase.objects.filter(case_number__startswith="BG/").count()
    if have < args.scale:
        print(f"generating {args.scale - have} cases …", flush=True)
        from io import StringIO

        out = StringIO()
        call_command("bench_generate", cases=args.scale - have,
                     registrations=max(0, registrations - (have // 5)), stdout=out)
        print(out.getvalue(), flush=True)
    else:
        print(f"reusing {have} synthetic cases", flush=True)
    scheme = Scheme.objects.get(code="OTS-THEFT-23")
    started = time.perf_counter()
    refreshed = services.scheme_summary_refresh(scheme=scheme)
    refresh_s = time.perf_counter() - started
    print(f"summary refresh: {refresh_s:.2f} s ({refreshed})", flush=True)

    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="director"))
    url = "/dashboard/?scheme=OTS-THEFT-23"
    first = client.get(url)
    assert first.status_code == 200, first.status_code
    from organization.models import OrgUnit

    headline, _rows = queries.unit_figures(
        user=None, scheme=scheme, unit=OrgUnit.objects.get(parent__isnull=True))
    assert headline.on_portal >= args.scale, headline.on_portal
    print(f"headline: {headline.on_portal} cases, {headline.registered} registered, "
          f"₹{headline.realised} realised", flush=True)
    for _ in range(5):
        client.get(url)  # warm-up
    page = timed(lambda: client.get(url), args.requests)
    live = timed(lambda: queries.live_figures_by_sub_division(scheme), args.baseline_runs)
    page_p50, page_p95 = statistics.median(page), percentile(page, 95)
    live_p50, live_p95 = statistics.median(live), percentile(live, 95)
    print(f"/dashboard/ (director, discom): {args.requests} requests "
          f"p50 {page_p50:.1f} ms, p95 {page_p95:.1f} ms")
    print(f"baseline live GROUP BY behind the table: {args.baseline_runs} runs "
          f"p50 {live_p50:.1f} ms, p95 {live_p95:.1f} ms")
    result = [
        {"name": "dashboard discom p95", "value": round(page_p95, 1), "unit": "ms",
         "target": 300, "baseline": round(live_p95, 1),
         "ratio": round(page_p95 / live_p95, 4) if live_p95 else None,
         "met": page_p95 <= 300},
        {"name": "dashboard discom p50", "value": round(page_p50, 1), "unit": "ms",
         "target": None, "baseline": round(live_p50, 1),
         "ratio": round(page_p50 / live_p50, 4) if live_p50 else None, "met": True},
        {"name": "dashboard summary refresh", "value": round(refresh_s, 2), "unit": "s",
         "target": 600, "baseline": None, "ratio": None, "met": refresh_s <= 600},
    ]
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
