-- title: Top sessions
-- description: sessions with the most events, most active first (ties by session id)
-- param: limit (integer, default 20)
SELECT session_id, event_count, first_activity, last_activity, user_agent
FROM session_metrics
ORDER BY event_count DESC, session_id
LIMIT :limit;
