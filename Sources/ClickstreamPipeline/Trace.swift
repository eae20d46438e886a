import Foundation

/// Phase timings on stderr when `CLICKSTREAM_TRACE` is set: for profiling, not for users.
public enum Trace {
    public static let enabled = ProcessInfo.processInfo.environment["CLICKSTREAM_TRACE"] != nil

    /// Prints the time since `mark` under `phase`, then moves `mark` to now.
    public static func phase(_ phase: String, _ mark: inout Date) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data("trace: \(phase) \(String(format: "%.3f", now.timeIntervalSince(mark))) s\n".utf8))
        mark = now
    }
}
