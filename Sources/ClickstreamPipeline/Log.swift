import ClickstreamCore
import Foundation
import Synchronization

/// Messages for people on stderr, or — with `--log-format json` — one JSON object per line with a stable schema:
/// `time` (ISO 8601 UTC with milliseconds), `level` (`info`, `warn`, `error`, `progress`), `event` (a stable name
/// such as `replay_summary`, `shard_new`, `error`), `msg` (the text line) and the event's own fields. Text lines
/// are escaped (`String.escapingControlCharacters`) because they carry data from the events (a user agent with
/// ESC or CR in it must not repaint the terminal or forge a line).
public final class Log: Sendable {
    public let json: Bool
    /// Progress lines: on a terminal, or when forced with `--progress`.
    public let showProgress: Bool
    /// `-q`: no info or progress lines (warnings and errors still go out).
    public let quiet: Bool
    /// Level prefixes in colour (`--color`, auto: when stderr is a terminal and NO_COLOR is unset).
    public let color: Bool
    /// One line at a time on stderr, whichever thread writes it.
    private let writing = Mutex(())

    public init(json: Bool = false, showProgress: Bool? = nil, quiet: Bool = false, color: Bool? = nil) {
        self.json = json
        self.quiet = quiet
        self.showProgress = !quiet && (showProgress ?? (isatty(2) == 1))
        self.color = !json && (color ?? (isatty(2) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil))
    }

    public func info(_ message: String, _ fields: [String: Any] = [:], event: String = "message") {
        if !quiet { emit("info", event, message, fields) }
    }
    public func warn(_ message: String, _ fields: [String: Any] = [:], event: String = "warning") { emit("warn", event, message, fields) }
    public func error(_ message: String, _ fields: [String: Any] = [:], event: String = "error") { emit("error", event, message, fields) }

    /// A transient progress line (overwritten in place on a terminal; a JSON line with `--progress`).
    public func progress(_ message: String, _ fields: [String: Any] = [:]) {
        guard showProgress else { return }
        if json { emit("progress", "progress", message, fields); return }
        write("\r\u{1B}[K" + message.escapingControlCharacters)
    }

    public func endProgress() {
        if showProgress && !json { write("\r\u{1B}[K") }
    }

    /// The JSON line of an event (also used for the summaries printed on stdout).
    public static func jsonLine(_ level: String?, _ event: String, _ message: String, _ fields: [String: Any]) -> String {
        var o = fields
        if let level { o["level"] = level }
        o["event"] = event
        o["msg"] = message
        o["time"] = Timestamp.instant(Clock.nowMs())
        guard JSONSerialization.isValidJSONObject(o),
              let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]),
              let s = String(data: d, encoding: .utf8) else {
            return #"{"event":"\#(event)","level":"error","msg":"(log fields could not be encoded)"}"#
        }
        return s
    }

    private func emit(_ level: String, _ event: String, _ message: String, _ fields: [String: Any]) {
        if json {
            write(Self.jsonLine(level, event, message, fields) + "\n")
            return
        }
        let text = message.escapingControlCharacters
        switch level {
        case "info": write(text + "\n")
        default:
            let prefix = color ? (level == "error" ? "\u{1B}[31m\(level):\u{1B}[0m " : "\u{1B}[33m\(level):\u{1B}[0m ") : "\(level): "
            write(prefix + text + "\n")
        }
    }

    private func write(_ s: String) {
        writing.withLock { _ in FileHandle.standardError.write(Data(s.utf8)) }
    }
}
