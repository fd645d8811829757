#!/bin/sh
# `make run`: start the database (the project-local cluster under var/db,
# unless PORTAL_DATABASE_URL names another), migrate, load the demo data on
# first start, and serve the portal in the foreground on PORTAL_PORT
# (default 8888). Ctrl-C or SIGTERM stops Kore and the local database.
# PORTAL_VAR names another state folder than var/ (the tests use one).
set -eu

port=${PORTAL_PORT:-8888}
var=${PORTAL_VAR:-var}
mkdir -p "$var/run" "$var/log" "$var/tmp"

local_db=0
if [ -z "${PORTAL_DATABASE_URL:-}" ]; then
	local_db=1
	sh conf/bin/portal-db.sh init "$var/db"
	sh conf/bin/portal-db.sh start "$var/db"
	PORTAL_DATABASE_URL=$(sh conf/bin/portal-db.sh url "$var/db")
fi
export PORTAL_DATABASE_URL

kore_pid=""
mail_pid=""
stop() {
	# Once stopping, further INT and TERM are ignored (make forwards the
	# signal a process group already had, and a second TERM must not cut
	# the stop short and leave the database running).
	trap '' INT TERM
	trap - EXIT
	for pid in $kore_pid $mail_pid; do
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	if [ "$local_db" -eq 1 ]; then
		sh conf/bin/portal-db.sh stop "$var/db"
	fi
	echo "portal: stopped"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The key of supervision case notes (made once; kept in the state folder).
PORTAL_NOTES_KEY_FILE=${PORTAL_NOTES_KEY_FILE:-$var/notes.key}
sh conf/bin/notes-key.sh "$PORTAL_NOTES_KEY_FILE"
export PORTAL_NOTES_KEY_FILE

build/portalctl migrate
build/portalctl load-demo

sh conf/bin/render-conf.sh "$port" "$var" >"$var/run/portal.conf"

# The outbox's sender, alongside: PORTAL_SMTP_URL names the relay.
build/portalctl send-mail &
mail_pid=$!

echo "portal: serving on http://127.0.0.1:$port (Ctrl-C stops)"
stdbuf -oL kore -c "$var/run/portal.conf" -f -n -r &
kore_pid=$!
wait "$kore_pid"
