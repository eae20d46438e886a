extension Store {
    /// What one run's applies (all in one transaction) know about each other: whether the session partials were
    /// empty when the run began, and which sessions the run has written. A session that is in neither can have no
    /// stored rows, so its totals come from memory instead of a read-back.
    public final class RunContext {
        var startedEmpty: Bool?
        var touchedSessions = Set<UInt64>()
        public init() {}
    }
}
