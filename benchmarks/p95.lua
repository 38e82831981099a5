-- Prints the figures benchmarks/run.py reads: requests per second and latency percentiles (ms).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  io.write(string.format("RESULT rps=%.1f p50=%.1f p95=%.1f errors=%d non2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
