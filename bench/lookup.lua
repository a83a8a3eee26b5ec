-- wrk script: `specialist(registrationNumber)` for a random registration number.
-- The anonymous caller reads the public registry, as partner front-ends do.
local count = tonumber(os.getenv("BENCH_SPECIALISTS") or "50000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local n = string.format("%06d", math.random(1, count))
  local body = '{"query":"query($n: String!) { specialist(registrationNumber: $n) { id registrationNumber registeredOn status familyName familyNameKana prefecture { code } employer } }","variables":{"n":"' .. n .. '"}}'
  return wrk.format(nil, "/graphql", nil, body)
end

dofile("bench/report.lua")
