import CurlHTTP
import Foundation

/// A small hand parser for ListObjectsV2 XML: S3 emits flat, predictable elements, so substring scanning with
/// entity decoding is enough and much faster than a DOM. An object without `Key`, `ETag` or a numeric `Size`, a
/// page without `IsTruncated`, or a truncated page without `NextContinuationToken` is an `InvalidResponse` error:
/// the listing decides what is read and what is skipped as unchanged, so it is never guessed.
enum S3ListParser {
    static func parse(_ body: [UInt8], call: AWSCall, httpStatus: Int) throws -> S3ListPage {
        func invalid(_ message: String) -> AWSError {
            AWSError(service: call.service, operation: call.operation, resource: call.resource, httpStatus: httpStatus,
                     code: "InvalidResponse", message: message, attempts: 1)
        }
        let text = String(decoding: body, as: UTF8.self)
        var objects: [S3ObjectSummary] = []
        for (i, block) in elements("Contents", in: Substring(text)).enumerated() {
            func required(_ name: String) throws -> String {
                guard let v = value(name, in: block) else { throw invalid("no Contents[\(i)].\(name) in response") }
                return v
            }
            let size = try required("Size")
            guard let bytes = Int64(size) else { throw invalid("Contents[\(i)].Size in response is not a number: \(size)") }
            // LastModified is informational (nothing decides on it), so a listing without it is still usable.
            objects.append(S3ObjectSummary(key: try required("Key"), etag: try required("ETag"), size: bytes,
                                           lastModified: value("LastModified", in: block) ?? ""))
        }
        let prefixes = elements("CommonPrefixes", in: Substring(text)).compactMap { value("Prefix", in: $0) }
        // Top-level fields: look outside the Contents blocks by taking the text after the last </Contents>.
        let tail: Substring
        if let last = text.range(of: "</Contents>", options: .backwards) { tail = text[last.upperBound...] } else { tail = Substring(text) }
        let head: Substring
        if let first = text.range(of: "<Contents>") { head = text[..<first.lowerBound] } else { head = Substring(text) }
        guard let truncated = value("IsTruncated", in: head) ?? value("IsTruncated", in: tail) else {
            throw invalid("no IsTruncated in response")
        }
        let token = value("NextContinuationToken", in: head) ?? value("NextContinuationToken", in: tail)
        if truncated == "true" && token == nil { throw invalid("IsTruncated is true but no NextContinuationToken in response") }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: token, isTruncated: truncated == "true")
    }

    static func elements(_ name: String, in text: Substring) -> [Substring] {
        var out: [Substring] = []
        var rest = text
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            out.append(rest[start.upperBound..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return out
    }

    static func value(_ name: String, in text: Substring) -> String? {
        guard let start = text.range(of: "<\(name)>"),
              let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return XMLEntities.decode(String(text[start.upperBound..<end.lowerBound]))
    }
}
