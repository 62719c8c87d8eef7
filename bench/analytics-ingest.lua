-- wrk script for analytics ingest. args: mode ("batch" or "track"), write key. Every message carries a messageId
-- unique to this run, thread and request, so every event is really inserted (a repeated id would be a cheap no-op).
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  mode = args[1]
  run = tostring(os.time())
  n = 0
  local auth = "Basic " .. base64(args[2] .. ":")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = auth
  errors = 0
end

function base64(data)
  local b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((data:gsub(".", function(x)
    local r, byte = "", x:byte()
    for i = 8, 1, -1 do r = r .. (byte % 2 ^ i - byte % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b:sub(c + 1, c + 1)
  end) .. ({"", "==", "="})[#data % 3 + 1])
end

local function message(prefix, i)
  return '{"type":"track","event":"feature_used","userId":"user-' .. (i % 50) .. '","messageId":"' .. prefix .. i
    .. '","properties":{"feature_name":"export","plan":"pro"},"context":{"page":{"url":"https://app.example.com/a'
    .. '?utm_source=bench"}},"timestamp":"2026-12-04T23:00:00.000Z"}'
end

function request()
  n = n + 1
  local prefix = run .. "-" .. id .. "-" .. n .. "-"
  if mode == "batch" then
    local items = {}
    for i = 1, 100 do items[i] = message(prefix, i) end
    return wrk.format(nil, "/v1/batch", nil, '{"batch":[' .. table.concat(items, ",")
      .. '],"sentAt":"2026-12-04T23:00:01.000Z"}')
  end
  return wrk.format(nil, "/v1/track", nil, message(prefix, 0))
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if errors < 3 then io.stderr:write(status .. " " .. body .. "\n") end
  end
end
