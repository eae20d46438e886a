/// Parses one JSON document into a `RawEvent`, or says exactly why it is rejected (README "Tables").
///
/// The parser is a complete validating JSON parser over bytes: the whole document is checked (UTF-8 inside
/// strings, escapes including surrogate pairs, number grammar, nesting up to 512 levels, nothing but JSON
/// whitespace after the value) before any field rule is applied, and unknown fields of any type are skipped but
/// still validated. It keeps one reusable scratch buffer for strings that contain escapes; strings without escapes
/// are views into the input. Once the buffer has grown to the largest escaped document seen, parsing allocates
/// nothing. A `RawEvent`'s views are valid until the next `parse` call on the same parser and only while the
/// input bytes live. Use one parser per thread; a copy of a parser takes its own scratch buffer on first use.
///
/// Rejections, in order of precedence when a document has several problems:
/// 1. `invalid_json`: not JSON at all (`field` is nil). Empty or whitespace-only documents are here too.
/// 2. `not_object`: valid JSON whose top-level value is not an object (`field` is nil).
/// 3. `wrong_type`: a known field is present, not null, and of the wrong JSON type. `event_type` and `session_id`
///    must be strings, `timestamp` a string or a number, and `user_id`, `page_url`, `user_agent`, `ip_address`,
///    `referrer`, `event_id` strings. Fields are checked in that order; the first offender is reported.
/// 4. `missing_field`: a required field is absent, null or the empty string, checked in the order `event_type`,
///    `session_id`, `timestamp`, then `page_url` when `event_type` is `page_view`.
/// 5. `bad_timestamp`: the `timestamp` string is not an instant `Timestamp.parseISO8601` accepts, or the number is
///    not an integer (`1.5`, `1e3`), is negative, or lies beyond year 9999.
///
/// When a key occurs more than once, the last occurrence wins (earlier ones are still validated as JSON).
public struct EventParser {
    private var scratch: ScratchBuffer

    public init() {
        scratch = ScratchBuffer()
    }

    /// Field indices in the order wrong-type checks run.
    private static let eventType = 0, sessionId = 1, timestamp = 2, userId = 3, pageUrl = 4, userAgent = 5,
                       ipAddress = 6, referrer = 7, eventId = 8

    private static let names = ["event_type", "session_id", "timestamp", "user_id", "page_url", "user_agent",
                                "ip_address", "referrer", "event_id"]

    /// The JSON kind of a known field's last occurrence.
    private enum Kind: UInt8 {
        case absent, null, string, number, boolean, object, array

        var jsonName: String {
            switch self {
            case .absent: return "nothing"
            case .null: return "null"
            case .string: return "string"
            case .number: return "number"
            case .boolean: return "boolean"
            case .object: return "object"
            case .array: return "array"
            }
        }
    }

    /// A known field's last occurrence: its kind and, for strings and numbers, its (decoded) bytes.
    private struct Slot {
        var kind: Kind = .absent
        var integer = false
        var base: UnsafePointer<UInt8>? = nil
        var count = 0

        @inline(__always) var isMissing: Bool {
            kind == .absent || kind == .null || (kind == .string && count == 0)
        }

        @inline(__always) var view: UnsafeRawBufferPointer? {
            kind == .string ? UnsafeRawBufferPointer(start: base, count: count) : nil
        }
    }

    /// Parses one document. See the type's documentation for the rules and their precedence.
    public mutating func parse(_ document: UnsafeRawBufferPointer) -> Result<RawEvent, Rejection> {
        guard let base = document.baseAddress, document.count > 0 else {
            return .failure(Rejection(.invalidJSON, "document is not valid JSON: it is empty"))
        }
        if !isKnownUniquelyReferenced(&scratch) { scratch = ScratchBuffer() }
        var s = JSONScanner(base.assumingMemoryBound(to: UInt8.self), count: document.count, scratch: scratch)
        s.skipWhitespace()
        guard s.p < s.end else {
            return .failure(Rejection(.invalidJSON, "document is not valid JSON: it is only whitespace"))
        }
        guard s.p.pointee == 0x7B else { return .failure(Self.rejectNonObject(&s)) }

        var slots = (Slot(), Slot(), Slot(), Slot(), Slot(), Slot(), Slot(), Slot(), Slot())
        guard Self.parseTopObject(&s, &slots) else { return .failure(Self.invalid(s)) }
        s.skipWhitespace()
        guard s.p == s.end else {
            _ = s.fail("unexpected characters after the value")
            return .failure(Self.invalid(s))
        }
        return withUnsafeBytes(of: &slots) { raw in
            Self.validate(raw.bindMemory(to: Slot.self).baseAddress!)
        }
    }

