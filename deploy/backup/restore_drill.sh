#!/usr/bin/env bash
# Restore drill: restore the newest (or a given) dump into a SCRATCH database,
# check it, report row counts, drop it. Never touches the live database.
#
#   deploy/backup/restore_drill.sh [DUMP] [SCRATCH_URL_WITHOUT_DB]
#
# SCRATCH_URL_WITHOUT_DB defaults to postgres://postgres@127.0.0.1:5432
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/srv/redportal/backups}"
dump="${1:-$(ls -1t "$BACKUP_DIR"/redportal-*.dump | head -1)}"
server="${2:-postgres://postgres@127.0.0.1:5432}"
scratch="redportal_restore_drill_$(date +%s)"

[ -f "$dump.sha256" ] && sha256sum --check --quiet "$dump.sha256"
started=$(date +%s)
psql "$server/postgres" -qc "CREATE DATABASE $scratch"
trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $scratch"' EXIT
pg_restore --no-owner --no-privileges --jobs=2 --exit-on-error \
  --dbname="$server/$scratch" "$dump"
seconds=$(( $(date +%s) - started ))

count() { psql "$server/$scratch" -Atc "SELECT count(*) FROM $1"; }
cases=$(count theft_cases_theftcase)
registrations=$(count ots_scheme_registration)
payments=$(count payments_payment)
migrations=$(count django_migrations)
echo "{\"dump\": \"$dump\", \"restore_seconds\": $seconds, \"cases\": $cases," \
     "\"registrations\": $registrations, \"payments\": $payments," \
     "\"migrations\": $migrations}"
