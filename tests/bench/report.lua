-- wrk: print requests per second, p99 latency (ms), non-2xx answers,
-- requests and p50 latency (ms) on one line.
done = function(summary, latency, requests)
	io.write(string.format("BENCH %.1f %.3f %d %d %.3f\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000.0,
	    summary.errors.status, summary.requests,
	    latency:percentile(50) / 1000.0))
end
