-- GET /api/auth/me, each request with an access token never presented before (collected by refresh.lua), so each
-- pays the full ES256 verification instead of the verified-token cache. Args: the directory with access-<n>.txt.
local counter = 0
function setup(thread) counter = counter + 1; thread:set("id", counter) end
function init(args)
  tokens = {}
  for line in io.lines(args[1] .. "/access-" .. id .. ".txt") do tokens[#tokens + 1] = line end
  next_token = 1
end
function request()
  local t = tokens[next_token]
  next_token = next_token + 1
  if t == nil then t = tokens[1]; wrapped = true end
  return wrk.format("GET", "/api/auth/me", {["Authorization"] = "Bearer " .. t}, nil)
end
function done()
  if wrapped then io.stderr:write("WARNING: new tokens ran out; later requests reused one\n") end
end
