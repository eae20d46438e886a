/// Why a local archive could not be opened or listed. The description names the path and the cause.
public struct LocalArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The root (as given by the user) does not exist.
        case rootNotFound
        /// The root exists but is not a directory.
        case rootNotDirectory
        /// The root or a directory below it cannot be opened or read; the payload is the system's reason.
        case unreadable(String)
        /// A `file://` URL this reader does not handle (another host, bad percent-encoding).
        case unsupportedURL(String)
    }

    /// The path (or URL) concerned, as the user would recognise it.
    public var path: String
    public var kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .rootNotFound: return "archive root '\(path)' does not exist"
        case .rootNotDirectory: return "archive root '\(path)' is not a directory"
        case .unreadable(let reason): return "archive directory '\(path)' is not readable: \(reason)"
        case .unsupportedURL(let reason): return "archive URL '\(path)' is not supported: \(reason)"
        }
    }
}
