-- The aggregates of campFigures: the SQL baseline of the figures in bench/camps.py.
SELECT c.fiscal_year, p.kind, count(*)
  FROM camp_applications a
  JOIN camp_cohorts c ON c.id = a.cohort_id
  JOIN camp_programs p ON p.id = c.program_id
 WHERE a.status = 'COMPLETED'
 GROUP BY c.fiscal_year, p.kind;
SELECT count(DISTINCT person_id) FROM camp_applications WHERE status = 'COMPLETED';
SELECT count(*) FROM community_members WHERE left_at IS NULL;
SELECT count(*) FROM community_members WHERE left_at IS NULL AND open_to_mentoring;
SELECT occurred_on, kind, count(*) FROM alumni_activities GROUP BY occurred_on, kind;
SELECT count(*) FROM community_events WHERE status = 'SCHEDULED' AND starts_at <= now();
SELECT count(*) FROM event_rsvps WHERE attended AND status = 'GOING';
