#!/bin/sh
# The project-local PostgreSQL cluster: the embedded default of `make run`
# and the throwaway clusters of `make test`.
#
#   portal-db.sh init  DIR   initdb into DIR/data (once), database "portal"
#   portal-db.sh start DIR   start it, listening only on a socket in DIR/run
#   portal-db.sh stop  DIR   fast shutdown
#   portal-db.sh url   DIR   print the libpq connection string
#   portal-db.sh replica DIR PRIMARY   a streaming replica in DIR of the
#                            running cluster in PRIMARY (pg_basebackup -R),
#                            listening on its own socket; start it with
#                            `start DIR` (tests/integration/replica.test.mjs)
#
# PostgreSQL refuses to run as root: as root the cluster is owned by the
# "postgres" system user (Debian's package creates it).
set -eu

cmd=$1
dir=$(cd "$2" 2>/dev/null && pwd || { mkdir -p "$2" && cd "$2" && pwd; })
port=${PORTAL_DB_PORT:-5432}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
init)
	if [ -f "$dir/data/PG_VERSION" ]; then
		exit 0
	fi
	mkdir -p "$dir/data" "$dir/run"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$dir" "$dir/data" "$dir/run"
		if ! runuser -u postgres -- test -w "$dir/data"; then
			echo "portal-db: the postgres user cannot reach $dir" \
			    "(a parent folder is closed to it); clone the" \
			    "project somewhere it can, or set PORTAL_DATABASE_URL" >&2
			exit 1
		fi
	fi
	as_owner "$bindir/initdb" -D "$dir/data" -U portal -A trust \
	    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
# Set by conf/bin/portal-db.sh: a private cluster reached only through
# the socket in its own folder.
listen_addresses = ''
unix_socket_directories = '$dir/run'
unix_socket_permissions = ${PORTAL_DB_SOCKET_MODE:-0700}
port = $port
timezone = 'Europe/London'
max_connections = 300
shared_buffers = 256MB
fsync = ${PORTAL_DB_FSYNC:-on}
logging_collector = off
# Local replication, for a read replica of this cluster (portal-db.sh
# replica; PORTAL_REPORTS_DATABASE_URL): initdb -A trust already lets
# the socket's users replicate in pg_hba.conf.
wal_level = replica
max_wal_senders = 4
CONF
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" \
	    -w start >/dev/null
	as_owner "$bindir/createdb" -h "$dir/run" -p "$port" -U portal portal
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
start)
	if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		exit 0
	fi
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" \
	    -w -t 60 start >/dev/null
	;;
stop)
	if as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop \
		    >/dev/null
	fi
	;;
replica)
	primary=$(cd "$3" && pwd)
	if [ -f "$dir/data/PG_VERSION" ]; then
		echo "portal-db: $dir already has a cluster" >&2
		exit 1
	fi
	mkdir -p "$dir/data" "$dir/run"
	chmod 700 "$dir/data"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$dir" "$dir/data" "$dir/run"
	fi
	# -R: standby.signal and primary_conninfo (the primary's socket).
	as_owner "$bindir/pg_basebackup" -h "$primary/run" -p "$port" \
	    -U portal -D "$dir/data" -R -X stream -c fast \
	    >"$dir/basebackup.log" 2>&1 || {
		cat "$dir/basebackup.log" >&2
		exit 1
	}
	# The copied configuration names the primary's socket folder.
	as_owner sh -c "cat >>'$dir/data/postgresql.conf'" <<CONF
# Set by conf/bin/portal-db.sh replica: a read replica of $primary.
unix_socket_directories = '$dir/run'
hot_standby = on
CONF
	;;
url)
	echo "host=$dir/run port=$port dbname=portal user=portal"
	;;
*)
	echo "usage: portal-db.sh init|start|stop|url DIR" \
	    "| replica DIR PRIMARY" >&2
	exit 2
	;;
esac
