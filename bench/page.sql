-- pgbench: the one hand-written statement behind a 50-item `specialists` page of the
-- public registry (active registrations after a cursor, one row more to know if a next
-- page exists).
\set n random(1, 49900)
SELECT id, registration_number, registered_on, status, family_name, family_name_kana,
       prefecture_code, employer, disclose_name, disclose_kana, disclose_prefecture, disclose_employer
  FROM specialists
 WHERE status = 'ACTIVE' AND registration_number > lpad(:n::text, 6, '0')
 ORDER BY registration_number
 LIMIT 51;
