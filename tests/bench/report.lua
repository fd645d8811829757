-- wrk: print requests per second, p99 latency (ms) and errors on one line.
done = function(summary, latency, requests)
	io.write(string.format("BENCH %.1f %.3f %d %d\n",
	    summary.requests / (summary.duration / 1e6),
	    latency:percentile(99) / 1000.0,
	    summary.errors.status, summary.requests))
end
