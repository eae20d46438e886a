import Foundation

/// A small hand parser for ListObjectsV2 XML: S3 emits flat, predictable elements, so substring scanning with
/// entity decoding is enough and much faster than a DOM.
enum S3ListParser {
    static func parse(_ body: [UInt8]) -> S3ListPage {
        let text = String(decoding: body, as: UTF8.self)
        var objects: [S3ObjectSummary] = []
        for block in elements("Contents", in: Substring(text)) {
            objects.append(S3ObjectSummary(
                key: value("Key", in: block) ?? "",
                etag: value("ETag", in: block) ?? "",
                size: Int64(value("Size", in: block) ?? "") ?? 0,
                lastModified: value("LastModified", in: block) ?? ""))
        }
        let prefixes = elements("CommonPrefixes", in: Substring(text)).compactMap { value("Prefix", in: $0) }
        // Top-level fields: look outside the Contents blocks by taking the text after the last </Contents>.
        let tail: Substring
        if let last = text.range(of: "</Contents>", options: .backwards) { tail = text[last.upperBound...] } else { tail = Substring(text) }
        let head: Substring
        if let first = text.range(of: "<Contents>") { head = text[..<first.lowerBound] } else { head = Substring(text) }
        let truncated = (value("IsTruncated", in: head) ?? value("IsTruncated", in: tail)) == "true"
        let token = value("NextContinuationToken", in: head) ?? value("NextContinuationToken", in: tail)
        return S3ListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: token, isTruncated: truncated)
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
