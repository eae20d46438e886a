import ClickstreamCore
import ClickstreamStore
import Foundation

/// A command's row in `runs`, written when it starts (`running`) and settled once when it ends: the one place
/// replay, stream and export keep their bookkeeping. A run that ends without `finish` (a crash, SIGKILL) stays
/// `running` until the next run marks it `interrupted`.
public final class RunRecorder {
    public let runId: Int64
    let store: Store
    let started = Date()

    public init(store: Store, command: String, sources: [String], window: Range<Int64>?, rebuild: Bool) throws {
        self.store = store
        do {
            runId = try store.beginRun(.init(command: command, sources: sources, window: window, rebuild: rebuild),
                                       nowMs: Clock.nowMs())
        } catch {
            throw ClickstreamError.wrapping(error, .database, "database")
        }
    }

    /// Seconds since the run began.
    public var seconds: Double { Date().timeIntervalSince(started) }

    /// Records success (`ok`, with an optional `note` as its message) or, with a `failure` message, `failed`.
    public func finish(stats: IngestStats, rowsWritten: Int, failure: String? = nil, note: String? = nil) throws {
        try store.finishRun(runId, status: failure == nil ? "ok" : "failed", stats: stats, rowsWritten: rowsWritten,
                            seconds: seconds, message: failure ?? note, nowMs: Clock.nowMs())
    }

    /// Records that a signal stopped the run (`interrupted`), best effort, as `fail` does.
    public func interrupted(stats: IngestStats = IngestStats()) {
        try? store.finishRun(runId, status: "interrupted", stats: stats, rowsWritten: 0, seconds: seconds,
                             message: "stopped by a signal; nothing was committed", nowMs: Clock.nowMs())
    }

    /// Records `error` as the run's failure, best effort: the error that ended the run matters more than a failure
    /// to record it (a full disk, a database that went away).
    public func fail(_ error: any Error, stats: IngestStats = IngestStats(), rowsWritten: Int = 0) {
        try? finish(stats: stats, rowsWritten: rowsWritten, failure: String(describing: error))
    }
}
