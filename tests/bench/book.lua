-- wrk: each request books a place for the next person on the bench
-- session, as a coordinator (cookie and CSRF token from the environment),
-- with an idempotency key as the booking page sends.
local counter = 0
local first = tonumber(os.getenv("BENCH_FIRST_PERSON"))
local session = os.getenv("BENCH_SESSION")
local threads = {}

function setup(thread)
	thread:set("id", #threads)
	table.insert(threads, thread)
end

function init(args)
	counter = id * 100000
end

request = function()
	counter = counter + 1
	local body = string.format('{"person_id":%d}', first + counter)
	return wrk.format("POST", "/api/v1/sessions/" .. session .. "/bookings", {
		["Content-Type"] = "application/json",
		["Cookie"] = os.getenv("BENCH_COOKIE"),
		["X-CSRF-Token"] = os.getenv("BENCH_CSRF"),
		["Idempotency-Key"] = string.format("wrk-%d-%d", id, counter),
	}, body)
end

done = function(summary, latency, requests)
	io.write(string.format("BENCH %.1f %.3f %d %d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000.0,
	    summary.errors.status, summary.requests))
end
