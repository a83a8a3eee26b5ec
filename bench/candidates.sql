-- pgbench / psql: the statement behind matchCandidates for bench/matching.py's request
-- (the last one filed, ten themes): the columns the ranking reads of every published entry
-- of an eligible specialist, not paused, with capacity left, holding one of the themes,
-- not yet proposed.
-- Theme ids follow the migration's seeding order (1, 2, 3, 4, 5, 6, 14, 15, 16, 19).
SELECT e.id, e.specialist_id, e.theme_ids, e.prefecture_codes, e.industry_codes,
       e.language_codes, e.remote_ok, e.capacity, e.active_matches, e.confirmed_on
  FROM active_list_entries e
 WHERE e.status = 'PUBLISHED'
   AND e.eligible_until >= CURRENT_DATE
   AND NOT e.paused
   AND e.active_matches < e.capacity
   AND e.id IN (SELECT entry_id FROM entry_themes
                 WHERE theme_id IN (1, 2, 3, 4, 5, 6, 14, 15, 16, 19)
                   AND status = 'PUBLISHED' AND eligible_until >= CURRENT_DATE)
   AND e.specialist_id NOT IN (SELECT specialist_id FROM matches
                                WHERE request_id = (SELECT max(id) FROM consultation_requests)
                                  AND status IN ('PROPOSED', 'ACCEPTED', 'ACTIVE'));
