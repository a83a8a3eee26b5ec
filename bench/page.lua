-- wrk script: a 50-item `specialists` page after a random registration number, with the
-- nested prefecture, as a list view asks for it.
local count = tonumber(os.getenv("BENCH_SPECIALISTS") or "50000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
-- URL-safe base64 without padding: the cursor format of Kakehashi's lists.
local function b64(data)
  local out, bits, value = {}, 0, 0
  for i = 1, #data do
    value = value * 256 + data:byte(i)
    bits = bits + 8
    while bits >= 6 do
      bits = bits - 6
      local index = math.floor(value / 2 ^ bits) % 64
      out[#out + 1] = alphabet:sub(index + 1, index + 1)
    end
    value = value % (2 ^ bits)
  end
  if bits > 0 then
    local index = (value * 2 ^ (6 - bits)) % 64
    out[#out + 1] = alphabet:sub(index + 1, index + 1)
  end
  return table.concat(out)
end

request = function()
  local start = string.format("%06d", math.random(1, count - 100))
  local cursor = b64('{"o":"REGISTRATION_NUMBER_ASC","k":["' .. start .. '"]}')
  local body = '{"query":"query($after: String) { specialists(first: 50, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id registrationNumber registeredOn status familyName familyNameKana prefecture { code } employer } } } }","variables":{"after":"' .. cursor .. '"}}'
  return wrk.format(nil, "/graphql", nil, body)
end

dofile("bench/report.lua")
