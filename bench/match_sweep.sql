-- psql -v as_of=YYYY-MM-DD: the writes of `kakehashi matches sweep`, by hand: proposals
-- whose window closed before the day expire; requests unmatched for 90 days with nothing
-- live expire.
BEGIN;
UPDATE matches SET status = 'EXPIRED', updated_at = now(), version = version + 1
 WHERE status = 'PROPOSED' AND respond_by < :'as_of'::date;
UPDATE consultation_requests SET status = 'EXPIRED', closed_at = now(), updated_at = now(),
       version = version + 1
 WHERE status IN ('OPEN', 'MATCHING')
   AND opened_on < :'as_of'::date - 90
   AND id NOT IN (SELECT request_id FROM matches
                   WHERE status IN ('PROPOSED', 'ACCEPTED', 'ACTIVE'));
COMMIT;
