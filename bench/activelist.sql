-- pgbench: the one hand-written statement behind a three-theme Active List page: published
-- entries whose specialist is eligible today (the entry's eligible_until, kept current by
-- every status and cycle change) holding all three themes, most recently confirmed first,
-- one row more to know if a next page exists.
-- Theme ids follow the migration's seeding order (1 BASIC_POLICY, 2 SECURITY_ACTION_1,
-- 3 SECURITY_ACTION_2, 14 EMPLOYEE_TRAINING, 16 INCIDENT_RESPONSE_PLAN,
-- 19 BACKUP_AND_RECOVERY); the triples are those of bench/activelist.lua.
\set k random(1, 6)
SELECT e.id, e.specialist_id, e.bio_ja, e.fee_policy, e.capacity, e.paused, e.confirmed_on,
       e.theme_ids, e.prefecture_codes
  FROM active_list_entries e
 WHERE e.status = 'PUBLISHED'
   AND e.eligible_until >= CURRENT_DATE
   AND e.id IN (SELECT entry_id FROM entry_themes WHERE theme_id = (ARRAY[1, 1, 2, 3, 16, 1])[:k])
   AND e.id IN (SELECT entry_id FROM entry_themes WHERE theme_id = (ARRAY[2, 16, 14, 19, 14, 3])[:k])
   AND e.id IN (SELECT entry_id FROM entry_themes WHERE theme_id = (ARRAY[3, 14, 19, 16, 19, 19])[:k])
 ORDER BY e.confirmed_on DESC, e.id DESC
 LIMIT 21;
