-- Printed after a wrk run: rps, percentiles in microseconds, socket errors, and responses that
-- were not 200 (wrk itself counts 3xx as success, so a redirect to the login page would pass).
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  not200 = 0
end

response = function(status, headers, body)
  if status ~= 200 then
    not200 = not200 + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RPS %.1f\n", summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("P%d %d\n", p, latency:percentile(p)))
  end
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not200")
  end
  io.write(string.format("NOT200 %d\n", bad))
  io.write(string.format("ERRORS %d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
