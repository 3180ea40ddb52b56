#!/usr/bin/env bash
# Drill: the Celery worker is killed (SIGKILL) in the middle of a bulk import
# (issue 8). Expectation: the import resumes when a worker comes back, or can
# be retried from the import page; afterwards every row is there exactly once
# (count by case_number = rows in the file, no duplicates).
#
# Uses its own database (redportal_drill_import) and queue on the shared
# PostgreSQL/Redis; kills only the worker it started itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${DRILL_ROWS:-20000}
export DJANGO_SETTINGS_MODULE=redportal.settings \
  DATABASE_URL=${DRILL_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/redportal_drill_import} \
  CELERY_BROKER_URL=${DRILL_BROKER_URL:-redis://127.0.0.1:6379/2} CELERY_QUEUE="drill-import-$$"
psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${DATABASE_URL##*/} WITH (FORCE)"
psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE ${DATABASE_URL##*/}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py seed_demo --cases 0 >/dev/null
FILE=/tmp/redportal-drill-import-$$.csv
# A division list for aminabad-1, detected in 2023 (theft_cases' bench writes
# the same shape; DESIGN §5 columns).
.venv/bin/python - "$FILE" "$ROWS" <<'PY'
import csv, sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["case_number", "detection_date", "account_number", "name", "address",
                "mobile", "sub_division_code", "category", "theft_type", "assessment_amount"])
    for i in range(rows):
        w.writerow([f"DRILL/AMN/2023/{i:06d}", "15-06-2023", f"{1100000000 + i}",
                    f"राम {i}", f"{i}/1 अमीनाबाद", f"98{i:08d}", "aminabad-1", "LMV-1",
                    "direct", "123456.00"])
PY
start_worker() {
  .venv/bin/celery -A redportal worker -Q "$CELERY_QUEUE" -c 1 -l warning \
    --without-gossip --without-mingle -n "drill-$$-$1@%h" >>/tmp/redportal-drill-worker-$$.log 2>&1 &
  echo $!
}
W=$(start_worker 1)
# The import command queues through the same services as the upload page.
.venv/bin/python manage.py import_cases "$FILE" --as je_aminabad >/tmp/redportal-drill-import-$$.json &
IMPORT=$!
sleep "${DRILL_KILL_AFTER:-5}"
echo "killing worker $W mid-import"; kill -9 "$W" || true
sleep 2; W=$(start_worker 2)
wait $IMPORT || echo "import command exited $? (retry from the import page / re-run)"
.venv/bin/python manage.py import_cases "$FILE" --as je_aminabad | tail -c 400; echo
psql "$DATABASE_URL" -Atc "SELECT count(*), count(DISTINCT case_number) FROM theft_cases_theftcase WHERE case_number LIKE 'DRILL/%'" \
  | awk -F'|' -v rows="$ROWS" '{print "rows in file:", rows, " in database:", $1, " distinct:", $2; exit !($1==rows && $2==rows)}'
kill "$W"; rm -f "$FILE"
