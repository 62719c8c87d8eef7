-- POST /api/webhooks/stripe with pre-signed events (bench/lib/stripe-events.py): each request a new event id, so
-- every answer is a verified, stored and queued event, never the cheaper duplicate. Args: the events directory, and
-- "same" to send each thread's first event again and again (verified duplicates after the first: no write).
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args)
  events = {}
  for line in io.lines(args[1] .. "/events-" .. id .. ".txt") do events[#events + 1] = line end
  next_event = 1
  same = args[2] == "same"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local line = events[next_event]
  next_event = next_event + 1
  if line == nil then line = events[1]; wrapped = not same end  -- out of events: duplicates from here (reported)
  local tab = string.find(line, "\t", 1, true)
  wrk.headers["Stripe-Signature"] = string.sub(line, 1, tab - 1)
  return wrk.format(nil, "/api/webhooks/stripe", nil, string.sub(line, tab + 1))
end
function done(summary, latency, requests)
  if wrapped then io.stderr:write("WARNING: events ran out; later requests were duplicates\n") end
end
