/// One row of the `anomalies` table (README "Tables").
public struct Anomaly: Equatable, Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case highFrequencyClicks = "high_frequency_clicks"
        case suspiciousUserAgent = "suspicious_user_agent"
        case unusualPageSequence = "unusual_page_sequence"
    }

    public var sessionId: String
    public var kind: Kind
    /// Epoch ms: a minute's start for `high_frequency_clicks`, an event's instant otherwise.
    public var atMs: Int64
    /// `at` is written as a `time_window` (minute) rather than an instant.
    public var minuteKey: Bool
    public var details: String

    public init(sessionId: String, kind: Kind, atMs: Int64, minuteKey: Bool, details: String) {
        self.sessionId = sessionId
        self.kind = kind
        self.atMs = atMs
        self.minuteKey = minuteKey
        self.details = details
    }

    /// The `at` column.
    public var at: String { minuteKey ? Timestamp.minuteKey(atMs) : Timestamp.instant(atMs) }
}
