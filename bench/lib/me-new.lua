-- GET /api/auth/me, each request with an access token never presented before (collected by refresh.lua), so each
-- pays the full ES256 verification instead of the verified-token cache. Args: the directory with access-<n>.txt;
-- optionally another path (an OpenID Connect userinfo endpoint, for bench/keycloak.sh).
-- A thread stops when its new tokens run out (a refresh phase mints fewer tokens than this phase spends), so wrk's
-- own Requests/sec, taken over the whole -d, would be too low: done() prints "New-token requests/sec", counted from
-- the first request to the last answer, which the summaries read instead.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local ts = ffi.new("bench_timespec")
local function now() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9 end

local counter, threads = 0, {}
function setup(thread) counter = counter + 1; thread:set("id", counter); threads[counter] = thread end
function init(args)
  tokens = {}
  for line in io.lines(args[1] .. "/access-" .. id .. ".txt") do tokens[#tokens + 1] = line end
  next_token, answered, first, last = 1, 0, nil, nil
  path = args[2] or "/api/auth/me"
end
function request()
  first = first or now()
  local t = tokens[next_token]
  next_token = next_token + 1
  if t == nil then  -- out of new tokens: stop this thread (the few requests already in flight are not counted)
    wrapped = true
    if wrk.thread then wrk.thread:stop() end
    t = tokens[1]
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. t}, nil)
end
function response(status, headers, body)
  if not wrapped then answered = answered + 1; last = now() end
end
function done()  -- runs in the main script: read each thread's figures
  local n, t0, t1, out = 0, nil, nil, false
  for _, t in ipairs(threads) do
    n = n + (t:get("answered") or 0)
    local f, l = t:get("first"), t:get("last")
    if f and (t0 == nil or f < t0) then t0 = f end
    if l and (t1 == nil or l > t1) then t1 = l end
    out = out or t:get("wrapped")
  end
  if t0 and t1 and t1 > t0 then
    io.write(string.format("New-token requests/sec: %.2f (%d answers in %.2f s%s)\n", n / (t1 - t0), n, t1 - t0,
      out and ", stopped when the tokens ran out" or ""))
  end
end
