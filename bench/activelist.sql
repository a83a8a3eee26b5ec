-- pgbench: the hand-written statements behind a three-theme Active List page, as the
-- service runs them: the first theme's postings (entry_themes rows carrying copies of the
-- entry's status, confirmation date, eligibility and theme set) read in list order with the
-- other two themes matched on the theme set, one row more to know if a next page exists;
-- then the page's entries by id.
-- Theme ids follow the migration's seeding order (1 BASIC_POLICY, 2 SECURITY_ACTION_1,
-- 3 SECURITY_ACTION_2, 14 EMPLOYEE_TRAINING, 16 INCIDENT_RESPONSE_PLAN,
-- 19 BACKUP_AND_RECOVERY); the triples are those of bench/activelist.lua.
\set k random(1, 6)
SELECT entry_id, confirmed_on
  FROM entry_themes
 WHERE theme_id = (ARRAY[1, 1, 2, 3, 16, 1])[:k]
   AND status = 'PUBLISHED'
   AND eligible_until >= CURRENT_DATE
   AND theme_set LIKE '%,' || (ARRAY[2, 16, 14, 19, 14, 3])[:k] || ',%'
   AND theme_set LIKE '%,' || (ARRAY[3, 14, 19, 16, 19, 19])[:k] || ',%'
 ORDER BY confirmed_on DESC, entry_id DESC
 LIMIT 21;
SELECT id, specialist_id, bio_ja, fee_policy, capacity, paused, confirmed_on, theme_ids,
       prefecture_codes
  FROM active_list_entries
 WHERE id IN (SELECT entry_id FROM entry_themes
               WHERE theme_id = (ARRAY[1, 1, 2, 3, 16, 1])[:k]
                 AND status = 'PUBLISHED' AND eligible_until >= CURRENT_DATE
                 AND theme_set LIKE '%,' || (ARRAY[2, 16, 14, 19, 14, 3])[:k] || ',%'
                 AND theme_set LIKE '%,' || (ARRAY[3, 14, 19, 16, 19, 19])[:k] || ',%'
               ORDER BY confirmed_on DESC, entry_id DESC LIMIT 21);
