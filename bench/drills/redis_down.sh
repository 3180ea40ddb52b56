#!/usr/bin/env bash
# Drill: Redis goes away and comes back (DESIGN §7, issue 8 "Redis down").
#
# Runs against a PRIVATE redis-server on port ${DRILL_REDIS_PORT:-6390} that
# it starts and stops itself — never the shared 6379 — and the portal's own
# dev server on a free port with SQLite (no shared PostgreSQL needed).
# Checks: with Redis down, / still serves (200), /healthz answers 503 naming
# the broker, and everything is 200 again once Redis is back, without a
# restart of the portal.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
PORT_REDIS=${DRILL_REDIS_PORT:-6390}
PORT_WEB=${DRILL_WEB_PORT:-8790}
WORK=$(mktemp -d /tmp/redportal-drill-redis.XXXX)
# A staging site on plain HTTP: the sandbox with DEBUG off, secrets of its own.
export ALLOW_SANDBOX=1 DJANGO_SECURE_SSL_REDIRECT=0 \
  DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  PAYMENT_GATEWAY_SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
export DJANGO_SETTINGS_MODULE=redportal.settings DJANGO_DEBUG=0 \
  DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0 \
  DATABASE_URL="sqlite:///$WORK/db.sqlite3" MEDIA_ROOT="$WORK/media" \
  CELERY_BROKER_URL="redis://127.0.0.1:$PORT_REDIS/0" \
  CACHE_URL="redis://127.0.0.1:$PORT_REDIS/1" CELERY_QUEUE="drill-$$" LOG_LEVEL=WARNING

redis_up() {
  if redis-cli -p "$PORT_REDIS" ping >/dev/null 2>&1; then
    echo "port $PORT_REDIS is taken by another Redis (a drill left behind?): stop it first"; exit 2
  fi
  redis-server --port "$PORT_REDIS" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  for _ in $(seq 50); do redis-cli -p "$PORT_REDIS" ping >/dev/null 2>&1 && return; sleep 0.1; done
}
redis_down() { kill "$(cat "$WORK/redis.pid")"; sleep 1; }
status() { curl -s -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 127.0.0.1' "http://127.0.0.1:$PORT_WEB$1"; }
body() { curl -s "http://127.0.0.1:$PORT_WEB$1"; }
# Staff sessions (PostgreSQL the record, read through the cache): curl jars.
url() { echo "http://127.0.0.1:$PORT_WEB$1"; }
csrf() { awk '$6=="csrftoken"{print $7}' "$1"; }
login() { # jar -> status of the login POST (302 = logged in)
  curl -s -c "$1" -b "$1" -o /dev/null "$(url /accounts/login/)"
  curl -s -c "$1" -b "$1" -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 127.0.0.1' \
    --data-urlencode username=je_aminabad --data-urlencode "password=${DEMO_PASSWORD:-redportal-demo}" \
    --data-urlencode "csrfmiddlewaretoken=$(csrf "$1")" "$(url /accounts/login/)"
}
logout() {
  curl -s -c "$1" -b "$1" -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 127.0.0.1' \
    --data-urlencode "csrfmiddlewaretoken=$(csrf "$1")" "$(url /accounts/logout/)"
}
staff() { curl -s -b "$1" -o /dev/null -w '%{http_code}' -H 'X-Real-IP: 127.0.0.1' "$(url /staff/)"; }
fail=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then echo "PASS  $1: $3"; else echo "FAIL  $1: expected $2, got $3"; fail=1; fi
}

redis_up
$PY manage.py migrate --noinput -v0 && $PY manage.py seed_demo --cases 50 >/dev/null
.venv/bin/gunicorn -c deploy/gunicorn.conf.py redportal.wsgi \
  --bind "127.0.0.1:$PORT_WEB" --workers 2 --access-logfile /dev/null \
  >"$WORK/gunicorn.log" 2>&1 &
WEB=$!
trap 'kill $WEB 2>/dev/null; redis-cli -p "$PORT_REDIS" shutdown nosave >/dev/null 2>&1; wait 2>/dev/null' EXIT
for _ in $(seq 100); do [ "$(status /healthz)" != 000 ] && break; sleep 0.2; done

echo "--- Redis up"
check "home" 200 "$(status /)"
check "healthz" 200 "$(status /healthz)"
check "staff logs in (session cached)" 302 "$(login "$WORK/jar1")"
check "staff page" 200 "$(staff "$WORK/jar1")"
echo "--- Redis down"
redis_down
check "home still serves" 200 "$(status /)"
check "calculator still serves" 200 "$(status '/ots/calculator/?assessment=100000&compounding_fee=4000&deposited=0')"
check "lookup (rate limit in Redis)" 200 "$(status '/ots/lookup/?case_number=X')"
check "healthz" 503 "$(status /healthz)"
echo "      healthz body: $(body /healthz)"
check "logged-in staff page (session from the database)" 200 "$(staff "$WORK/jar1")"
check "another officer logs in" 302 "$(login "$WORK/jar2")"
check "their staff page" 200 "$(staff "$WORK/jar2")"
check "they log out" 302 "$(logout "$WORK/jar2")"
check "their old cookie is logged out" 302 "$(staff "$WORK/jar2")"
echo "--- Redis back"
redis_up
sleep 1
check "home" 200 "$(status /)"
check "healthz recovers without restart" 200 "$(status /healthz)"
check "lookup" 200 "$(status '/ots/lookup/?case_number=X')"
check "the first officer is still logged in" 200 "$(staff "$WORK/jar1")"
check "the one who logged out stays out" 302 "$(staff "$WORK/jar2")"
grep -c "Internal Server Error" "$WORK/gunicorn.log" | sed 's/^/server errors logged: /'
rm -rf "$WORK"
exit $fail
