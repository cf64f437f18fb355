-- Printed after a wrk run: percentiles in microseconds and the non-2xx count, one per line.
done = function(summary, latency, requests)
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%d %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("ERRORS %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
