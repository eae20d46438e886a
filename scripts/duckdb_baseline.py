#!/usr/bin/env python3
"""DuckDB baseline for the replay benchmark: read the same NDJSON files and build the three tables
(page views per page-hour, per-session activity, per-minute counters by type and by session) in memory.
Prints one JSON line: seconds, events, peak RSS (MiB). Usage: duckdb_baseline.py ARCHIVE_DIR"""
import json, resource, sys, time

import duckdb

root = sys.argv[1]
con = duckdb.connect()  # in memory
con.execute("SET threads TO 2")
t0 = time.time()
con.execute(f"""
CREATE TABLE events AS
SELECT event_type, session_id, user_agent, page_url,
       try_cast("timestamp" AS TIMESTAMPTZ) AS ts
FROM read_ndjson('{root}/**/*.ndjson', ignore_errors = true,
     columns = {{event_type: 'VARCHAR', session_id: 'VARCHAR', user_id: 'VARCHAR', "timestamp": 'VARCHAR',
                page_url: 'VARCHAR', user_agent: 'VARCHAR', ip_address: 'VARCHAR', referrer: 'VARCHAR'}})
WHERE session_id IS NOT NULL AND event_type IS NOT NULL
""")
con.execute("""CREATE TABLE page_metrics AS SELECT page_url, strftime(ts, '%Y-%m-%dT%H') AS timestamp_hour, count(*) AS view_count
               FROM events WHERE event_type = 'page_view' GROUP BY ALL""")
con.execute("""CREATE TABLE session_metrics AS SELECT session_id, count(*) AS event_count, min(ts) AS first_activity,
               max(ts) AS last_activity, arg_max(user_agent, ts) AS user_agent FROM events GROUP BY session_id""")
con.execute("""CREATE TABLE counters AS
               SELECT 'events_per_minute_' || event_type AS metric_name, strftime(ts, '%Y-%m-%dT%H:%M') AS time_window, count(*) AS event_count FROM events GROUP BY ALL
               UNION ALL
               SELECT 'session_events_' || session_id, strftime(ts, '%Y-%m-%dT%H:%M'), count(*) FROM events GROUP BY ALL""")
seconds = time.time() - t0
n = con.execute("SELECT count(*) FROM events").fetchone()[0]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": round(seconds, 3), "events": n, "events_per_second": round(n / seconds), "peak_mib": round(peak)}))
