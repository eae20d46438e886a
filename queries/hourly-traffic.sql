-- title: Hourly traffic for a day
-- description: for each UTC hour of one day, page views (page_metrics) and events of every type (counters events_per_minute_*); hours without traffic show 0
-- param: day  (YYYY-MM-DD, required)
WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 23),
keys AS (SELECT :day || 'T' || printf('%02d', h) AS hour FROM hours),
views AS (
    SELECT timestamp_hour AS hour, SUM(view_count) AS n FROM page_metrics
    WHERE timestamp_hour BETWEEN :day || 'T00' AND :day || 'T23'
    GROUP BY timestamp_hour),
events AS (
    SELECT substr(time_window, 1, 13) AS hour, SUM(event_count) AS n FROM counters
    WHERE metric_name >= 'events_per_minute_' AND metric_name < 'events_per_minute`'
      AND time_window BETWEEN :day || 'T00:00' AND :day || 'T23:59'
    GROUP BY substr(time_window, 1, 13))
SELECT keys.hour AS hour, COALESCE(views.n, 0) AS page_views, COALESCE(events.n, 0) AS events
FROM keys LEFT JOIN views ON views.hour = keys.hour LEFT JOIN events ON events.hour = keys.hour
ORDER BY keys.hour;
