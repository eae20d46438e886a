import ClickstreamQueries

/// Everything one report shows, read from the results database: the canned queries' own rows (so every number in
/// the page is what `clickstream query` prints for the same day or hour), plus the runs and source lineage.
///
/// Day-based sections (top pages, funnel, bounce rate) hold one result per UTC day the window touches, as the
/// canned queries count whole days; minute and hour series and the anomalies are cut to the window.
public struct ReportData: Sendable {
    /// Half-open, epoch milliseconds.
    public var window: Range<Int64>
    /// `YYYY-MM-DD`, every UTC day the window touches, in order.
    public var days: [String]
    /// When the report was made (an instant), shown in the header.
    public var generatedAt: String
    /// The database file the numbers come from, shown in the header.
    public var databasePath: String

    /// `events-per-minute` for every hour of the window: `time_window, event_type, event_count`, minutes in the window.
    public var eventsPerMinute: QueryResult
    /// `hourly-traffic` for every day: `hour, page_views, events`, hours that overlap the window.
    public var hourlyTraffic: QueryResult
    /// `top-pages` per day: `page_url, views`.
    public var topPages: [(day: String, result: QueryResult)]
    /// `funnel` per day: `step, name, page_views, pct_of_previous`.
    public var funnel: [(day: String, result: QueryResult)]
    /// `bounce-rate` of every day, one row each: `day, sessions, bounced, bounce_rate_pct`.
    public var bounceRate: QueryResult
    /// `top-sessions` limited to sessions active in the window: `session_id, event_count, first_activity, last_activity, user_agent`.
    public var topSessions: QueryResult
    /// `anomalies` of every day, anomalies in the window: `at, session_id, kind, details`.
    public var anomalies: QueryResult
    /// `quarantine-summary` of the runs shown, summed by reason and source: `reason, source, records`.
    public var quarantine: QueryResult
    /// The runs whose window (or, for a stream, whose running time) overlaps the report window, newest first.
    public var runs: QueryResult
    /// Source lineage: per source URL of those runs, what was read (`source, kind, runs, objects, detail`).
    public var lineage: QueryResult
    /// The Kinesis shards' checkpoints (`stream, shard_id, sequence_number, millis_behind, updated_at`).
    public var shards: QueryResult
    /// S3 objects in the manifest whose covered span overlaps the window, by bucket and partition hour.
    public var s3Objects: QueryResult

    public init(window: Range<Int64>, days: [String], generatedAt: String, databasePath: String,
                eventsPerMinute: QueryResult, hourlyTraffic: QueryResult, topPages: [(day: String, result: QueryResult)],
                funnel: [(day: String, result: QueryResult)], bounceRate: QueryResult, topSessions: QueryResult,
                anomalies: QueryResult, quarantine: QueryResult, runs: QueryResult, lineage: QueryResult,
                shards: QueryResult, s3Objects: QueryResult) {
        self.window = window
        self.days = days
        self.generatedAt = generatedAt
        self.databasePath = databasePath
        self.eventsPerMinute = eventsPerMinute
        self.hourlyTraffic = hourlyTraffic
        self.topPages = topPages
        self.funnel = funnel
        self.bounceRate = bounceRate
        self.topSessions = topSessions
        self.anomalies = anomalies
        self.quarantine = quarantine
        self.runs = runs
        self.lineage = lineage
        self.shards = shards
        self.s3Objects = s3Objects
    }
}
