#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits one archive object's (decompressed) bytes into JSON documents (README "Tables").
///
/// An object holds either one JSON document, possibly pretty-printed over many lines, or newline-delimited JSON
/// (LF or CRLF). The rule that tells them apart looks only at the first non-blank line:
/// - if it starts with `{` or `[` and that first value is still open at the end of the line (a bracket and
///   string-aware scan, not a parse), the whole object is **one document**, reported at the line where it starts.
///   A pretty-printed object therefore stays one document even when it is truncated or malformed, and gives one
///   rejection rather than one per line. The price: an NDJSON object whose *first* line is cut short is also
///   taken as one (invalid) document;
/// - otherwise the object is **newline-delimited**: every line is a document, numbered from 1, with its
///   trailing CR removed.
/// `ObjectIngest` takes the price back: when the one document is not JSON, it splits the object again by lines
/// (`lines: true`) and keeps that reading if any line is a valid event.
/// In both modes, leading and trailing JSON whitespace is trimmed from each document, blank or whitespace-only
/// lines are skipped and an empty object yields nothing. A byte order mark at the very start is skipped.
public struct ObjectSplitter {
    /// Calls `body` with each document and the 1-based line number where it starts. The document views point
    /// into `object`.
    /// With `lines: true` the object is read as newline-delimited whatever its first line looks like.
    public static func forEachDocument(in object: UnsafeRawBufferPointer, lines: Bool = false,
                                       _ body: (_ line: Int, _ document: UnsafeRawBufferPointer) -> Void) {
        guard let raw = object.baseAddress, object.count > 0 else { return }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let end = base + object.count

        // First non-whitespace byte and its line. A UTF-8 byte order mark opening the object is ignored
        // (RFC 8259 §8.1 lets parsers do so; some Windows tools write one).
        var p = base
        if object.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { p += 3 }
        var line = 1
        while p < end {
            let c = p.pointee
            if c == 0x0A { line += 1 } else if !isWhitespace(c) { break }
            p += 1
        }
        guard p < end else { return }

        if !lines && firstValueSpansLines(p, end) {
            var e = end
            while e > p && isWhitespace((e - 1).pointee) { e -= 1 }
            body(line, UnsafeRawBufferPointer(start: p, count: e - p))
            return
        }

        // Newline-delimited: p is at the start of a non-blank line numbered `line`.
        var lineStart = p
        while lineStart < end {
            let nl = findNewline(lineStart, end)
            var s = lineStart
            var e = nl
            while s < e && isWhitespace(s.pointee) { s += 1 }
            while e > s && isWhitespace((e - 1).pointee) { e -= 1 }
            if s < e { body(line, UnsafeRawBufferPointer(start: s, count: e - s)) }
            line += 1
            lineStart = nl + 1
        }
    }

    @inline(__always)
    private static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    /// The first LF at or after `p`, or `end`.
    @inline(__always)
    private static func findNewline(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        guard let hit = memchr(p, 0x0A, end - p) else { return end }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether the value starting at `p` is a container still open at the first LF (or at the end of the object).
    private static func firstValueSpansLines(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        let first = start.pointee
        guard first == 0x7B || first == 0x5B else { return false }
        let nl = findNewline(start, end)
        var depth = 0
        var inString = false
        var p = start
        while p < nl {
            let c = p.pointee
            if inString {
                if c == 0x5C {
                    p += 1
                } else if c == 0x22 {
                    inString = false
                }
            } else if c == 0x22 {
                inString = true
            } else if c == 0x7B || c == 0x5B {
                depth += 1
            } else if c == 0x7D || c == 0x5D {
                depth -= 1
                if depth == 0 { return false }
            }
            p += 1
        }
        // Still open at the end of the first line: one document if anything follows the line.
        return nl < end
    }
}
