-- title: Events per minute for an hour
-- description: events per minute and event type (counters events_per_minute_<type>) within one UTC hour
-- param: hour (YYYY-MM-DDTHH, for example 2025-07-03T05, required)
SELECT time_window, substr(metric_name, 19) AS event_type, event_count
FROM counters
WHERE metric_name >= 'events_per_minute_' AND metric_name < 'events_per_minute`'
  AND time_window BETWEEN :hour || ':00' AND :hour || ':59'
ORDER BY time_window, event_type;
