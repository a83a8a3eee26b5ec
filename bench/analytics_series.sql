-- The monthly series of the active count over ten years, each month's end as known then:
-- the SQL baseline of specialistSeries in bench/analytics.py (active counts only).
WITH ends AS (
    SELECT LEAST((m + interval '1 month - 1 day')::date, current_date) AS e
      FROM generate_series(date_trunc('month', current_date - interval '10 years'),
                           current_date, interval '1 month') AS m)
SELECT e, (SELECT count(*)
             FROM (SELECT DISTINCT ON (specialist_id) status
                     FROM specialist_status_events
                    WHERE effective_on <= e
                      AND recorded_at < (e + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'
                    ORDER BY specialist_id, effective_on DESC, id DESC) AS s
            WHERE status = 'ACTIVE')
  FROM ends;
