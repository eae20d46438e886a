-- title: Bounce rate for a day
-- description: sessions whose first activity falls on one UTC day, how many had a single event, and that share in percent
-- param: day  (YYYY-MM-DD, required)
SELECT :day AS day,
       COUNT(*) AS sessions,
       COALESCE(SUM(event_count = 1), 0) AS bounced,
       CASE WHEN COUNT(*) > 0 THEN ROUND(100.0 * SUM(event_count = 1) / COUNT(*), 1) END AS bounce_rate_pct
FROM session_metrics
WHERE first_activity >= :day || 'T' AND first_activity < :day || 'U';
