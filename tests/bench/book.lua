-- wrk: each request books a place for the next person on the bench
-- sessions (BENCH_SESSION, comma-separated, taken in turn), as a
-- coordinator (cookie and CSRF token from the environment),
-- with an idempotency key as the booking page sends (BENCH_RUN makes
-- each run's keys its own: a key sent again answers what it first did).
local counter = 0
local run = os.getenv("BENCH_RUN") or "0"
local first = tonumber(os.getenv("BENCH_FIRST_PERSON"))
local people = tonumber(os.getenv("BENCH_PEOPLE") or "1000000000")
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local sessions = {}
for id in string.gmatch(os.getenv("BENCH_SESSION"), "[^,]+") do
	table.insert(sessions, id)
end
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local threads = {}

function setup(thread)
	thread:set("id", #threads)
	table.insert(threads, thread)
end

request = function()
	counter = counter + 1
	-- up to 8 threads take turns over the people from BENCH_FIRST_PERSON
	-- on, BENCH_OFFSET of them skipped, round the BENCH_PEOPLE there are
	local body = string.format('{"person_id":%d}',
	    first + (offset + id + 8 * counter) % people)
	local session = sessions[1 + counter % #sessions]
	return wrk.format("POST", "/api/v1/sessions/" .. session .. "/bookings", {
		["Content-Type"] = "application/json",
		["Cookie"] = os.getenv("BENCH_COOKIE"),
		["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
		["Idempotency-Key"] = string.format("wrk-%s-%d-%d", run, id, counter),
	}, body)
end

-- A practitioner's pause between bookings (BENCH_DELAY_MS, 0: none).
delay = function()
	return pause
end

done = function(summary, latency, requests)
	io.write(string.format("BENCH %.1f %.3f %d %d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000.0,
	    summary.errors.status, summary.requests))
end
