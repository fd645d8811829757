#!/bin/sh
# `make bench`: the portal under load at the demo data's 100x scale, with
# the baselines measured in the same run on the same machine:
#   - a static file served by the same Kore (the catalogue's baseline);
#   - pgbench running the booking transaction's SQL on the same database
#     with as many clients as Kore has workers (the booking's baseline).
# Prints requests per second and p99 latency, and the ratios against the
# targets (catalogue >= 25% of static, booking >= 70% of pgbench).
set -u
scale=${BENCH_SCALE:-100}
seconds=${BENCH_SECONDS:-10}
tmp=$(mktemp -d /tmp/portal-bench.XXXXXX)
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
sh conf/bin/portal-db.sh init "$tmp/db" && sh conf/bin/portal-db.sh start "$tmp/db" || exit 1
PORTAL_DATABASE_URL=$(sh conf/bin/portal-db.sh url "$tmp/db")
export PORTAL_DATABASE_URL
build/portalctl migrate >/dev/null || exit 1
echo "loading the demo data at scale $scale..."
DEMO_SCALE=$scale build/portalctl load-demo || exit 1
psql "$PORTAL_DATABASE_URL" -qAtc "VACUUM ANALYZE" >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sh conf/bin/render-conf.sh "$port" "$tmp" | sed 's|^\(\s*accesslog .*\)$|#\1|' >"$tmp/portal.conf"
stdbuf -oL kore -c "$tmp/portal.conf" -f -n -r >"$tmp/kore.log" 2>&1 &
kore_pid=$!
url="http://127.0.0.1:$port"
until curl -fsS "$url/healthz" >/dev/null 2>&1; do sleep 0.2; done

# Two bench sessions with room for everyone: one for Kore, one for pgbench.
sessions=$(psql "$PORTAL_DATABASE_URL" -qAt -c "
  INSERT INTO sessions (course_id, starts_at, ends_at, venue, capacity,
                        booking_opens_at, booking_closes_at)
  SELECT (SELECT min(id) FROM courses), now() + interval '3000 days' + g * interval '1 day',
         now() + interval '3000 days 6 hours' + g * interval '1 day', 'Bench', 10000,
         now() - interval '1 day', now() + interval '2999 days'
    FROM generate_series(1, 2) g RETURNING id")
kore_session=$(echo "$sessions" | sed -n 1p)
pg_session=$(echo "$sessions" | sed -n 2p)
first=$(psql "$PORTAL_DATABASE_URL" -qAtc "SELECT min(id) FROM people")
last=$(psql "$PORTAL_DATABASE_URL" -qAtc "SELECT max(id) FROM people")
login=$(curl -s -c "$tmp/cookies" -H 'content-type: application/json' \
    -d '{"email":"coordinator@demo.example","password":"demo-password-2016"}' "$url/api/v1/session")
csrf=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
cookie=$(awk '$6 == "portal_session" { print "portal_session=" $7 }' "$tmp/cookies")

run_wrk() {
	wrk -t2 -c64 -d"${seconds}s" --latency -s "$@" 2>/dev/null | sed -n 's/^BENCH //p'
}
echo "measuring ($seconds s each)..."
static=$(run_wrk tests/bench/report.lua "$url/assets/favicon.svg")
catalogue=$(run_wrk tests/bench/report.lua "$url/api/v1/courses?limit=20")
booking=$(BENCH_SESSION=$kore_session BENCH_FIRST_PERSON=$first BENCH_COOKIE=$cookie \
    BENCH_CSRF=$csrf run_wrk tests/bench/book.lua "$url/")
pgb=$(pgbench -n -f tests/bench/booking.pgbench -c 2 -j 2 -T "$seconds" \
    -D session="$pg_session" -D first_person="$first" -D last_person="$last" \
    "$PORTAL_DATABASE_URL" 2>/dev/null |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p')

python3 - "$static" "$catalogue" "$booking" "$pgb" <<'PY'
import sys
def parse(s):
    rps, p99, errors, n = s.split()
    return float(rps), float(p99), int(errors), int(n)
static, catalogue, booking = (parse(a) for a in sys.argv[1:4])
pgbench = float(sys.argv[4])
print(f"{'':28}{'req/s':>12}{'p99 ms':>10}{'non-2xx':>10}")
for name, (rps, p99, err, n) in [("static file (baseline)", static),
        ("catalogue /api/v1/courses", catalogue), ("booking (POST)", booking)]:
    print(f"{name:28}{rps:12.0f}{p99:10.2f}{err:10d}")
print(f"{'pgbench booking SQL (base)':28}{pgbench:12.0f}")
r1 = catalogue[0] / static[0]
r2 = booking[0] / pgbench
print(f"catalogue / static  = {r1:6.1%}  (target >= 25%: {'met' if r1 >= 0.25 else 'NOT met'})")
print(f"booking / pgbench   = {r2:6.1%}  (target >= 70%: {'met' if r2 >= 0.70 else 'NOT met'})")
PY
