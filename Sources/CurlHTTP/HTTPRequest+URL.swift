import Foundation

extension HTTPRequest {
    /// The parts of `url` the signer needs, taken verbatim (no decoding).
    public struct URLParts: Equatable, Sendable {
        public var scheme: String
        /// Host, with `:port` when the URL has one.
        public var authority: String
        /// Path as written, `/` when empty.
        public var path: String
        /// Query without `?`, empty when absent.
        public var query: String
    }

    public var urlParts: URLParts {
        var rest = Substring(url)
        var scheme = "https"
        if let r = rest.range(of: "://") {
            scheme = String(rest[..<r.lowerBound]).lowercased()
            rest = rest[r.upperBound...]
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        rest = rest[authorityEnd...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var path = rest
        var query = Substring("")
        if let q = rest.firstIndex(of: "?") {
            path = rest[..<q]
            query = rest[rest.index(after: q)...]
        }
        return URLParts(scheme: scheme, authority: authority, path: path.isEmpty ? "/" : String(path), query: String(query))
    }
}
