#!/bin/sh
# Each report's first read after a change, as a reviewer reads it: a
# change to a table the reports read (a booking's status set to itself)
# discards the kept answers, then the report is gathered afresh. Prints
# one line a report: its name, the median wall time in seconds of
# BENCH_SAMPLES (at least 5) reads, and the fastest and slowest;
# BENCH_REPORTS names fewer reports than the four.
#
#   first-reads.sh URL COOKIE          against a running portal (its
#                                      database in PORTAL_DATABASE_URL)
#   first-reads.sh --scale N           a throwaway cluster and portal with
#                                      the demo data at scale N
set -u
samples=${BENCH_SAMPLES:-5}
[ "$samples" -lt 5 ] && samples=5
reports=${BENCH_REPORTS:-"evaluation annual coverage attendance"}

# A report is gathered off the request path: a read lasts from the first
# ask to the current answer (a 202, or older figures, is asked again).
# Prints "status:seconds".
first_read() {
	python3 - "$1" "$2" <<'PY'
import sys, time, urllib.request, urllib.error
url, cookie = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
while True:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"cookie": cookie}),
                                    timeout=120) as res:
            res.read()
            status, kept = res.status, res.headers.get("x-report-kept-at")
    except urllib.error.HTTPError as e:
        status, kept = e.code, None
    if (status == 200 and not kept) or status >= 300 or time.monotonic() - t0 > 300:
        break
    time.sleep(0.02)
print(f"{status}:{time.monotonic() - t0:.3f}")
PY
}

measure() {
	url=$1 cookie=$2
	for r in $reports; do
		times=""
		i=0
		while [ $i -lt "$samples" ]; do
			psql "$PORTAL_DATABASE_URL" -qAtc "UPDATE bookings SET status = status
			    WHERE id = (SELECT min(id) FROM bookings)" >/dev/null
			t=$(first_read "$url/api/v1/reports/$r" "$cookie")
			times="$times $t"
			i=$((i + 1))
		done
		python3 - "$r" $times <<'PY'
import statistics, sys
name, runs = sys.argv[1], sys.argv[2:]
bad = [r for r in runs if not r.startswith("200:")]
t = sorted(float(r.split(":")[1]) for r in runs)
print(f"{name} {statistics.median(t):.3f} {t[0]:.3f} {t[-1]:.3f} {len(bad)}")
PY
	done
}

if [ "${1:-}" != "--scale" ]; then
	measure "$1" "$2"
	exit 0
fi

scale=$2
tmp=$(mktemp -d /tmp/portal-first.XXXXXX)
chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/log" "$tmp/tmp"
kore_pid=""
cleanup() {
	[ -n "$kore_pid" ] && kill -TERM "$kore_pid" 2>/dev/null && wait "$kore_pid" 2>/dev/null
	sh conf/bin/portal-db.sh stop "$tmp/db" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export PORTAL_DB_FSYNC=off
sh conf/bin/portal-db.sh init "$tmp/db" >/dev/null && \
    sh conf/bin/portal-db.sh start "$tmp/db" >/dev/null || exit 1
PORTAL_DATABASE_URL=$(sh conf/bin/portal-db.sh url "$tmp/db")
export PORTAL_DATABASE_URL
build/portalctl migrate >/dev/null || exit 1
DEMO_SCALE=$scale build/portalctl load-demo >/dev/null || exit 1
psql "$PORTAL_DATABASE_URL" -qAtc "VACUUM ANALYZE" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sh conf/bin/render-conf.sh "$port" "$tmp" | sed 's|^\(\s*accesslog .*\)$|#\1|' >"$tmp/portal.conf"
kore -c "$tmp/portal.conf" -f -n -r >"$tmp/kore.log" 2>&1 &
kore_pid=$!
url="http://127.0.0.1:$port"
until curl -fsS "$url/healthz" >/dev/null 2>&1; do sleep 0.2; done
curl -s -c "$tmp/cookies" -H 'content-type: application/json' \
    -d '{"email":"reviewer@demo.example","password":"demo-password-2016"}' \
    "$url/api/v1/session" >/dev/null
cookie=$(awk '$6 == "portal_session" { print "portal_session=" $7 }' "$tmp/cookies")
measure "$url" "$cookie"
