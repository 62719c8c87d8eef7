-- wrk script for POST /api/auth/refresh: each thread owns a pool of sessions (one refresh token each, read from
-- tokens-<thread>.txt). A request takes a token from the pool; its answer puts the rotated token back. With at least
-- as many sessions as connections, no token is ever presented twice, so every request is a real rotation (not a
-- reuse within the grace window, which would be cheaper).
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  pool = {}
  for line in io.lines(args[1] .. "/tokens-" .. id .. ".txt") do
    pool[#pool + 1] = line
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local token = table.remove(pool)
  if token == nil then
    token = "pool-empty"
  end
  return wrk.format(nil, "/api/auth/refresh", nil, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status ~= 200 and os.getenv("AUTH_BENCH_DEBUG") then io.stderr:write(status .. " " .. body .. "\n") end
  local token = string.match(body, '"refreshToken":"([^"]+)"')
  if token then
    pool[#pool + 1] = token
  end
end
