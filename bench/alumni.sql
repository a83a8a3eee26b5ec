-- The first page of the public alumni directory and what it shows (display name,
-- interests, prefecture, completed cohorts with their programs), with the total: the SQL
-- baseline of the directory in bench/camps.py.
SELECT count(*) FROM community_members WHERE left_at IS NULL AND display_name_visibility <= 0;
WITH page AS (
    SELECT person_id, display_name, interests
      FROM community_members
     WHERE left_at IS NULL AND display_name_visibility <= 0
     ORDER BY person_id
     LIMIT 21)
SELECT p.person_id, p.display_name, p.interests, pe.prefecture_code,
       (SELECT json_agg(json_build_object('name', c.name, 'kind', pr.kind) ORDER BY c.id)
          FROM camp_applications a
          JOIN camp_cohorts c ON c.id = a.cohort_id
          JOIN camp_programs pr ON pr.id = c.program_id
         WHERE a.person_id = p.person_id AND a.status = 'COMPLETED') AS cohorts
  FROM page p
  JOIN people pe ON pe.id = p.person_id
 ORDER BY p.person_id;
