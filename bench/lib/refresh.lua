-- POST /api/auth/refresh chains (as bench/auth-refresh.lua): each connection presents a token no one has used, so
-- every request is a full rotation. Args: directory with tokens-<thread>.txt; each new access token is appended to
-- access-<thread>.txt there, for the never-seen-token `me` phase.
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args)
  pool = {}
  for line in io.lines(args[1] .. "/tokens-" .. id .. ".txt") do pool[#pool + 1] = line end
  out = io.open(args[1] .. "/access-" .. id .. ".txt", "a")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local token = table.remove(pool) or "pool-empty"
  return wrk.format(nil, "/api/auth/refresh", nil, '{"refreshToken":"' .. token .. '"}')
end
function response(status, headers, body)
  local token = string.match(body, '"refreshToken":"([^"]+)"')
  if token then pool[#pool + 1] = token end
  local access = string.match(body, '"accessToken":"([^"]+)"')
  if access then out:write(access, "\n") end
end
function done() end
