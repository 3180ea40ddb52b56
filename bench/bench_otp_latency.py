"""OTP latency while bulk work runs (DESIGN §6: handed to the provider ≤ 5 s p95).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/redportal_bench_otp \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/2 \
        flock /tmp/redportal-bench.lock .venv/bin/python bench/bench_otp_latency.py \
        [--scale 100000] [--cases 1000000] [--rate 2]

1. Prepare, once, a PostgreSQL database of its own (``DATABASE_URL``, created
   if missing; never a test database): migrate, the org tree and demo users,
   ``manage.py bench_generate`` up to ``--cases`` cases (the sweep's work),
   and a CSV division list of ``--scale`` rows (``bench/bench_import.py``'s
   generator: the import's work).
2. Twice, each time on a fresh copy of that database (``CREATE DATABASE …
   TEMPLATE``), with real Celery workers on Redis and the real MSG91 adapter
   pointed at a small fake MSG91 served by this script on loopback:

   - **split** (the portal's layout): one worker on the fast queue, one on
     the bulk queue (``CELERY_TASK_ROUTES``);
   - **shared** (the baseline): both queues named the same, one worker with
     the same two processes.

   The bulk work is queued (the import through ``import_upload`` →
   preview → ``import_confirm`` → apply, and the flagging sweep over every
   case); while it runs, ``--rate`` OTPs per second are requested through
   ``messaging.otp.otp_send`` (what the OTP page calls). Latency of one OTP =
   from the call to the moment the fake provider receives its SMS.

Prints readable lines, then ``RESULT [...]`` (docs/contributing.md): p95 and
p50 of the split layout, each with the shared queue's figure as baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/redportal_bench_otp"
DEFAULT_BROKER = "redis://127.0.0.1:6379/2"
TARGET_P95 = 5.0
AUTH_KEY = "bench-msg91-key"
TEMPLATE_IDS = "ots_otp.hi=1107000000000000001,ots_otp.en=1107000000000000002"
WAIT_AFTER = 120.0  # seconds an OTP may still arrive after the bulk work ends


def _db_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


def _admin(url: str):
    import psycopg2

    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    return conn


def _refuse_test_database(url: str) -> None:
    if not url.startswith("postgres"):
        sys.exit("bench_otp_latency needs PostgreSQL in DATABASE_URL")
    if _db_name(url).startswith("test_"):
        sys.exit("bench_otp_latency refuses a test database")


def ensure_database(url: str) -> None:
    conn = _admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_db_name(url)])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{_db_name(url)}"')
    conn.close()


def copy_database(template_url: str, copy_url: str) -> None:
    conn = _admin(template_url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{_db_name(copy_url)}"')
        cur.execute(f'CREATE DATABASE "{_db_name(copy_url)}" TEMPLATE "{_db_name(template_url)}"')
    conn.close()


def drop_database(url: str) -> None:
    conn = _admin(url)
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{_db_name(url)}"')
    conn.close()


def _django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


# --- 1. prepare (a subprocess: its settings point at the template database) ---

def prepare(*, cases: int, rows: int, csv_path: Path) -> None:
    from django.core.management import call_command

    from organization.models import OrgUnit, UnitKind
    from organization.services import org_tree_load, read_tree_file
    from redportal import demo
    from theft_cases.models import TheftCase

    call_command("migrate", verbosity=0)
    org_tree_load(rows=read_tree_file(ROOT / "organization/data/mvvnl_lesa.csv"))
    demo.ensure_users()
    have = TheftCase.objects.count()
    if have < cases:
        started = time.monotonic()
        call_command("bench_generate", "--cases", str(cases - have),
                     "--registrations", str((cases - have) // 5))
        print(f"  generated {cases - have:,} cases in {time.monotonic() - started:.1f} s",
              flush=True)
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_import

    codes = list(OrgUnit.objects.filter(kind=UnitKind.SUB_DIVISION)
                 .values_list("code", flat=True))
    bench_import.generate(csv_path, rows, codes)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(json.dumps({"cases": TheftCase.objects.count(), "rows": rows}))


# --- 2. one layout (a subprocess: settings with this layout's queues) ---------

class FakeMsg91(BaseHTTPRequestHandler):
    """MSG91 "Send SMS" (POST /api/v2/sendsms, authkey header): record arrivals."""

    arrivals: dict[str, float] = {}
    lock = threading.Lock()
    count = 0

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        now = time.monotonic()
        ok = self.path == "/api/v2/sendsms" and self.headers.get("authkey") == AUTH_KEY
        if ok:
            with self.lock:
                for item in body.get("sms", []):
                    for to in item.get("to", []):
                        self.arrivals.setdefault(to[-10:], now)
                FakeMsg91.count += 1
                answer = {"type": "success", "message": f"bench{FakeMsg91.count:08d}"}
        else:
            answer = {"type": "error", "message": "Authentication failure"}
        data = json.dumps(answer).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        return None


def _start_workers(layout: str, env: dict) -> list[subprocess.Popen]:
    base = [sys.executable, "-m", "celery", "-A", "redportal", "worker", "-O", "fair",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
    if layout == "split":
        commands = [base + ["-Q", env["CELERY_QUEUE"], "-c", "1", "-n", f"fast{os.getpid()}@%h"],
                    base + ["-Q", env["CELERY_QUEUE_BULK"], "-c", "1",
                            "-n", f"bulk{os.getpid()}@%h"]]
    else:
        commands = [base + ["-Q", env["CELERY_QUEUE"], "-c", "2",
                            "-n", f"shared{os.getpid()}@%h"]]
    log = open(env["BENCH_WORKER_LOG"], "ab")  # noqa: SIM115 - closed with the process
    return [subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,  # noqa: S603
                             stdout=log, stderr=subprocess.STDOUT)
            for cmd in commands]


def _stop(workers: list[subprocess.Popen]) -> None:
    for proc in workers:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in workers:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_layout(*, layout: str, csv_path: Path, rate: float, env: dict) -> None:
    from django.core.files import File

    from defaulters.tasks import flag_defaulters
    from redportal.celery import app, ping
    from theft_cases import services
    from theft_cases.models import CaseImport, ImportStatus

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeMsg91)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The workers' adapter talks to this process's fake provider.
    env = {**env, "SMS_PROVIDER_API_BASE": f"http://127.0.0.1:{server.server_address[1]}"}
    workers = _start_workers(layout, env)
    try:
        app.conf.task_always_eager = False
        deadline = time.monotonic() + 90
        while True:  # both queues answer
            try:
                ping.apply_async(queue=env["CELERY_QUEUE"]).get(timeout=5)
                ping.apply_async(queue=env["CELERY_QUEUE_BULK"]).get(timeout=5)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
        _measure(layout=layout, csv_path=csv_path, rate=rate, services=services,
                 CaseImport=CaseImport, ImportStatus=ImportStatus,
                 flag_defaulters=flag_defaulters, File=File)
    finally:
        _stop(workers)
        server.shutdown()


def _measure(*, layout, csv_path, rate, services, CaseImport, ImportStatus,  # noqa: N803
             flag_defaulters, File) -> None:  # noqa: N803
    from django.contrib.auth import get_user_model

    from messaging import otp
    from messaging.models import OtpPurpose

    director = get_user_model().objects.get(username="director")
    started = time.monotonic()
    with open(csv_path, "rb") as handle:
        case_import = services.import_upload(user=director,
                                             uploaded_file=File(handle, name=csv_path.name),
                                             language="en")
    sweep = flag_defaulters.delay()
    requested: dict[str, float] = {}
    refused = 0
    n, confirmed, import_done, sweep_done = 0, False, None, None
    next_at = time.monotonic()
    while import_done is None or sweep_done is None:
        now = time.monotonic()
        if now >= next_at:
            mobile = f"9{n:09d}"
            n += 1
            requested[mobile] = time.monotonic()
            try:
                otp.otp_send(mobile=mobile, purpose=OtpPurpose.REGISTER,
                             subject=f"BENCH/{n}", language="hi")
            except otp.OtpError:
                refused += 1
                requested.pop(mobile)
            next_at += 1.0 / rate
        status = CaseImport.objects.filter(pk=case_import.pk).values_list(
            "status", flat=True).first()
        if status == ImportStatus.PREVIEWED and not confirmed:
            services.import_confirm(user=director, case_import_id=case_import.pk,
                                    language="en")
            confirmed = True
        if import_done is None and status in (ImportStatus.APPLIED, ImportStatus.FAILED):
            import_done = time.monotonic() - started
        if sweep_done is None and sweep.ready():
            sweep_done = time.monotonic() - started
        if time.monotonic() - started > 3600:
            break
        time.sleep(max(0.0, min(0.05, next_at - time.monotonic())))
    bulk_end = time.monotonic()
    while time.monotonic() - bulk_end < WAIT_AFTER:
        with FakeMsg91.lock:
            if all(m in FakeMsg91.arrivals for m in requested):
                break
        time.sleep(0.2)
    with FakeMsg91.lock:
        latencies = [FakeMsg91.arrivals.get(m, time.monotonic()) - t
                     for m, t in requested.items()]
        lost = sum(1 for m in requested if m not in FakeMsg91.arrivals)
    final = CaseImport.objects.get(pk=case_import.pk)
    sweep_result = sweep.get(timeout=5) if sweep.ready() else None
    print(json.dumps({
        "layout": layout, "otps": len(latencies), "refused": refused, "not_arrived": lost,
        "latencies": latencies, "import_status": final.status,
        "import_rows": final.total_rows, "import_s": import_done, "sweep_s": sweep_done,
        "sweep": sweep_result,
    }, default=str))


def _percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100_000, help="rows in the import")
    parser.add_argument("--cases", type=int, default=0,
                        help="cases for the sweep (default 10 × scale: 10^6)")
    parser.add_argument("--rate", type=float, default=2.0, help="OTPs requested per second")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--layout", choices=["split", "shared"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    cases = args.cases or 10 * args.scale

    if args.prepare:
        _django({})
        prepare(cases=cases, rows=args.scale, csv_path=args.prepare)
        return
    if args.layout:
        _django({})
        run_layout(layout=args.layout, csv_path=args.csv, rate=args.rate, env=dict(os.environ))
        return

    template_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    _refuse_test_database(template_url)
    broker = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    ensure_database(template_url)
    work = Path(tempfile.mkdtemp(prefix="bench-otp-"))
    csv_path = work / f"cases-{args.scale}.csv"
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "redportal.settings",
                "DATABASE_URL": template_url, "MEDIA_ROOT": str(work / "media"),
                # A staging-like site: the sandbox bank is configured (no money
                # moves here), with real secrets, or the workers refuse to start.
                "ALLOW_SANDBOX": "1", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "PAYMENT_GATEWAY_SECRET": secrets.token_urlsafe(32),
                "DJANGO_SECURE_SSL_REDIRECT": "0"}
    base_env.pop("CELERY_BROKER_URL", None)
    print(f"preparing {cases:,} cases and a {args.scale:,}-row import …", flush=True)
    prep = subprocess.run([sys.executable, __file__, "--prepare", str(csv_path),  # noqa: S603
                           "--scale", str(args.scale), "--cases", str(cases)],
                          cwd=ROOT, env=base_env, check=True, capture_output=True, text=True)
    print(prep.stdout.strip(), flush=True)

    figures = {}
    run_url = template_url.rsplit("/", 1)[0] + f"/{_db_name(template_url)}_run"
    for layout in ("split", "shared"):
        copy_database(template_url, run_url)
        tag = f"bench-otp-{os.getpid()}-{layout}"
        fast = f"{tag}-fast"
        env = {**base_env, "DATABASE_URL": run_url, "CELERY_BROKER_URL": broker,
               "CELERY_QUEUE": fast,
               "CELERY_QUEUE_BULK": f"{tag}-bulk" if layout == "split" else fast,
               "SMS_BACKEND": "messaging.msg91.Msg91Backend",
               "SMS_PROVIDER_AUTH_KEY": AUTH_KEY, "SMS_DLT_TEMPLATE_IDS": TEMPLATE_IDS,
               "BENCH_WORKER_LOG": str(work / f"worker-{layout}.log")}
        print(f"{layout}: bulk work + {args.rate:g} OTP/s …", flush=True)
        proc = subprocess.run([sys.executable, __file__, "--layout", layout,  # noqa: S603
                               "--csv", str(csv_path), "--rate", str(args.rate)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            sys.exit(f"{layout} run failed")
        outcome = json.loads(proc.stdout.strip().splitlines()[-1])
        lat = outcome["latencies"]
        outcome["p50"], outcome["p95"] = _percentile(lat, 50), _percentile(lat, 95)
        figures[layout] = outcome
        print(f"  {outcome['otps']} OTPs ({outcome['refused']} refused, "
              f"{outcome['not_arrived']} not arrived): p50 {outcome['p50']:.2f} s, "
              f"p95 {outcome['p95']:.2f} s, max {max(lat):.2f} s; import "
              f"{outcome['import_status']} ({outcome['import_rows']:,} rows) in "
              f"{outcome['import_s']:.1f} s; sweep {outcome['sweep_s']:.1f} s "
              f"{outcome['sweep']}", flush=True)
    drop_database(run_url)

    split, shared = figures["split"], figures["shared"]
    scale = f"{args.scale:,}-row import + {cases:,}-case sweep"
    result = []
    for q, target in (("p95", TARGET_P95), ("p50", TARGET_P95)):
        value, base = round(split[q], 3), round(shared[q], 3)
        result.append({
            "name": f"OTP handed to the provider, {q}, during a {scale} "
                    "(fast/bulk queues; baseline one shared queue)",
            "value": value, "unit": "s", "target": target, "baseline": base,
            "ratio": round(value / base, 3) if base else None,
            "met": value <= target and split["not_arrived"] == 0,
        })
    print("RESULT " + json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
