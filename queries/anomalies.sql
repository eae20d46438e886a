-- title: Anomalies for a day
-- description: anomalies whose time (`at`: a minute or an instant) falls on one UTC day, in time order
-- param: day  (YYYY-MM-DD, required)
SELECT at, session_id, kind, details
FROM anomalies
WHERE substr(at, 1, 10) = :day
ORDER BY at, session_id, kind;
