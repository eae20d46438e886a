/// A validating RFC 8259 cursor over the bytes of one document: the machinery under `EventParser`.
///
/// Every `scan…`/`skip…` method either consumes exactly one well-formed token (validating UTF-8, escapes,
/// number grammar and nesting on the way) and returns success, or records what was wrong in `failure` and
/// `failureOffset` and returns failure. Nothing allocates: strings without escapes are returned as views of the
/// input; escaped strings are decoded into `scratch`, which is reserved to the document's length on the first
/// escape, which bounds all decoded output (decoding never lengthens a string).
struct JSONScanner {
    /// Containers may nest this deep (the top-level value is depth 1); deeper is `invalid_json`.
    static let maxDepth = 512

    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    var p: UnsafePointer<UInt8>
    /// Where the next decoded string goes; `nil` until the first escaped string that must be kept.
    var out: UnsafeMutablePointer<UInt8>?
    let scratch: ScratchBuffer
    var failure: StaticString = ""
    var failureOffset = 0

    init(_ start: UnsafePointer<UInt8>, count: Int, scratch: ScratchBuffer) {
        self.start = start
        self.end = start + count
        self.p = start
        self.scratch = scratch
    }

    /// Records why the document is not JSON at the current position; always returns `false`.
    @inline(never)
    mutating func fail(_ what: StaticString) -> Bool {
        failure = what
        failureOffset = p - start
        return false
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while p < end {
            let c = p.pointee
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            p += 1
        }
    }

    // MARK: Strings

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The first byte at or after `q` that is `"`, `\`, a control character or non-ASCII, looking 8 bytes at a
    /// time; stops early (on an ordinary byte) when fewer than 8 bytes remain.
    @inline(__always)
    func skipPlain(_ q: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var q = q
        while end - q >= 8 {
            let v = UInt64(littleEndian: UnsafeRawPointer(q).loadUnaligned(as: UInt64.self))
            let quote = v ^ 0x2222_2222_2222_2222
            let slash = v ^ 0x5C5C_5C5C_5C5C_5C5C
            // Per byte: == '"', == '\', < 0x20, >= 0x80. The lowest flagged byte is exact (borrows only
            // propagate upwards from a flagged byte).
            let m = (((quote &- Self.ones) & ~quote) | ((slash &- Self.ones) & ~slash)
                | ((v &- 0x2020_2020_2020_2020) & ~v) | v) & Self.highs
            if m != 0 { return q + (m.trailingZeroBitCount &>> 3) }
            q += 8
        }
        return q
    }

    /// Scans the string at `p` (which is `"`). With `decode`, escapes are resolved into scratch and the view is
    /// the decoded value; without, the string is only validated and the view is meaningless when it had escapes.
    @inline(__always)
    mutating func scanString(decode: Bool) -> (UnsafePointer<UInt8>, Int)? {
        p += 1
        let s = p
        while true {
            p = skipPlain(p)
            guard p < end else { _ = fail("unterminated string"); return nil }
            let c = p.pointee
            if c == 0x22 {
                p += 1
                return (s, p - 1 - s)
            }
            if c >= 0x80 {
                guard validateUTF8() else { return nil }
                continue
            }
            if c == 0x5C { return scanEscapedString(from: s, decode: decode) }
            if c < 0x20 { _ = fail("control character in string"); return nil }
            p += 1
        }
    }

    /// Continues a string from its first backslash.
    @inline(never)
    mutating func scanEscapedString(from s: UnsafePointer<UInt8>, decode: Bool) -> (UnsafePointer<UInt8>, Int)? {
        var o: UnsafeMutablePointer<UInt8>
        if decode {
            if out == nil { out = scratch.reserve(end - start) }
            o = out!
        } else {
            o = scratch.base  // never written
        }
        let outStart = o
        var run = s
        while true {
            p = skipPlain(p)
            guard p < end else { _ = fail("unterminated string"); return nil }
            let c = p.pointee
            if c == 0x22 || c == 0x5C {
                if decode {
                    let n = p - run
                    UnsafeMutableRawPointer(o).copyMemory(from: run, byteCount: n)
                    o += n
                }
                if c == 0x22 {
                    p += 1
                    guard decode else { return (s, 0) }
                    out = o
                    return (UnsafePointer(outStart), o - outStart)
                }
                p += 1
                guard p < end else { _ = fail("unterminated string"); return nil }
                var byte: UInt8
                switch p.pointee {
                case 0x22, 0x5C, 0x2F: byte = p.pointee
                case 0x62: byte = 0x08  // b
                case 0x66: byte = 0x0C  // f
                case 0x6E: byte = 0x0A  // n
                case 0x72: byte = 0x0D  // r
                case 0x74: byte = 0x09  // t
                case 0x75:  // u
                    guard let scalar = scanUnicodeEscape() else { return nil }
                    if decode { o = Self.encodeUTF8(scalar, o) }
                    run = p
                    continue
                default:
                    _ = fail("invalid escape in string")
                    return nil
                }
                if decode { o.pointee = byte; o += 1 }
                p += 1
                run = p
                continue
            }
            if c >= 0x80 {
                guard validateUTF8() else { return nil }
                continue
            }
            if c < 0x20 { _ = fail("control character in string"); return nil }
            p += 1
        }
    }

