-- Shared by the wrk scripts: one machine-readable line that bench/run.py reads.
-- Loaded with dofile from the repository root (run.py runs wrk there).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, errors.status + errors.connect + errors.read + errors.write + errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
