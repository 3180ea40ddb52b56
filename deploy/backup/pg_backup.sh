#!/usr/bin/env bash
# Nightly logical backup of the portal database (docs/deploy.md, "Backups").
# Custom format (-Fc): compressed, restorable table by table with pg_restore.
# Keeps BACKUP_KEEP_DAYS days locally; copy BACKUP_DIR off the machine too.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must be set}"
BACKUP_DIR="${BACKUP_DIR:-/srv/redportal/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
mkdir -p "$BACKUP_DIR"
stamp="$(TZ=Asia/Kolkata date +%Y%m%d-%H%M)"
target="$BACKUP_DIR/redportal-$stamp.dump"

# Written under a temporary name, renamed only when complete: a half-written
# dump is never mistaken for a good one.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --file="$target.part" "$DATABASE_URL"
pg_restore --list "$target.part" >/dev/null   # readable, or fail now
mv "$target.part" "$target"
sha256sum "$target" >"$target.sha256"

find "$BACKUP_DIR" -name 'redportal-*.dump*' -mtime +"$BACKUP_KEEP_DAYS" -delete
echo "{\"backup\": \"$target\", \"bytes\": $(stat -c %s "$target")}"
