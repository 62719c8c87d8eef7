-- The scale-out mix (bench/scaleout.sh): in turn GET /api/auth/me, POST /api/auth/refresh (a real rotation: each
-- token is used once and its successor goes back in the pool), POST /api/webhooks/stripe (pre-signed events, each a
-- new id), POST /api/files/presign, POST /api/email/send (a new recipient each time) and POST /v1/batch (10 events).
-- Paced: every connection waits PACE_MS (environment) after each answer, so the rate is about
-- connections * 1000 / (PACE_MS + latency). Args: the directory with tokens-<n>.txt, events-<n>.txt and env.txt.
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function read(path)
  local f = assert(io.open(path))
  local s = f:read("*l")
  f:close()
  return s
end

function init(args)
  dir = args[1]
  pool = {}
  for line in io.lines(dir .. "/tokens-" .. id .. ".txt") do pool[#pool + 1] = line end
  events = {}
  for line in io.lines(dir .. "/events-" .. id .. ".txt") do events[#events + 1] = line end
  access = read(dir .. "/access.txt")
  api_key = read(dir .. "/api-key.txt")
  write_key = read(dir .. "/write-key-basic.txt")
  pace = tonumber(os.getenv("PACE_MS") or "0")
  n = 0
  next_event = 1
  emails_accepted = 0
  events_accepted = 0
  wrapped = 0
  statuses = {}
  samples = 0
end

local json = {["Content-Type"] = "application/json"}

local function with(extra)
  local h = {["Content-Type"] = "application/json"}
  for k, v in pairs(extra) do h[k] = v end
  return h
end

function request()
  n = n + 1
  local kind = n % 6
  if kind == 0 then
    return wrk.format("GET", "/api/auth/me", {["Authorization"] = "Bearer " .. access}, nil)
  elseif kind == 1 then
    local token = table.remove(pool, 1) or "pool-empty"
    return wrk.format("POST", "/api/auth/refresh", json, '{"refreshToken":"' .. token .. '"}')
  elseif kind == 2 then
    local line = events[next_event]
    next_event = next_event + 1
    if line == nil then line = events[1]; wrapped = wrapped + 1 end
    local tab = string.find(line, "\t", 1, true)
    return wrk.format("POST", "/api/webhooks/stripe", with({["Stripe-Signature"] = string.sub(line, 1, tab - 1)}),
      string.sub(line, tab + 1))
  elseif kind == 3 then
    return wrk.format("POST", "/api/files/presign", with({["Authorization"] = "Bearer " .. access}),
      '{"filename":"bench.png","contentType":"image/png","size":1234}')
  elseif kind == 4 then
    return wrk.format("POST", "/api/email/send", with({["Authorization"] = "Bearer " .. api_key}),
      '{"template":"password-reset","to":"b' .. id .. '-' .. n .. '@example.com",'
        .. '"variables":{"name":"Bench","resetUrl":"https://app.example.com/r"}}')
  else
    local batch = {}
    for e = 1, 10 do
      batch[e] = '{"type":"track","userId":"bench-' .. id .. '","event":"bench_event","properties":{"n":' .. n .. '}}'
    end
    return wrk.format("POST", "/v1/batch", with({["Authorization"] = write_key}),
      '{"batch":[' .. table.concat(batch, ",") .. ']}')
  end
end

function response(status, headers, body)
  if status >= 300 then
    statuses[status] = (statuses[status] or 0) + 1
    -- The first few failures with our error code, so a run says why (bodies never carry secrets).
    if samples < 5 then
      samples = samples + 1
      io.stderr:write("non-2xx " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
  local token = string.match(body, '"refreshToken":"([^"]+)"')
  if token then pool[#pool + 1] = token end
  if status == 202 and string.find(body, '"id":"msg_', 1, true) then emails_accepted = emails_accepted + 1 end
  if status == 200 and string.find(body, '"received"', 1, true) then events_accepted = events_accepted + 1 end
end

function delay()
  return pace
end

function done(summary, latency, requests)
  local emails, events, dup = 0, 0, 0
  local by_status = {}
  for _, t in ipairs(threads) do
    emails = emails + t:get("emails_accepted")
    events = events + t:get("events_accepted")
    dup = dup + t:get("wrapped")
    for code, count in pairs(t:get("statuses")) do by_status[code] = (by_status[code] or 0) + count end
  end
  local parts = {}
  for code, count in pairs(by_status) do parts[#parts + 1] = code .. " x" .. count end
  io.write("mix: non-2xx by status: " .. (#parts > 0 and table.concat(parts, ", ") or "none") .. "\n")
  io.write(string.format("mix: p50 %.1f ms, p99 %.1f ms, requests %d, non-2xx %d, socket errors %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("mix: emails accepted %d, webhook events accepted %d\n", emails, events))
  if dup > 0 then io.stderr:write("WARNING: events ran out; " .. dup .. " webhook requests were duplicates\n") end
end
