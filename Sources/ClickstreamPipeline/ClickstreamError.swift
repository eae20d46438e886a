/// The one error a command ends with: what kind of thing failed, which one (a file, key, shard, table, job), and
/// why. Its exit code (docs/cli.md: 1 a source or sink failed, 2 usage or configuration) is decided here and only here,
/// so the same failure exits the same way from every command.
public struct ClickstreamError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// A bad flag, TIME, URL, or job file value.
        case usage
        /// Missing or bad settings: AWS credentials or region, a DynamoDB table with the wrong keys.
        case configuration
        /// The database is held by another writer.
        case busy
        /// A source failed: a missing archive or bucket or stream, an AWS error after retries.
        case source
        /// The store failed: SQLite, a missing database, a database of another schema version.
        case database
        /// A sink failed: the DynamoDB export, a query or its output file.
        case sink
        /// Stopped by SIGINT or SIGTERM before it could finish (exit 130, as a shell reports Ctrl-C).
        case interrupted
    }

    public let kind: Kind
    /// What failed, as a person names it: `source s3://bucket/prefix`, `database x.sqlite`, `job nightly: replay`.
    public let subject: String?
    /// Why, in one sentence (the underlying error's own text when there is one).
    public let message: String

    public init(_ kind: Kind, _ subject: String?, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    /// `subject: <error>`; an error that already is a `ClickstreamError` is kept as it is (it knows more).
    public static func wrapping(_ error: any Error, _ kind: Kind, _ subject: String?) -> ClickstreamError {
        if let e = error as? ClickstreamError { return e }
        return ClickstreamError(kind, subject, String(describing: error))
    }

    public var exitCode: Int32 {
        switch kind {
        case .usage, .configuration, .busy: return 2
        case .source, .database, .sink: return 1
        case .interrupted: return 130
        }
    }

    public var description: String { subject.map { "\($0): \(message)" } ?? message }

    /// The same error seen from an outer step (`job nightly: replay: …`), with its kind and exit code kept.
    public func within(_ context: String) -> ClickstreamError {
        ClickstreamError(kind, subject.map { "\(context): \($0)" } ?? context, message)
    }
}
