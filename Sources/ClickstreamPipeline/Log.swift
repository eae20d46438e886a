import Foundation
import Synchronization

/// Messages for people (stderr), or one JSON object per line with `--log-format json`.
public final class Log: Sendable {
    public let json: Bool
    /// Progress lines are shown only when stderr is a terminal (or forced).
    public let showProgress: Bool
    /// One line at a time on stderr, whichever thread writes it.
    private let writing = Mutex(())

    public init(json: Bool = false, showProgress: Bool? = nil) {
        self.json = json
        self.showProgress = showProgress ?? (isatty(2) == 1)
    }

    public func info(_ message: String, _ fields: [String: Any] = [:]) { emit("info", message, fields) }
    public func warn(_ message: String, _ fields: [String: Any] = [:]) { emit("warn", message, fields) }
    public func error(_ message: String, _ fields: [String: Any] = [:]) { emit("error", message, fields) }

    /// A transient progress line (overwritten in place on a terminal; a JSON line otherwise).
    public func progress(_ message: String, _ fields: [String: Any] = [:]) {
        guard showProgress || json else { return }
        if json { emit("progress", message, fields); return }
        write("\r\u{1B}[K" + message)
    }

    public func endProgress() {
        if showProgress && !json { write("\r\u{1B}[K") }
    }

    private func emit(_ level: String, _ message: String, _ fields: [String: Any]) {
        if json {
            var o = fields
            o["level"] = level
            o["msg"] = message
            o["time"] = ISO8601DateFormatter().string(from: Date())
            if let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), let s = String(data: d, encoding: .utf8) {
                write(s + "\n")
            }
        } else {
            write((level == "info" ? "" : "\(level): ") + message + "\n")
        }
    }

    private func write(_ s: String) {
        writing.withLock { _ in FileHandle.standardError.write(Data(s.utf8)) }
    }
}
