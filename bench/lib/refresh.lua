-- POST /api/auth/refresh chains (as bench/auth-refresh.lua): each connection presents a token no one has used, so
-- every request is a full rotation. Args: directory with tokens-<thread>.txt; each new access token is appended to
-- access-<thread>.txt there, for the never-seen-token `me` phase.
-- Optional args 2 and 3: another token endpoint and an OAuth client id, for an OAuth 2.0 server's refresh grant
-- (RFC 6749 section 6: a form body, snake_case answer), as bench/keycloak.sh measures Keycloak.
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args)
  pool = {}
  for line in io.lines(args[1] .. "/tokens-" .. id .. ".txt") do pool[#pool + 1] = line end
  out = io.open(args[1] .. "/access-" .. id .. ".txt", "a")
  path = args[2] or "/api/auth/refresh"
  client = args[3]
  wrk.method = "POST"
  if client then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    refresh_pattern, access_pattern = '"refresh_token":"([^"]+)"', '"access_token":"([^"]+)"'
  else
    wrk.headers["Content-Type"] = "application/json"
    refresh_pattern, access_pattern = '"refreshToken":"([^"]+)"', '"accessToken":"([^"]+)"'
  end
end
function request()
  local token = table.remove(pool) or "pool-empty"
  local body
  if client then
    body = "grant_type=refresh_token&client_id=" .. client .. "&refresh_token=" .. token
  else
    body = '{"refreshToken":"' .. token .. '"}'
  end
  return wrk.format(nil, path, nil, body)
end
function response(status, headers, body)
  local token = string.match(body, refresh_pattern)
  if token then pool[#pool + 1] = token end
  local access = string.match(body, access_pattern)
  if access then out:write(access, "\n") end
end
function done() end
