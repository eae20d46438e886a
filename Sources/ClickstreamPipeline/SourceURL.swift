/// A source as the user writes it (docs/cli.md).
public enum SourceURL: Equatable, Sendable, CustomStringConvertible {
    /// A local copy of the archive (`./archive`, `/data/archive`, `file:///data/archive`).
    case local(path: String)
    /// `s3://bucket/prefix`
    case s3(bucket: String, prefix: String)
    /// `kinesis://stream-name`
    case kinesis(stream: String)

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(parsing text: String) throws {
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            let bucket = rest.prefix { $0 != "/" }
            guard !bucket.isEmpty else { throw ParseError(description: "source \(text): an S3 URL needs a bucket, as in s3://bucket/prefix") }
            // The bucket goes into the request's host name: `localhost:20199#` would point the client elsewhere.
            // Letters, digits, `.`, `-` (and `_`, `A-Z` for legacy us-east-1 buckets) only.
            guard bucket.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_") }) else {
                throw ParseError(description: "source \(text): \"\(bucket)\" is not an S3 bucket name (letters, digits, '.', '-' and '_' only)")
            }
            var prefix = String(rest.dropFirst(bucket.count))
            if prefix.hasPrefix("/") { prefix.removeFirst() }
            self = .s3(bucket: String(bucket), prefix: prefix)
        } else if text.hasPrefix("kinesis://") {
            let name = String(text.dropFirst(10)).trimmingSuffix("/")
            // A stream ARN (arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME) is the one name with a slash in it.
            let isARN = name.hasPrefix("arn:") && name.split(separator: ":", omittingEmptySubsequences: false).count == 6
                && name.split(separator: ":").last.map { $0.hasPrefix("stream/") && $0.count > 7 && $0.filter { $0 == "/" }.count == 1 } == true
            guard !name.isEmpty, isARN || (!name.contains("/") && !name.hasPrefix("arn:")) else {
                throw ParseError(description: "source \(text): a Kinesis URL is kinesis://stream-name or kinesis://arn:aws:kinesis:REGION:ACCOUNT:stream/NAME")
            }
            self = .kinesis(stream: name)
        } else if text.hasPrefix("file:") {
            do { self = .local(path: try FileURL.path(of: text)) } catch let e as FileURL.Invalid {
                throw ParseError(description: "source \(text): \(e.reason)")
            }
        } else if text.contains("://") {
            throw ParseError(description: "source \(text): unknown scheme; use a path, file://, s3:// or kinesis://")
        } else {
            guard !text.isEmpty else { throw ParseError(description: "source is empty") }
            self = .local(path: text)
        }
    }

    public var description: String {
        switch self {
        case .local(let p): return p
        case .s3(let b, let p): return "s3://\(b)/\(p)"
        case .kinesis(let s): return "kinesis://\(s)"
        }
    }
}

extension String {
    func trimmingSuffix(_ c: Character) -> String {
        var s = self
        while s.last == c { s.removeLast() }
        return s
    }
}
