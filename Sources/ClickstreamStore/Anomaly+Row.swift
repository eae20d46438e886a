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
    }
}
