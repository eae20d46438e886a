/// What a set of one session's distinct events contributes to `session_metrics` and to the session-level anomaly
/// rules, in a form that merges: the partial of a union of disjoint sets is `merge` of their partials, whatever the
/// order. Stored per (session, hour) so that `--rebuild` can forget whole hours and recompute the rest.
public struct SessionPartial: Equatable, Sendable {
    public var eventCount: Int64
    public var firstMs: Int64
    public var lastMs: Int64
    /// User agent of the latest event; ties: the greatest (byte order), absent lowest.
    public var lastAgent: String?
    /// Instant of the first event whose user agent looks like a bot, and that agent (ties: the greatest).
    public var botMs: Int64?
    public var botAgent: String?
    /// The (up to) three smallest event timestamps, with multiplicity, ascending.
    public var early: [Int64]
    /// Distinct instants of `/checkout` page views that have fewer than 3 strictly earlier events among the events
    /// of this partial — the only ones that can be `unusual_page_sequence` anomalies, since merging only adds
    /// earlier events. Ascending, at most 3.
    public var checkouts: [Int64]

    public init(eventCount: Int64, firstMs: Int64, lastMs: Int64, lastAgent: String?, botMs: Int64?, botAgent: String?,
                early: [Int64], checkouts: [Int64]) {
        self.eventCount = eventCount
        self.firstMs = firstMs
        self.lastMs = lastMs
        self.lastAgent = lastAgent
        self.botMs = botMs
        self.botAgent = botAgent
        self.early = early
        self.checkouts = checkouts
        prune()
    }

    /// `a` ranks above `b` as "the greatest user agent": absent is lowest, else byte order.
    @inlinable
    public static func agentGreater(_ a: String?, _ b: String?) -> Bool {
        guard let a else { return false }
        guard let b else { return true }
        return b.utf8.lexicographicallyPrecedes(a.utf8)
    }

    public mutating func merge(_ o: SessionPartial) {
        eventCount += o.eventCount
        firstMs = min(firstMs, o.firstMs)
        if o.lastMs > lastMs || (o.lastMs == lastMs && Self.agentGreater(o.lastAgent, lastAgent)) {
            lastMs = o.lastMs
            lastAgent = o.lastAgent
        }
        if let ob = o.botMs {
            if botMs == nil || ob < botMs! || (ob == botMs! && Self.agentGreater(o.botAgent, botAgent)) {
                botMs = ob
                botAgent = o.botAgent
            }
        }
        early = Array((early + o.early).sorted().prefix(3))
        var all = checkouts + o.checkouts
        checkouts = Aggregation.sortedUnique(&all)
        prune()
    }

    /// Drops checkout instants that now have at least 3 strictly earlier events: with `early` the three smallest
    /// timestamps, an instant `t` has fewer than 3 earlier events exactly when `early` holds fewer than 3 values
    /// below `t`.
    mutating func prune() {
        checkouts = checkouts.filter { t in early.lazy.filter { $0 < t }.count < AnomalyRules.minimumEventsBeforeCheckout }
    }

    /// Number of events strictly earlier than `t` (exact when below 3).
    public func eventsBefore(_ t: Int64) -> Int { early.lazy.filter { $0 < t }.count }

    /// Session-level anomalies of this (merged, whole-session) partial.
    public func anomalies(session: String) -> [Anomaly] {
        var out: [Anomaly] = []
        if let botMs {
            out.append(Anomaly(sessionId: session, kind: .suspiciousUserAgent, atMs: botMs, minuteKey: false,
                               details: "user agent \"\(botAgent ?? "")\" looks like a bot"))
        }
        for t in checkouts {
            let n = eventsBefore(t)
            out.append(Anomaly(sessionId: session, kind: .unusualPageSequence, atMs: t, minuteKey: false,
                               details: "checkout page view with \(n) earlier event\(n == 1 ? "" : "s") in the session"))
        }
        return out
    }
}
