-- pgbench: one hand-written statement returning what a three-theme Active List page shows:
-- the first theme's postings (entry_themes rows carrying copies of the entry's status,
-- confirmation date, eligibility and theme set) read in list order with the other two
-- themes matched on the theme set, one row more to know if a next page exists, joined to
-- the entries (with their theme ids; the twenty-odd theme names are a catalogue a client
-- reads once) and their specialists.
-- Theme ids follow the migration's seeding order (1 BASIC_POLICY, 2 SECURITY_ACTION_1,
-- 3 SECURITY_ACTION_2, 14 EMPLOYEE_TRAINING, 16 INCIDENT_RESPONSE_PLAN,
-- 19 BACKUP_AND_RECOVERY); the triples are those of bench/activelist.lua.
\set k random(1, 6)
SELECT e.id, e.bio_ja, e.fee_policy, e.capacity, e.paused, e.confirmed_on, e.theme_ids,
       e.prefecture_codes, s.registration_number, s.family_name
  FROM entry_themes p
  JOIN active_list_entries e ON e.id = p.entry_id
  JOIN specialists s ON s.id = e.specialist_id
 WHERE p.theme_id = (ARRAY[1, 1, 2, 3, 16, 1])[:k]
   AND p.status = 'PUBLISHED'
   AND p.eligible_until >= CURRENT_DATE
   AND p.theme_set LIKE '%,' || (ARRAY[2, 16, 14, 19, 14, 3])[:k] || ',%'
   AND p.theme_set LIKE '%,' || (ARRAY[3, 14, 19, 16, 19, 19])[:k] || ',%'
 ORDER BY p.confirmed_on DESC, p.entry_id DESC
 LIMIT 21;
