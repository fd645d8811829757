-- wrk: each request signs the coordinator in (a password check, off the
-- event loop in a task), as the sign-in page sends it.
request = function()
	return wrk.format("POST", "/api/v1/session", {
		["Content-Type"] = "application/json",
	}, '{"email":"coordinator@demo.example","password":"demo-password-2016"}')
end

done = function(summary, latency, requests)
	io.write(string.format("BENCH %.1f %.3f %d %d %.3f\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000.0,
	    summary.errors.status, summary.requests,
	    latency:percentile(50) / 1000.0))
end
