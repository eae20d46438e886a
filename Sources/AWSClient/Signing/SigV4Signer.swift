import CurlHTTP
import Foundation
import Synchronization

/// AWS Signature Version 4 (header form) for one credential/region/service.
///
/// Canonical URI: for `s3` the path is percent-decoded and encoded once per segment (`/` kept), without dot-segment
/// normalisation; for every other service the path is normalised (`.`/`..`/empty segments removed) and encoded a
/// second time, as AWS documents. Every header the request carries is signed except `user-agent`, `expect`,
/// `authorization` and `x-amzn-trace-id`. The signer adds `host` (when absent), `x-amz-date`,
/// `x-amz-security-token` (when the credentials have a session token) and, for S3, `x-amz-content-sha256`.
/// Signing keys are cached per (secret, date, region, service). Safe to use from several threads.
///
/// The transport passes the credentials with every request (`sign(_:credentials:date:)`), read from its
/// `CredentialCache` at that moment, so rotated temporary keys take effect on the next request.
public final class SigV4Signer: Sendable {
    /// The credentials `sign(_:date:)` uses; the transport's signers have none and are given them per request.
    public let credentials: AWSCredentials?
    public let region: String
    /// The signing name: `s3`, `kinesis`, `dynamodb`, ...
    public let service: String

    /// The signing key of the last day signed for: it changes once a day, and deriving it costs four HMACs.
    private let cachedKey = Mutex<(secret: String, date: String, key: [UInt8])?>(nil)

    public init(credentials: AWSCredentials?, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    public convenience init(region: String, service: String) {
        self.init(credentials: nil, region: region, service: service)
    }

    static let unsignedHeaders: Set<String> = ["user-agent", "expect", "authorization", "x-amzn-trace-id"]

    /// Returns `request` with the SigV4 headers and `Authorization` added.
    public func sign(_ request: HTTPRequest, date: Date = Date()) -> HTTPRequest {
        guard let credentials else { preconditionFailure("SigV4Signer.sign(_:date:) needs a signer built with credentials") }
        return sign(request, credentials: credentials, date: date)
    }

    /// Returns `request` signed with `credentials`.
    public func sign(_ request: HTTPRequest, credentials: AWSCredentials, date: Date = Date()) -> HTTPRequest {
        var request = request
        let (amzDate, day) = Self.timestamps(date)
        let parts = request.urlParts
        if request.header("host") == nil {
            request.headers.insert(HTTPHeader("Host", Self.hostHeader(parts)), at: 0)
        }
        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        let payloadHash: String
        if let given = request.header("x-amz-content-sha256") {
            payloadHash = given
        } else {
            payloadHash = Crypto.hex(Crypto.sha256(request.body))
            if service == "s3" { request.setHeader("X-Amz-Content-SHA256", payloadHash) }
        }
        let (canonical, signedHeaders) = canonicalRequest(request, parts: parts, payloadHash: payloadHash)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Crypto.hex(Crypto.sha256(Array(canonical.utf8))))"
        let signature = Crypto.hex(Crypto.hmacSHA256(key: signingKey(secret: credentials.secretAccessKey, day: day), data: Array(stringToSign.utf8)))
        request.setHeader(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)")
        return request
    }

    /// The canonical request string and the `SignedHeaders` list, for a request that already carries its headers.
    func canonicalRequest(_ request: HTTPRequest, parts: HTTPRequest.URLParts, payloadHash: String) -> (String, String) {
        var grouped: [String: [String]] = [:]
        for h in request.headers {
            let name = h.name.lowercased()
            if Self.unsignedHeaders.contains(name) { continue }
            grouped[name, default: []].append(Self.trimHeaderValue(h.value))
        }
        let names = grouped.keys.sorted()
        var canonicalHeaders = ""
        for name in names {
            canonicalHeaders += "\(name):\(grouped[name]!.joined(separator: ","))\n"
        }
        let signedHeaders = names.joined(separator: ";")
        let uri = Self.canonicalURI(parts.path, service: service)
        let query = Self.canonicalQuery(parts.query)
        let canonical = "\(request.method.uppercased())\n\(uri)\n\(query)\n\(canonicalHeaders)\n\(signedHeaders)\n\(payloadHash)"
        return (canonical, signedHeaders)
    }

    static func canonicalURI(_ path: String, service: String) -> String {
        if service == "s3" {
            return PercentEncoding.encode(PercentEncoding.decode(path), keepSlash: true)
        }
        return PercentEncoding.encode(normalizePath(path), keepSlash: true)
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments, keeping a trailing slash.
    static func normalizePath(_ path: String) -> String {
        var out: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = out.popLast(); continue }
            out.append(segment)
        }
        var result = "/" + out.joined(separator: "/")
        if path.hasSuffix("/") && result != "/" { result += "/" }
        return result
    }

    /// Decodes then re-encodes each name and value (RFC 3986), sorts by name then value, joins with `&`.
    static func canonicalQuery(_ query: String) -> String {
        if query.isEmpty { return "" }
        var pairs: [(String, String)] = []
        for item in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let eq = item.firstIndex(of: "=") {
                name = item[..<eq]
                value = item[item.index(after: eq)...]
            } else {
                name = item
                value = ""
            }
            pairs.append((PercentEncoding.encode(PercentEncoding.decode(name)), PercentEncoding.encode(PercentEncoding.decode(value))))
        }
        pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    static func trimHeaderValue(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in value {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(ch)
            }
        }
        return out
    }

    static func hostHeader(_ parts: HTTPRequest.URLParts) -> String {
        let a = parts.authority
        if parts.scheme == "http", a.hasSuffix(":80") { return String(a.dropLast(3)) }
        if parts.scheme == "https", a.hasSuffix(":443") { return String(a.dropLast(4)) }
        return a
    }

    /// (`YYYYMMDDTHHMMSSZ`, `YYYYMMDD`) in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let day = pad(tm.tm_year + 1900, 4) + pad(tm.tm_mon + 1, 2) + pad(tm.tm_mday, 2)
        return (day + "T" + pad(tm.tm_hour, 2) + pad(tm.tm_min, 2) + pad(tm.tm_sec, 2) + "Z", day)
    }

    private func signingKey(secret: String, day: String) -> [UInt8] {
        // Not held while deriving: two threads that start a new day at once both derive the same key.
        if let cached = cachedKey.withLock({ $0 }), cached.date == day, cached.secret == secret { return cached.key }
        let kDate = Crypto.hmacSHA256(key: Array("AWS4\(secret)".utf8), data: Array(day.utf8))
        let kRegion = Crypto.hmacSHA256(key: kDate, data: Array(region.utf8))
        let kService = Crypto.hmacSHA256(key: kRegion, data: Array(service.utf8))
        let key = Crypto.hmacSHA256(key: kService, data: Array("aws4_request".utf8))
        cachedKey.withLock { $0 = (secret, day, key) }
        return key
    }
}
