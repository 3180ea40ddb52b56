#!/usr/bin/env bash
# Drill: PostgreSQL restarted under load (issue 8). Requests during the
# outage must fail cleanly (a 500/503 page, /healthz 503 "database: …"), and
# the portal must recover WITHOUT restarting gunicorn (CONN_HEALTH_CHECKS=True
# drops dead persistent connections).
#
# Safe by construction: it creates its OWN cluster with initdb under /tmp on
# port ${DRILL_PG_PORT:-5440}, never the shared 5432. Must not run as root
# (initdb refuses): run it as an ordinary user, or set DRILL_PG_USER to one
# (e.g. postgres) and the script uses `runuser -u` for the cluster commands.
set -uo pipefail
cd "$(dirname "$0")/../.."
PORT=${DRILL_PG_PORT:-5440}
WEB=${DRILL_WEB_PORT:-8791}
DATA=$(mktemp -d /tmp/redportal-drill-pg.XXXX)
AS=()
if [ "$(id -u)" = 0 ]; then
  AS=(runuser -u "${DRILL_PG_USER:-postgres}" --); chown "${DRILL_PG_USER:-postgres}" "$DATA"
fi
"${AS[@]}" initdb -D "$DATA/db" -U postgres --auth=trust -E UTF8 >/dev/null
pg() { "${AS[@]}" pg_ctl -D "$DATA/db" -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" -l "$DATA/pg.log" -w "$@" >/dev/null; }
pg start
createdb -h 127.0.0.1 -p "$PORT" -U postgres redportal
# A staging site on plain HTTP: the sandbox with DEBUG off, secrets of its own.
export ALLOW_SANDBOX=1 DJANGO_SECURE_SSL_REDIRECT=0 \
  DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  PAYMENT_GATEWAY_SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export DJANGO_SETTINGS_MODULE=redportal.settings DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
  DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0 DATABASE_CONN_MAX_AGE=60 \
  DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/redportal" LOG_LEVEL=WARNING
unset CELERY_BROKER_URL CACHE_URL
.venv/bin/python manage.py migrate --noinput -v0 && .venv/bin/python manage.py seed_demo --cases 200 >/dev/null
.venv/bin/gunicorn -c deploy/gunicorn.conf.py redportal.wsgi --bind "127.0.0.1:$WEB" \
  --workers 2 --access-logfile /dev/null >"$DATA/gunicorn.log" 2>&1 &
GPID=$!
trap 'kill $GPID 2>/dev/null; pg stop -m immediate 2>/dev/null; rm -rf "$DATA"' EXIT
st() { curl -s -o /dev/null -m 10 -w '%{http_code}' "http://127.0.0.1:$WEB$1"; }
for _ in $(seq 100); do [ "$(st /healthz)" = 200 ] && break; sleep 0.2; done

# Background load: 40 s of requests to / and the calculator, counted by status.
( end=$((SECONDS+40)); while [ $SECONDS -lt $end ]; do
    st / ; echo; st '/ots/calculator/?assessment=100000&compounding_fee=0&deposited=0'; echo
  done ) >"$DATA/codes" &
LOAD=$!
sleep 8;  echo "restart: fast shutdown + start"; pg stop -m fast
sleep 5;  echo "healthz during outage: $(st /healthz) $(curl -s http://127.0.0.1:$WEB/healthz)"
pg start
sleep 3;  echo "healthz after restart: $(st /healthz)"
wait $LOAD
echo "status codes under load (count code):"; sort "$DATA/codes" | uniq -c
echo "gunicorn still the same process: $(kill -0 $GPID && echo yes)"
echo "final: / $(st /)  /healthz $(st /healthz)"
