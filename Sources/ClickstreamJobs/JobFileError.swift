/// What is wrong with a job file, naming the file, the line and the key: `jobs/x.toml:7: window.from: invalid
/// time "tomorow": …`. Always a configuration error (exit 2).
public struct JobFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; nil when the problem has no line (a missing table, an unreadable file).
    public var line: Int?
    /// `table.key`, or nil for a syntax error or an unreadable file.
    public var key: String?
    public var message: String

    public init(path: String, line: Int?, key: String?, message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        "job file \(path)" + (line.map { ":\($0)" } ?? "") + ": " + (key.map { "\($0): " } ?? "") + message
    }
}
