import ClickstreamPipeline
import Foundation

/// Standard output, checked: a write that fails (a full disk, `> /dev/full`) fails the command with exit 1
/// instead of being lost, and a reader that went away (`| head -1`) ends it quietly, as `cat` or `grep` do.
enum Console {
    /// Unbuffered `write(2)`s: each call is one string, and an error is seen at the call that caused it.
    static func out(_ text: String, terminator: String = "\n") throws {
        var bytes = Array((text + terminator).utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                try failed(errno)
            }
            done += n
        }
    }

    private static func failed(_ code: Int32) throws {
        if code == EPIPE { exit(0) }
        throw ClickstreamError(.sink, "stdout", String(cString: strerror(code)))
    }

    /// The terminal's width in columns when stdout is one (tables are cut to it), else nil.
    static var terminalWidth: Int? {
        guard isatty(1) == 1 else { return nil }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init)
    }

    /// A summary: its paragraph, or with `--log-format json` one JSON object (`event`, `msg` and the fields).
    static func summary(_ event: String, _ paragraph: String, _ fields: [String: Any], log: Log) throws {
        if log.quiet { return }
        try out(log.json ? Log.jsonLine(nil, event, paragraph, fields) : paragraph)
    }
}
