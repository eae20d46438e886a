/// What the distinct new events of one hour add to the tables. Every table row is a function of one hour's events
/// except `session_metrics` and the session-level anomalies, which merge the hour's `sessions` partials with the
/// session's other hours.
public struct HourAggregate: Sendable {
    /// Hour index (epoch ms / 3,600,000).
    public var hour: Int64
    /// Fingerprints of the hour's distinct new events (appended to the stored set, which is only ever loaded into
    /// a hash table, so order does not matter).
    public var newFingerprints: [UInt64] = []
    /// No event of this hour was stored before: no row of this hour exists yet, so rows can be inserted
    /// without looking for earlier ones.
    public var fresh = false
    public var distinctNew = 0
    public var duplicates = 0
    /// `page_view` counts of the new events, per page id.
    public var pages: [(page: UInt32, count: Int)] = []
    /// Counts per event type id and minute (epoch ms of the minute start).
    public var typeMinutes: [(type: UInt32, minuteMs: Int64, count: Int)] = []
    /// Counts per session id and minute, sessions in string order.
    public var sessionMinutes: [(session: UInt32, minuteMs: Int64, count: Int)] = []
    /// Partials of the new events per session id, sessions in string order.
    public var sessions: [(session: UInt32, partial: SessionPartial)] = []

    public var hourStartMs: Int64 { hour * 3_600_000 }
}
