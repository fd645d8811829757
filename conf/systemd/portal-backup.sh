#!/bin/sh
# The nightly backup (portal-backup.service, README.md, Backups): a new
# `portalctl backup` folder in STATE_DIRECTORY named by the time (UTC),
# then every backup folder there older than PORTAL_BACKUP_DAYS (35) days
# deleted, so that no backup keeps personal data longer than that.
#   PORTALCTL  the portalctl to run (default: the one on PATH)
set -eu
dir=${STATE_DIRECTORY:?STATE_DIRECTORY is not set}
days=${PORTAL_BACKUP_DAYS:-35}
case "$days" in
''|*[!0-9]*) echo "portal-backup: PORTAL_BACKUP_DAYS must be a number of days" >&2; exit 2 ;;
esac
"${PORTALCTL:-portalctl}" backup "$dir/$(date -u +%Y-%m-%dT%H%M%SZ)"
find "$dir" -mindepth 1 -maxdepth 1 -type d -mtime +"$days" -print \
    -exec rm -rf {} + | sed 's/^/portal-backup: deleted /'
