-- The lapse sweep as hand-written SQL: the baseline of `kakehashi renewals sweep`.
-- psql -v as_of=YYYY-MM-DD -f bench/sweep.sql
BEGIN;
CREATE TEMP TABLE due ON COMMIT DROP AS
  SELECT c.id, c.specialist_id, c.ends_on + 1 AS lapse_on
  FROM renewal_cycles c
  WHERE c.state = 'OPEN' AND c.ends_on < :'as_of'::date AND c.applied_on IS NULL;
UPDATE renewal_cycles c
  SET state = 'LAPSED', closed_on = d.lapse_on, version = c.version + 1, updated_at = now()
  FROM due d WHERE c.id = d.id;
INSERT INTO specialist_status_events
    (specialist_id, status, effective_on, reason, recorded_at, recorded_by)
  SELECT s.id, 'LAPSED', greatest(d.lapse_on, s.status_since),
         'renewal cycle ended without renewal', now(), 'baseline'
  FROM due d JOIN specialists s ON s.id = d.specialist_id
  WHERE s.status IN ('ACTIVE', 'SUSPENDED');
UPDATE specialists s
  SET status = 'LAPSED', status_since = greatest(d.lapse_on, s.status_since),
      version = s.version + 1, updated_at = now()
  FROM due d WHERE s.id = d.specialist_id AND s.status IN ('ACTIVE', 'SUSPENDED');
COMMIT;
