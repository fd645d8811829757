#!/bin/sh
# `make test`: every test, against a throwaway PostgreSQL cluster and a
# portal on a free port (never the data of `make run`).
#
#   1. unit tests (Criterion, ASan + UBSan)
#   2. integration tests (node:test, real HTTP to the real server)
#   3. browser tests (node:test, playwright-core driving Debian's chromium)
#
# TESTS=unit|integration|browser (space separated) runs a part only;
# node's --test-name-pattern can be passed in TEST_PATTERN, and
# TEST_FILES (space separated paths) runs only those test files.
set -u

top=$(pwd)
parts=${TESTS:-unit integration browser}
failed=""

tmp=$(mktemp -d /tmp/portal-test.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/log" "$tmp/tmp"
kore_pid=""

cleanup() {
	if [ -n "$kore_pid" ] && kill -0 "$kore_pid" 2>/dev/null; then
		kill -TERM "$kore_pid" 2>/dev/null
		wait "$kore_pid" 2>/dev/null
	fi
	sh conf/bin/portal-db.sh stop "$tmp/db" >/dev/null 2>&1
	if [ -n "$failed" ] && [ -f "$tmp/kore.log" ]; then
		echo "--- the server's database errors, refusals and timeouts, the last 20"
		grep -E "database (error|timeout|unavailable|refused)" "$tmp/kore.log" |
		    tail -n 20
		echo "--- last lines of the server's log ($tmp/kore.log)"
		tail -n 40 "$tmp/kore.log"
	fi
	if [ -z "$failed" ] || [ -n "${CI:-}" ]; then
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case " $parts " in *" unit "*)
	echo "=== unit tests"
	make -s unit || failed="$failed unit"
esac

case " $parts " in *" integration "*|*" browser "*)
	echo "=== setting up a throwaway database and server in $tmp"
	export PORTAL_DB_FSYNC=off
	# The production-shape test runs Kore as "nobody": let it connect.
	export PORTAL_DB_SOCKET_MODE=0777
	sh conf/bin/portal-db.sh init "$tmp/db" &&
	    sh conf/bin/portal-db.sh start "$tmp/db" || exit 1
	PORTAL_DATABASE_URL=$(sh conf/bin/portal-db.sh url "$tmp/db")
	export PORTAL_DATABASE_URL
	# The suite's server reads reports from the primary (a replica of
	# its own: tests/integration/replica.test.mjs).
	unset PORTAL_REPORTS_DATABASE_URL
	build/portalctl migrate || exit 1
	DEMO_SCALE=1 build/portalctl load-demo || exit 1

	# Every test registers from 127.0.0.1: lift the per-client limit
	# of registrations and resets here (tests/integration/limits.test.mjs
	# checks the default on a server of its own).
	export PORTAL_REQUESTS_PER_CLIENT=100000
	# A throwaway key for supervision case notes.
	export PORTAL_NOTES_KEY_FILE="$tmp/notes.key"
	sh conf/bin/notes-key.sh "$PORTAL_NOTES_KEY_FILE" >/dev/null

	port=$(free_port)
	sh conf/bin/render-conf.sh "$port" "$tmp" >"$tmp/portal.conf"
	stdbuf -oL kore -c "$tmp/portal.conf" -f -n -r >"$tmp/kore.log" 2>&1 &
	kore_pid=$!
	PORTAL_URL="http://127.0.0.1:$port"
	i=0
	until curl -fsS "$PORTAL_URL/healthz" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ "$i" -gt 100 ] || ! kill -0 "$kore_pid" 2>/dev/null; then
			echo "the portal did not start:"
			cat "$tmp/kore.log"
			exit 1
		fi
		sleep 0.1
	done
	export PORTAL_URL
	export PORTAL_TEST_DB_DIR="$tmp/db"
	export PORTAL_TEST_KORE_LOG="$tmp/kore.log"
	export PORTAL_TEST_TMP="$tmp"
esac

for part in integration browser; do
	case " $parts " in *" $part "*)
		echo "=== $part tests"
		files=""
		for f in ${TEST_FILES:-tests/$part/*.test.mjs}; do
			case "$f" in tests/"$part"/*) files="$files $f" ;; esac
		done
		[ -n "$files" ] || continue
		# One file at a time (they share the server and its database),
		# each within 15 minutes (a busy machine runs the load tests
		# slowly; each request and wait in it has its own, shorter
		# limit). coreutils' timeout, not node's --test-timeout and
		# --test-concurrency: Debian 12's node 18 has neither.
		for f in $files; do
			if ! timeout --kill-after=10 900 node --test \
			    ${TEST_PATTERN:+--test-name-pattern="$TEST_PATTERN"} \
			    "$f"; then
				echo "# FAILED: $f"
				failed="$failed $f"
			fi
		done
	esac
done

if [ -n "$kore_pid" ] && grep -q "sandbox violation" "$tmp/kore.log"; then
	echo "the server's log reports a sandbox violation:"
	grep "sandbox violation" "$tmp/kore.log"
	failed="$failed sandbox"
fi

if [ -n "$failed" ]; then
	echo "FAILED:$failed"
	exit 1
fi
echo "all tests passed"
