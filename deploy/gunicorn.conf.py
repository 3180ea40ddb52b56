"""gunicorn settings for the RED portal (docs/deploy.md).

Start: ``gunicorn -c deploy/gunicorn.conf.py redportal.wsgi``. Every value can
be overridden from the environment (GUNICORN_*), so one file serves the
2-core test machine, a production web server and the load bench.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the views are short and database-bound; 2 × cores + 1 is the
# usual starting point on a machine that only serves the web, never fewer than
# 2 so a slow request cannot stall all. Where PostgreSQL, Redis and Celery
# share the machine, use one per core (GUNICORN_WORKERS): the load bench on 2
# shared cores served more, and faster, with 2 workers than with 4 or 5.
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# Above the slowest page (an XLSX export of a division); uploads go to Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage — but
# rarely: a recycled worker starts cold, and at 2,000 requests the load bench
# saw the p95 of the lookup and calculator pages double (220 ms vs 100 ms).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = 5000
# Load the app before forking: one copy of the code in memory, and a broken
# settings file fails the start instead of every worker one by one.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# nginx in front sets X-Forwarded-For/-Proto; trust it only from itself.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# No personal data in logs (DESIGN §7): public GET forms carry the mobile or
# account number in the query string, so the line has the path (%(U)s) only,
# never the request line (%(r)s) or query (%(q)s).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "redportal"
