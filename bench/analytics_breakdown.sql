-- The active count today by prefecture, as known today: the SQL baseline of
-- specialistBreakdown(by: PREFECTURE) in bench/analytics.py (suppression left out).
SELECT sp.prefecture_code, count(*)
  FROM (SELECT DISTINCT ON (specialist_id) specialist_id, status
          FROM specialist_status_events
         WHERE effective_on <= current_date
         ORDER BY specialist_id, effective_on DESC, id DESC) AS s
  JOIN specialists sp ON sp.id = s.specialist_id
 WHERE s.status = 'ACTIVE'
 GROUP BY sp.prefecture_code;
