extension Store {
    /// What the applies of one transaction know about each other. A whole run (`deferSessions`) spills each
    /// apply's session groups to a scratch file and writes every session once, merged, at `finishRun`: a session
    /// seen by ten batches costs one write, in id order, instead of ten scattered ones, and memory stays one
    /// batch's worth however long the window.
    public final class RunContext {
        let defersSessions: Bool
        /// Whether `_session_hours` was empty, and which hours had events stored, when the first apply began.
        var startedEmpty: Bool?
        var storedAtStart: Set<Int64> = []
        var spill: SpillFile?
        var runs: [Range<Int64>] = []

        public init(deferSessions: Bool = false) {
            defersSessions = deferSessions
        }

        /// Session groups waiting in the scratch file (for progress).
        public var spilledBytes: Int64 { spill?.size ?? 0 }
    }
}