    // MARK: Syntax

    @inline(__always)
    private static func parseTopObject(_ s: inout JSONScanner,
                                       _ slots: inout (Slot, Slot, Slot, Slot, Slot, Slot, Slot, Slot, Slot)) -> Bool {
        s.p += 1
        s.skipWhitespace()
        guard s.p < s.end else { return s.fail("unexpected end of input") }
        if s.p.pointee == 0x7D {
            s.p += 1
            return true
        }
        while true {
            guard s.p < s.end, s.p.pointee == 0x22 else { return s.fail("expected a string key") }
            let keptOut = s.out
            guard let (kp, kn) = s.scanString(decode: true) else { return false }
            let index = fieldIndex(kp, kn)
            s.out = keptOut  // keys are not kept
            s.skipWhitespace()
            guard s.p < s.end, s.p.pointee == 0x3A else { return s.fail("expected ':' after key") }
            s.p += 1
            s.skipWhitespace()
            guard s.p < s.end else { return s.fail("unexpected end of input") }
            if index < 0 {
                guard s.skipValue(depth: 2) else { return false }
            } else {
                var slot = Slot()
                switch s.p.pointee {
                case 0x22:
                    guard let (vp, vn) = s.scanString(decode: true) else { return false }
                    slot.kind = .string
                    slot.base = vp
                    slot.count = vn
                case 0x2D, 0x30...0x39:
                    let start = s.p
                    guard let integer = s.scanNumber() else { return false }
                    slot.kind = .number
                    slot.integer = integer
                    slot.base = start
                    slot.count = s.p - start
                case 0x7B:
                    guard s.skipContainer(depth: 2) else { return false }
                    slot.kind = .object
                case 0x5B:
                    guard s.skipContainer(depth: 2) else { return false }
                    slot.kind = .array
                case 0x74:
                    guard s.scanLiteral("true") else { return false }
                    slot.kind = .boolean
                case 0x66:
                    guard s.scanLiteral("false") else { return false }
                    slot.kind = .boolean
                case 0x6E:
                    guard s.scanLiteral("null") else { return false }
                    slot.kind = .null
                default:
                    return s.fail("unexpected character")
                }
                withUnsafeMutableBytes(of: &slots) { raw in
                    raw.bindMemory(to: Slot.self)[index] = slot
                }
            }
            s.skipWhitespace()
            guard s.p < s.end else { return s.fail("unexpected end of input") }
            let c = s.p.pointee
            s.p += 1
            if c == 0x2C {
                s.skipWhitespace()
                continue
            }
            if c == 0x7D { return true }
            s.p -= 1
            return s.fail("expected ',' or '}'")
        }
    }

    /// The index in `names` of a key, or -1 for an unknown key.
    @inline(__always)
    private static func fieldIndex(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        switch n {
        case 7:
            return equals(p, "user_id") ? userId : -1
        case 8:
            switch p[0] {
            case 0x70: return equals(p, "page_url") ? pageUrl : -1
            case 0x72: return equals(p, "referrer") ? referrer : -1
            case 0x65: return equals(p, "event_id") ? eventId : -1
            default: return -1
            }
        case 9:
            return equals(p, "timestamp") ? timestamp : -1
        case 10:
            switch p[0] {
            case 0x65: return equals(p, "event_type") ? eventType : -1
            case 0x73: return equals(p, "session_id") ? sessionId : -1
            case 0x75: return equals(p, "user_agent") ? userAgent : -1
            case 0x69: return equals(p, "ip_address") ? ipAddress : -1
            default: return -1
            }
        default:
            return -1
        }
    }

