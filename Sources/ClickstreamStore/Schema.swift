/// The SQLite schema: the contract tables of README "Tables" plus the internal state (prefixed `_`) that makes
/// recomputation idempotent: per-hour fingerprint sets and per-(session, hour) partial aggregates.
enum Schema {
    static let version = 2

    static let sql = """
    CREATE TABLE IF NOT EXISTS page_metrics (
        page_url TEXT NOT NULL, timestamp_hour TEXT NOT NULL, view_count INTEGER NOT NULL,
        PRIMARY KEY (page_url, timestamp_hour)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS session_metrics (
        session_id TEXT NOT NULL PRIMARY KEY, event_count INTEGER NOT NULL,
        first_activity TEXT NOT NULL, last_activity TEXT NOT NULL, user_agent TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS counters (
        metric_name TEXT NOT NULL, time_window TEXT NOT NULL, event_count INTEGER NOT NULL, ttl INTEGER NOT NULL,
        PRIMARY KEY (metric_name, time_window)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS anomalies (
        session_id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, details TEXT NOT NULL,
        PRIMARY KEY (session_id, kind, at)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS quarantine (
        id INTEGER PRIMARY KEY, run_id INTEGER, source TEXT NOT NULL, location TEXT NOT NULL,
        reason TEXT NOT NULL, message TEXT NOT NULL, raw BLOB NOT NULL, UNIQUE (source, location));
    CREATE TABLE IF NOT EXISTS runs (
        run_id INTEGER PRIMARY KEY, command TEXT NOT NULL, sources TEXT NOT NULL,
        window_from TEXT, window_to TEXT, rebuild INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL,
        documents INTEGER NOT NULL DEFAULT 0, in_window INTEGER NOT NULL DEFAULT 0,
        out_of_window INTEGER NOT NULL DEFAULT 0, distinct_new INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0, quarantined INTEGER NOT NULL DEFAULT 0,
        objects INTEGER NOT NULL DEFAULT 0, rows_written INTEGER NOT NULL DEFAULT 0,
        seconds REAL, message TEXT);
    CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS _seen (
        hour INTEGER NOT NULL, part INTEGER NOT NULL, fingerprints BLOB NOT NULL,
        PRIMARY KEY (hour, part)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS _session_hours (
        session_id TEXT NOT NULL, hour INTEGER NOT NULL, event_count INTEGER NOT NULL,
        first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL, last_agent TEXT,
        bot_ms INTEGER, bot_agent TEXT, e1 INTEGER, e2 INTEGER, e3 INTEGER, c1 INTEGER, c2 INTEGER, c3 INTEGER,
        PRIMARY KEY (session_id, hour)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS _checkpoints (
        stream TEXT NOT NULL, shard_id TEXT NOT NULL, sequence_number TEXT NOT NULL,
        millis_behind INTEGER, updated_at TEXT NOT NULL, PRIMARY KEY (stream, shard_id)) WITHOUT ROWID;
    """
}
