import ClickstreamCore

extension Anomaly {
    /// One stored `anomalies` row, as text.
    public struct Row: Hashable, Sendable {
        public var sessionId: String
        public var kind: String
        public var at: String
        public var details: String
        public init(sessionId: String, kind: String, at: String, details: String) {
            self.sessionId = sessionId
            self.kind = kind
            self.at = at
            self.details = details
        }

        /// What makes it the same anomaly for an alert: details change as a minute fills, and a session has one
        /// `suspicious_user_agent` row whose instant moves earlier when an earlier bot event arrives late.
        public var identity: [String] {
            kind == Anomaly.Kind.suspiciousUserAgent.rawValue ? [sessionId, kind] : [sessionId, kind, at]
        }
    }
}
