-- title: Top sessions
-- description: sessions with the most events, most active first (ties by session id); with from/to, only sessions active in [from, to)
-- param: limit (integer, default 20)
-- param: from (an instant such as 2025-07-03T05:00:00.000Z: sessions whose last activity is at or after it; optional)
-- param: to (an instant: sessions whose first activity is before it; optional)
SELECT session_id, event_count, first_activity, last_activity, user_agent
FROM session_metrics
WHERE (:from IS NULL OR last_activity >= :from) AND (:to IS NULL OR first_activity < :to)
ORDER BY event_count DESC, session_id
LIMIT :limit;