    /// At the `u` of `\uXXXX`: reads it (and its low surrogate when it is a high one), leaving `p` after it.
    private mutating func scanUnicodeEscape() -> UInt32? {
        guard end - p >= 5, let high = Self.hex4(p + 1) else { _ = fail("invalid \\u escape"); return nil }
        p += 5
        if high >= 0xD800 && high <= 0xDBFF {
            guard end - p >= 6, p[0] == 0x5C, p[1] == 0x75, let low = Self.hex4(p + 2), low >= 0xDC00, low <= 0xDFFF
            else { _ = fail("unpaired surrogate in \\u escape"); return nil }
            p += 6
            return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        }
        if high >= 0xDC00 && high <= 0xDFFF { _ = fail("unpaired surrogate in \\u escape"); return nil }
        return high
    }

    private static func hex4(_ q: UnsafePointer<UInt8>) -> UInt32? {
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = q[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private static func encodeUTF8(_ s: UInt32, _ o: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if s < 0x80 {
            o[0] = UInt8(s)
            return o + 1
        } else if s < 0x800 {
            o[0] = UInt8(0xC0 | s >> 6)
            o[1] = UInt8(0x80 | s & 0x3F)
            return o + 2
        } else if s < 0x10000 {
            o[0] = UInt8(0xE0 | s >> 12)
            o[1] = UInt8(0x80 | (s >> 6) & 0x3F)
            o[2] = UInt8(0x80 | s & 0x3F)
            return o + 3
        } else {
            o[0] = UInt8(0xF0 | s >> 18)
            o[1] = UInt8(0x80 | (s >> 12) & 0x3F)
            o[2] = UInt8(0x80 | (s >> 6) & 0x3F)
            o[3] = UInt8(0x80 | s & 0x3F)
            return o + 4
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `p` (first byte >= 0x80) per Unicode Table 3-7: no overlongs,
    /// no UTF-16 surrogates, nothing past U+10FFFF, no truncated or stray continuation bytes.
    @inline(never)
    mutating func validateUTF8() -> Bool {
        let c = p.pointee
        let avail = end - p
        if c < 0xC2 { return fail("invalid UTF-8 in string") }
        if c < 0xE0 {
            guard avail >= 2, p[1] & 0xC0 == 0x80 else { return fail("invalid UTF-8 in string") }
            p += 2
            return true
        }
        if c < 0xF0 {
            guard avail >= 3 else { return fail("invalid UTF-8 in string") }
            let b1 = p[1]
            let lo: UInt8 = c == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c == 0xED ? 0x9F : 0xBF
            guard b1 >= lo, b1 <= hi, p[2] & 0xC0 == 0x80 else { return fail("invalid UTF-8 in string") }
            p += 3
            return true
        }
        if c < 0xF5 {
            guard avail >= 4 else { return fail("invalid UTF-8 in string") }
            let b1 = p[1]
            let lo: UInt8 = c == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lo, b1 <= hi, p[2] & 0xC0 == 0x80, p[3] & 0xC0 == 0x80
            else { return fail("invalid UTF-8 in string") }
            p += 4
            return true
        }
        return fail("invalid UTF-8 in string")
    }

    // MARK: Scalars

    /// Scans `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `p`. Returns whether it was an integer (no
    /// fraction, no exponent), or `nil` when malformed. A digit right after a leading `0` is left for the caller,
    /// whose delimiter check rejects it.
    @inline(__always)
    mutating func scanNumber() -> Bool? {
        if p.pointee == 0x2D { p += 1 }
        guard p < end else { _ = fail("truncated number"); return nil }
        let first = p.pointee
        if first == 0x30 {
            p += 1
        } else if first >= 0x31 && first <= 0x39 {
            p += 1
            skipDigits()
        } else {
            _ = fail("invalid number")
            return nil
        }
        var integer = true
        if p < end && p.pointee == 0x2E {
            p += 1
            let digits = p
            skipDigits()
            guard p > digits else { _ = fail("invalid number: no digits after the decimal point"); return nil }
            integer = false
        }
        if p < end && (p.pointee | 0x20) == 0x65 {
            p += 1
            if p < end && (p.pointee == 0x2B || p.pointee == 0x2D) { p += 1 }
            let digits = p
            skipDigits()
            guard p > digits else { _ = fail("invalid number: no digits in the exponent"); return nil }
            integer = false
        }
        return integer
    }

    @inline(__always)
    private mutating func skipDigits() {
        while p < end && p.pointee &- 0x30 <= 9 { p += 1 }
    }

    /// Scans `true`, `false` or `null` (whichever `p` starts), returning false when it is not one.
    @inline(__always)
    mutating func scanLiteral(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard end - p >= n else { return fail("invalid literal") }
        let w = word.utf8Start
        for i in 0..<n where p[i] != w[i] { return fail("invalid literal") }
        p += n
        return true
    }

    /// Skips one scalar value (string, number, literal) at `p`, which must not be at the end.
    @inline(__always)
    mutating func skipScalar() -> Bool {
        switch p.pointee {
        case 0x22: return scanString(decode: false) != nil
        case 0x2D, 0x30...0x39: return scanNumber() != nil
        case 0x74: return scanLiteral("true")
        case 0x66: return scanLiteral("false")
        case 0x6E: return scanLiteral("null")
        default: return fail("unexpected character")
        }
    }

    /// Skips any value at `p` (not at the end); `depth` is the depth a container starting here would have.
    @inline(__always)
    mutating func skipValue(depth: Int) -> Bool {
        let c = p.pointee
        if c == 0x7B || c == 0x5B { return skipContainer(depth: depth) }
        return skipScalar()
    }

    // MARK: Containers

    /// Skips and validates the object or array at `p` whose depth is `depth`, iteratively (no recursion, so
    /// hostile nesting cannot exhaust the stack): a bit per open level remembers object vs array.
    @inline(never)
    mutating func skipContainer(depth startDepth: Int) -> Bool {
        var kinds = SIMD8<UInt64>()  // 512 bits: 1 = object
        var level = 0
        var depth = startDepth
        @inline(__always) func isObject(_ kinds: SIMD8<UInt64>, _ level: Int) -> Bool {
            (kinds[level &>> 6] &>> UInt64(level & 63)) & 1 == 1
        }
        open: while true {
            // p is at '{' or '[' of the container at `level`.
            guard depth <= Self.maxDepth else { return fail("nesting deeper than 512") }
            let object = p.pointee == 0x7B
            let bit: UInt64 = 1 &<< UInt64(level & 63)
            if object { kinds[level &>> 6] |= bit } else { kinds[level &>> 6] &= ~bit }
            p += 1
            skipWhitespace()
            guard p < end else { return fail("unexpected end of input") }
            var needValue = true
            if p.pointee == (object ? 0x7D : 0x5D) {
                p += 1
                if level == 0 { return true }
                level -= 1
                depth -= 1
                needValue = false
            }
            while true {
                if needValue {
                    if isObject(kinds, level) {
                        guard p < end, p.pointee == 0x22 else { return fail("expected a string key") }
                        guard scanString(decode: false) != nil else { return false }
                        skipWhitespace()
                        guard p < end, p.pointee == 0x3A else { return fail("expected ':' after key") }
                        p += 1
                        skipWhitespace()
                    }
                    guard p < end else { return fail("unexpected end of input") }
                    let c = p.pointee
                    if c == 0x7B || c == 0x5B {
                        level += 1
                        depth += 1
                        continue open
                    }
                    guard skipScalar() else { return false }
                }
                skipWhitespace()
                guard p < end else { return fail("unexpected end of input") }
                let c = p.pointee
                if c == 0x2C {
                    p += 1
                    skipWhitespace()
                    needValue = true
                    continue
                }
                if c == (isObject(kinds, level) ? 0x7D : 0x5D) {
                    p += 1
                    if level == 0 { return true }
                    level -= 1
                    depth -= 1
                    needValue = false
                    continue
                }
                return fail(isObject(kinds, level) ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }
}