    /// Whether the `name.utf8CodeUnitCount` bytes at `p` spell `name`.
    @inline(__always)
    private static func equals(_ p: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
        let w = name.utf8Start
        for i in 0..<name.utf8CodeUnitCount where p[i] != w[i] { return false }
        return true
    }

    /// The rejection of a document that does not start with `{`: `not_object` if it is otherwise valid JSON.
    private static func rejectNonObject(_ s: inout JSONScanner) -> Rejection {
        let kind: String
        switch s.p.pointee {
        case 0x5B: kind = "an array"
        case 0x22: kind = "a string"
        case 0x74, 0x66: kind = "a boolean"
        case 0x6E: kind = "null"
        default: kind = "a number"
        }
        guard s.skipValue(depth: 1) else { return invalid(s) }
        s.skipWhitespace()
        guard s.p == s.end else {
            _ = s.fail("unexpected characters after the value")
            return invalid(s)
        }
        return Rejection(.notObject, "document is \(kind), not a JSON object")
    }

    private static func invalid(_ s: JSONScanner) -> Rejection {
        Rejection(.invalidJSON, "document is not valid JSON: \(s.failure) at byte \(s.failureOffset)")
    }

    // MARK: Field rules

    @inline(__always)
    private static func validate(_ f: UnsafePointer<Slot>) -> Result<RawEvent, Rejection> {
        // wrong_type
        for i in 0..<9 {
            let k = f[i].kind
            if k == .absent || k == .null || k == .string { continue }
            if i == timestamp && k == .number { continue }
            return .failure(wrongType(i, k))
        }
        // missing_field
        for i in 0..<3 where f[i].isMissing { return .failure(missing(i, f[i])) }
        let type = f[eventType]
        if type.count == 9, equals(type.base!, "page_view"), f[pageUrl].isMissing {
            return .failure(missing(pageUrl, f[pageUrl]))
        }
        // bad_timestamp
        let ts = f[timestamp]
        let ms: Int64?
        if ts.kind == .string {
            ms = Timestamp.parseISO8601(ts.base!, ts.count)
        } else {
            ms = ts.integer ? Timestamp.parseEpochMillis(ts.base!, ts.count) : nil
        }
        guard let ms else { return .failure(badTimestamp(ts)) }
        return .success(RawEvent(eventType: f[eventType].view!, sessionId: f[sessionId].view!, timestampMs: ms,
                                 userId: f[userId].view, pageUrl: f[pageUrl].view, userAgent: f[userAgent].view,
                                 ipAddress: f[ipAddress].view, referrer: f[referrer].view,
                                 eventId: f[eventId].view))
    }

    @inline(never)
    private static func wrongType(_ i: Int, _ k: Kind) -> Rejection {
        let name = names[i]
        let expected: String
        switch i {
        case eventType, sessionId: expected = "a string"
        case timestamp: expected = "a string or an integer"
        default: expected = "a string or null"
        }
        return Rejection(.wrongType, field: name, "field \"\(name)\" must be \(expected), got \(k.jsonName)")
    }

    @inline(never)
    private static func missing(_ i: Int, _ slot: Slot) -> Rejection {
        let name = names[i]
        let state = slot.kind == .absent ? "missing" : slot.kind == .null ? "null" : "empty"
        if i == pageUrl {
            return Rejection(.missingField, field: name,
                             "field \"page_url\" is required for page_view events but is \(state)")
        }
        return Rejection(.missingField, field: name, "required field \"\(name)\" is \(state)")
    }

    @inline(never)
    private static func badTimestamp(_ slot: Slot) -> Rejection {
        let shown = String(decoding: UnsafeBufferPointer(start: slot.base, count: min(slot.count, 64)), as: UTF8.self)
            + (slot.count > 64 ? "…" : "")
        if slot.kind == .number {
            return Rejection(.badTimestamp, field: "timestamp",
                             "field \"timestamp\" must be whole epoch milliseconds from 0 through year 9999, got \(shown)")
        }
        return Rejection(.badTimestamp, field: "timestamp",
                         "field \"timestamp\" is not an ISO 8601 instant (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]): \"\(shown)\"")
    }
}
