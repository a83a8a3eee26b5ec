-- wrk script: an anonymous three-theme Active List search (all three themes), a page of 20
-- with the specialist, themes and prefectures nested, as an SME's search page asks for it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- The same six theme triples as bench/activelist.sql.
local triples = {
  { "BASIC_POLICY", "SECURITY_ACTION_1", "SECURITY_ACTION_2" },
  { "BASIC_POLICY", "INCIDENT_RESPONSE_PLAN", "EMPLOYEE_TRAINING" },
  { "SECURITY_ACTION_1", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY" },
  { "SECURITY_ACTION_2", "BACKUP_AND_RECOVERY", "INCIDENT_RESPONSE_PLAN" },
  { "INCIDENT_RESPONSE_PLAN", "EMPLOYEE_TRAINING", "BACKUP_AND_RECOVERY" },
  { "BASIC_POLICY", "SECURITY_ACTION_2", "BACKUP_AND_RECOVERY" },
}

request = function()
  local t = triples[math.random(1, #triples)]
  local body = '{"query":"query($themes: [String!]) { activeList(first: 20, filter: { themes: $themes, themeMatch: ALL }) { pageInfo { hasNextPage endCursor } edges { cursor node { id bioJa feePolicy capacity hasCapacity confirmedOn specialist { registrationNumber familyName } themes { code nameJa } prefectures { code } } } } }","variables":{"themes":["'
    .. t[1] .. '","' .. t[2] .. '","' .. t[3] .. '"]}}'
  return wrk.format(nil, "/graphql", nil, body)
end

dofile("bench/report.lua")
