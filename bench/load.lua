-- wrk script of the bench's load run (home/bench/load.py): signed-in GETs in turn.
-- Argument: a file of lines "path<TAB>Cookie header value", one per page and role.
local lines = {}
local next_line = 0
local threads = 0

function setup(thread)
  -- Threads start at different places in the mix.
  thread:set("offset", threads * 5)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t(.+)$")
    lines[#lines + 1] = wrk.format("GET", path, { ["Cookie"] = cookie })
  end
  next_line = offset or 0
end

function request()
  next_line = next_line % #lines + 1
  return lines[next_line]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"p50": %d, "p95": %d, '
      .. '"p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end
