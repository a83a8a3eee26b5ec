-- The reminder run as hand-written SQL: the baseline of `kakehashi renewals remind`.
-- psql -v as_of=YYYY-MM-DD -f bench/remind.sql
BEGIN;
INSERT INTO renewal_reminders
    (cycle_id, specialist_id, kind, application_due_on, ends_on, written_on, created_at)
  SELECT id, specialist_id, k.kind, application_due_on, ends_on, :'as_of'::date, now()
  FROM renewal_cycles
  JOIN (VALUES ('DAYS_30', 0, 30), ('DAYS_90', 30, 90), ('DAYS_180', 90, 180),
               ('DAYS_365', 180, 365)) AS k(kind, after_days, until_days)
    ON application_due_on <= :'as_of'::date + k.until_days
   AND (application_due_on > :'as_of'::date + k.after_days
        OR (k.after_days = 0 AND application_due_on >= :'as_of'::date))
  WHERE state = 'OPEN' AND applied_on IS NULL
  ON CONFLICT (cycle_id, kind) DO NOTHING;
INSERT INTO renewal_reminders
    (cycle_id, specialist_id, kind, application_due_on, ends_on, written_on, created_at)
  SELECT id, specialist_id, 'LAPSED', application_due_on, ends_on, :'as_of'::date, now()
  FROM renewal_cycles
  WHERE state = 'LAPSED' AND closed_on >= :'as_of'::date - 30 AND closed_on < :'as_of'::date
  ON CONFLICT (cycle_id, kind) DO NOTHING;
COMMIT;
