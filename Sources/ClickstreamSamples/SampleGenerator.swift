import ClickstreamCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Deterministic synthetic clickstream archives for demos, tests and the benchmark.
///
/// The same `Options` (seed included) always produce byte-identical files. Every valid event's own `timestamp`
/// falls in its file's partition hour, except `neighbourHourRate` of them placed in the adjacent hour's partition
/// (as real archives do). Within a session timestamps strictly increase, so events without an `event_id` are still
/// distinct; duplicates are exact byte copies of an event. Depends on Foundation and Glibc only.
public struct SampleGenerator: Sendable {
    public struct Options: Sendable {
        /// PRNG seed (SplitMix64).
        public var seed: UInt64 = 42
        /// Epoch milliseconds of the first hour (truncated to the hour).
        public var startHourMs: Int64 = 1_751_518_800_000 // 2025-07-03T05:00:00Z
        public var hours: Int = 2
        /// Distinct valid events to generate (duplicates and bad lines come on top).
        public var events: Int = 10_000
        public var meanEventsPerSession: Int = 25
        /// Extra exact copies, as a fraction of `events`.
        public var duplicateRate: Double = 0.01
        /// Bad lines, as a fraction of `events`.
        public var badLineRate: Double = 0.001
        /// Events written to the adjacent hour's partition.
        public var neighbourHourRate: Double = 0.005
        /// Sessions with a bot user agent.
        public var botSessionRate: Double = 0.02
        /// Sessions that view `/checkout` as one of their first three events.
        public var earlyCheckoutSessionRate: Double = 0.005
        /// Sessions with more than 50 events in one minute, per 10,000 events (at least one when events >= 1,000).
        public var burstySessionsPer10k: Double = 1

        public init() {}
        public init(seed: UInt64, startHourMs: Int64, hours: Int, events: Int) {
            self.seed = seed
            self.startHourMs = startHourMs
            self.hours = hours
            self.events = events
        }
    }

    /// What was written.
    public struct Report: Equatable, Sendable {
        /// Valid event documents written, duplicates included.
        public var events = 0
        public var distinctEvents = 0
        public var duplicates = 0
        public var badLines = 0
        public var files = 0
        public var bytes = 0
        public init() {}
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    // MARK: writers

    /// The production layout: `year=2025/month=7/day=3/hour=5/<uuid>.json`, one JSON object per file; a duplicate is
    /// a second file with the same bytes, a bad line a file of its own. File names are derived from the seed.
    @discardableResult
    public func writeOneEventPerFile(to dir: String) throws -> Report {
        let plan = makePlan()
        var report = plan.report
        var line: [UInt8] = []
        line.reserveCapacity(1024)
        var createdDirs = Set<Int>()
        for (n, i) in plan.order.enumerated() {
            let e = plan.entries[i]
            let hourDir = dir + "/" + partitionPath(hour: e.partition)
            if createdDirs.insert(Int(e.partition)).inserted { try makeDirectory(hourDir) }
            line.removeAll(keepingCapacity: true)
            plan.serialize(e, into: &line)
            let name = uuidLike(mix(options.seed ^ 0xF11E_0000_0000_0000, UInt64(n))) + ".json"
            try writeFile(hourDir + "/" + name, line)
            report.files += 1
            report.bytes += line.count
        }
        return report
    }

    /// One file per hour, `year=.../hour=H/events.ndjson` (`.ndjson.gz` with `gzip`), LF-separated lines in time order.
    /// The gzip members use stored (uncompressed) deflate blocks: valid gzip, written without zlib.
    @discardableResult
    public func writeNDJSON(to dir: String, gzip: Bool = false) throws -> Report {
        let plan = makePlan()
        var report = plan.report
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var start = 0
        while start < plan.order.count {
            let partition = plan.entries[plan.order[start]].partition
            var end = start
            buffer.removeAll(keepingCapacity: true)
            while end < plan.order.count, plan.entries[plan.order[end]].partition == partition {
                plan.serialize(plan.entries[plan.order[end]], into: &buffer)
                buffer.append(0x0A)
                end += 1
            }
            let hourDir = dir + "/" + partitionPath(hour: partition)
            try makeDirectory(hourDir)
            let bytes = gzip ? Gzip.stored(buffer) : buffer
            try writeFile(hourDir + (gzip ? "/events.ndjson.gz" : "/events.ndjson"), bytes)
            report.files += 1
            report.bytes += bytes.count
            start = end
        }
        return report
    }

    // MARK: plan

    /// One line to write: a valid event (or its duplicate) or a bad line.
    struct Entry {
        var ts: Int64
        var session: UInt32
        var seq: UInt16
        var type: UInt8
        /// 0 ISO `Z`, 1 `+02:00`, 2 epoch millis.
        var tsForm: UInt8
        var page: UInt32
        /// Partition hour (epoch hours).
        var partition: Int32
        /// 0 valid, 1...6 a bad-line kind.
        var bad: UInt8
        var hasEventId: Bool
    }

    struct Session {
        var agent: UInt16
        var ip: UInt32
        var user: Int32 // -1: null
        var referrer: UInt8
    }

    struct Plan {
        var entries: [Entry] = []
        var sessions: [Session] = []
        var order: [Int] = []
        var report = Report()
        let seed: UInt64

        func serialize(_ e: Entry, into out: inout [UInt8]) {
            let s = sessions[Int(e.session)]
            if e.bad == 2 {
                out.append(contentsOf: Array("[1,2,\(e.session),\(e.seq)]".utf8))
                return
            }
            let lineStart = out.count
            out.append(0x7B)
            if e.hasEventId {
                out.append(contentsOf: Lits.eventId)
                appendUUID(mix(seed ^ 0xE7E7, UInt64(e.session) << 16 | UInt64(e.seq)), into: &out)
                out.append(contentsOf: Lits.quoteComma)
            }
            if e.bad != 3 {
                out.append(contentsOf: Lits.sessionId)
                appendHex(mix(seed ^ 0x5E55, UInt64(e.session)), digits: 16, into: &out)
                if e.bad == 6 { out.append(0xFF); out.append(0xFE) }
                out.append(contentsOf: Lits.quoteComma)
            }
            // Anonymous sessions: `user_id` null in some, absent in others.
            if s.user >= 0 {
                out.append(contentsOf: Lits.userId)
                out.append(contentsOf: Lits.userPrefix)
                appendDecimal(Int64(s.user), into: &out)
                out.append(0x22)
                out.append(0x2C)
            } else if e.session & 1 == 0 {
                out.append(contentsOf: Lits.userId)
                out.append(contentsOf: Lits.null)
                out.append(0x2C)
            }
            out.append(contentsOf: Lits.eventType)
            if e.bad == 4 {
                out.append(0x37)
            } else {
                out.append(0x22)
                out.append(contentsOf: Catalog.types[Int(e.type)])
                out.append(0x22)
            }
            out.append(contentsOf: Lits.pageUrl)
            Catalog.appendPage(Int(e.page), into: &out)
            out.append(contentsOf: Lits.timestamp)
            if e.bad == 5 {
                out.append(contentsOf: Array("\"2025-02-30T10:00:00Z\"".utf8))
            } else if e.tsForm == 2 {
                appendDecimal(e.ts, into: &out)
            } else {
                out.append(0x22)
                appendISO(e.tsForm == 1 ? e.ts + 7_200_000 : e.ts, into: &out)
                out.append(contentsOf: e.tsForm == 1 ? Lits.plusTwo : Lits.zulu)
                out.append(0x22)
            }
            out.append(contentsOf: Lits.userAgent)
            out.append(contentsOf: Catalog.agents[Int(s.agent)])
            out.append(contentsOf: Lits.ipAddress)
            appendDecimal(Int64(s.ip >> 24), into: &out); out.append(0x2E)
            appendDecimal(Int64((s.ip >> 16) & 0xFF), into: &out); out.append(0x2E)
            appendDecimal(Int64((s.ip >> 8) & 0xFF), into: &out); out.append(0x2E)
            appendDecimal(Int64(s.ip & 0xFF), into: &out)
            if e.seq == 0 {
                // The external referrer comes with the landing event only.
                out.append(contentsOf: Lits.referrer)
                out.append(contentsOf: Catalog.referrers[Int(s.referrer)])
            } else {
                out.append(0x22)
            }
            out.append(0x7D)
            if e.bad == 1 {
                out.removeLast((out.count - lineStart) / 2)
            }
        }
    }

    func makePlan() -> Plan {
        let o = options
        var rng = SplitMix64(seed: o.seed)
        var plan = Plan(seed: o.seed)
        let startMs = o.startHourMs - o.startHourMs % 3_600_000
        let firstHour = Int32(startMs / 3_600_000)
        let hours = max(1, o.hours)
        let spanMs = Int64(hours) * 3_600_000
        let endMs = startMs + spanMs
        plan.entries.reserveCapacity(o.events + o.events / 50 + 16)

        let burstTarget = o.events >= 1_000 ? max(1, Int(Double(o.events) * o.burstySessionsPer10k / 10_000)) : 0
        var bursts = 0
        var produced = 0
        while produced < o.events {
            let sessionIndex = UInt32(plan.sessions.count)
            let bot = rng.chance(o.botSessionRate)
            let agent = bot ? UInt16(Catalog.browserAgents + rng.below(Catalog.botAgents))
                            : UInt16(rng.below(Catalog.browserAgents))
            plan.sessions.append(Session(
                agent: agent,
                ip: UInt32(truncatingIfNeeded: rng.next()) | 0x0100_0000,
                user: rng.chance(0.35) ? -1 : Int32(rng.below(200_000)),
                referrer: UInt8(rng.below(Catalog.referrers.count))))

            let bursty = bursts < burstTarget && rng.chance(0.02)
            let early = !bursty && rng.chance(o.earlyCheckoutSessionRate)
            var count: Int
            if bursty {
                count = 55 + rng.below(20)
                bursts += 1
            } else if rng.chance(0.12) {
                count = 1 // bounces
            } else {
                // Roughly exponential around the mean, capped.
                let u = max(1e-9, rng.unit())
                count = min(4 * o.meanEventsPerSession, max(2, Int(-log(u) * Double(o.meanEventsPerSession) * 1.1)))
            }
            count = min(count, o.events - produced)

            var ts: Int64
            if bursty {
                let minute = (startMs + Int64(rng.below(Int(spanMs / 60_000)))) / 60_000 * 60_000
                ts = min(minute, endMs - 60_000) / 60_000 * 60_000 + Int64(rng.below(5_000))
            } else {
                ts = startMs + Int64(rng.below(Int(spanMs)))
            }
            var page = Catalog.landingPage(&rng)
            let earlyStep = early ? rng.below(3) : -1
            for seq in 0..<count {
                if seq > 0 { ts += bursty ? Int64(100 + rng.below(600)) : Int64(5_000 + rng.below(35_000)) }
                if ts >= endMs { break }
                var type: UInt8
                if seq == earlyStep {
                    type = 0
                    page = Catalog.checkoutPage
                } else {
                    type = Catalog.eventType(&rng)
                    if type == 0 && seq > 0 { page = Catalog.nextPage(from: page, step: seq, &rng) }
                }
                let r = rng.unit()
                let tsForm: UInt8 = r < 0.015 ? 1 : (r < 0.03 ? 2 : 0)
                var partition = Int32(ts / 3_600_000)
                if rng.chance(o.neighbourHourRate) && hours > 1 {
                    let up = partition + 1 < firstHour + Int32(hours)
                    partition += up ? 1 : -1
                }
                plan.entries.append(Entry(ts: ts, session: sessionIndex, seq: UInt16(seq), type: type, tsForm: tsForm,
                                          page: UInt32(page), partition: partition, bad: 0, hasEventId: rng.chance(0.25)))
                produced += 1
            }
        }
        let distinct = plan.entries.count

        // Exact duplicates, next to their original's partition.
        let duplicates = Int((Double(distinct) * o.duplicateRate).rounded())
        for _ in 0..<duplicates {
            plan.entries.append(plan.entries[rng.below(distinct)])
        }
        // Bad lines, each kind in turn, in random hours; session indexes past the real ones keep them distinct.
        let badLines = Int((Double(distinct) * o.badLineRate).rounded())
        for k in 0..<badLines {
            let ts = startMs + Int64(rng.below(Int(spanMs)))
            plan.entries.append(Entry(ts: ts, session: UInt32(rng.below(plan.sessions.count)), seq: UInt16(60_000 + k % 5_000),
                                      type: Catalog.eventType(&rng), tsForm: 0, page: UInt32(Catalog.landingPage(&rng)),
                                      partition: Int32(ts / 3_600_000), bad: UInt8(1 + k % 6), hasEventId: true))
        }

        // Partition, then time, then generation order.
        plan.order = Array(0..<plan.entries.count)
        plan.entries.withUnsafeBufferPointer { e in
            plan.order.sort { a, b in
                let x = e[a], y = e[b]
                if x.partition != y.partition { return x.partition < y.partition }
                if x.ts != y.ts { return x.ts < y.ts }
                return a < b
            }
        }
        plan.report.events = distinct + duplicates
        plan.report.distinctEvents = distinct
        plan.report.duplicates = duplicates
        plan.report.badLines = badLines
        return plan
    }

    // MARK: helpers

    /// `year=2025/month=7/day=3/hour=5` for an epoch hour (not zero-padded, as the production Lambda writes).
    public static func partitionPath(hourMs: Int64) -> String {
        let (y, m, d) = civil(days: hourMs / 86_400_000)
        return "year=\(y)/month=\(m)/day=\(d)/hour=\((hourMs % 86_400_000) / 3_600_000)"
    }

    func partitionPath(hour: Int32) -> String { Self.partitionPath(hourMs: Int64(hour) * 3_600_000) }

    func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        let closed = fclose(f)
        guard written == bytes.count, closed == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    func uuidLike(_ x: UInt64) -> String {
        var out: [UInt8] = []
        appendUUID(x, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

// MARK: - formatting without Foundation per event

/// (year, month, day) of days since 1970-01-01, from the core's calendar arithmetic.
func civil(days: Int64) -> (Int64, Int64, Int64) {
    let c = Timestamp.civil(days * 86_400_000)
    return (Int64(c.year), Int64(c.month), Int64(c.day))
}

@inline(__always) private func append2(_ v: Int64, into out: inout [UInt8]) {
    out.append(0x30 + UInt8(v / 10)); out.append(0x30 + UInt8(v % 10))
}

/// `YYYY-MM-DDTHH:MM:SS.mmm` (no zone) of epoch milliseconds.
func appendISO(_ ms: Int64, into out: inout [UInt8]) {
    let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
    let rem = ms - days * 86_400_000
    let (y, m, d) = civil(days: days)
    append2(y / 100, into: &out); append2(y % 100, into: &out); out.append(0x2D)
    append2(m, into: &out); out.append(0x2D); append2(d, into: &out); out.append(0x54)
    append2(rem / 3_600_000, into: &out); out.append(0x3A)
    append2(rem / 60_000 % 60, into: &out); out.append(0x3A)
    append2(rem / 1_000 % 60, into: &out); out.append(0x2E)
    let f = rem % 1_000
    out.append(0x30 + UInt8(f / 100)); append2(f % 100, into: &out)
}

func appendDecimal(_ v: Int64, into out: inout [UInt8]) {
    if v < 0 { out.append(0x2D); appendDecimal(-v, into: &out); return }
    if v >= 10 { appendDecimal(v / 10, into: &out) }
    out.append(0x30 + UInt8(v % 10))
}

private let hexDigits = Array("0123456789abcdef".utf8)

func appendHex(_ v: UInt64, digits: Int, into out: inout [UInt8]) {
    var shift = (digits - 1) * 4
    while shift >= 0 {
        out.append(hexDigits[Int((v >> UInt64(shift)) & 0xF)])
        shift -= 4
    }
}

/// An 8-4-4-4-12 version-4-looking id from 64 bits (the rest derived by mixing).
func appendUUID(_ x: UInt64, into out: inout [UInt8]) {
    let y = mix(x, 0x9E37_79B9)
    appendHex(x >> 32, digits: 8, into: &out); out.append(0x2D)
    appendHex(x >> 16, digits: 4, into: &out); out.append(0x2D)
    out.append(0x34); appendHex(x, digits: 3, into: &out); out.append(0x2D)
    out.append(hexDigits[8 + Int(y >> 62)]); appendHex(y >> 48, digits: 3, into: &out); out.append(0x2D)
    appendHex(y, digits: 12, into: &out)
}

@inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var z = a &+ b &* 0x9E37_79B9_7F4A_7C15 &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// SplitMix64: small, fast, and the same sequence on every platform.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    @inline(__always) mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, n) (n > 0); the modulo bias is irrelevant for sample data.
    @inline(__always) mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    /// Uniform in [0, 1).
    @inline(__always) mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    @inline(__always) mutating func chance(_ p: Double) -> Bool { unit() < p }
}

private enum Lits {
    static let eventId = Array("\"event_id\":\"".utf8)
    static let quoteComma = Array("\",".utf8)
    static let sessionId = Array("\"session_id\":\"sess_".utf8)
    static let userId = Array("\"user_id\":".utf8)
    static let userPrefix = Array("\"user_".utf8)
    static let eventType = Array("\"event_type\":".utf8)
    static let pageUrl = Array(",\"page_url\":\"https://shop.example.com".utf8)
    static let timestamp = Array("\",\"timestamp\":".utf8)
    static let userAgent = Array(",\"user_agent\":\"".utf8)
    static let ipAddress = Array("\",\"ip_address\":\"".utf8)
    static let referrer = Array("\",\"referrer\":".utf8)
    static let null = Array("null".utf8)
    static let zulu = Array("Z".utf8)
    static let plusTwo = Array("+02:00".utf8)
}

/// Pages, event types, user agents and referrers.
enum Catalog {
    static let types: [[UInt8]] = ["page_view", "click", "scroll", "add_to_cart", "purchase"].map { Array($0.utf8) }

    static func eventType(_ rng: inout SplitMix64) -> UInt8 {
        let r = rng.below(100)
        return r < 60 ? 0 : r < 85 ? 1 : r < 95 ? 2 : r < 99 ? 3 : 4
    }

    // Page ids: 0 home, 1 cart, 2 checkout, 3 checkout/payment, 4..<4+searches search, then categories, then products.
    static let products = 500, searches = 40, categories = 24
    static let home = 0, cart = 1, checkoutPage = 2, payment = 3
    static let firstSearch = 4, firstCategory = 4 + searches, firstProduct = 4 + searches + categories

    static let words = ["wireless", "headphones", "running", "shoes", "organic", "coffee", "beans", "leather",
                        "backpack", "smart", "watch", "ceramic", "mug", "yoga", "mat", "desk", "lamp", "cotton",
                        "t-shirt", "bluetooth", "speaker", "stainless", "water", "bottle", "gaming", "keyboard"]
    static let categoryNames = ["electronics", "home-kitchen", "sports-outdoors", "fashion", "beauty", "toys-games",
                                "books", "garden", "automotive", "office"]

    static let pageSuffixes: [[UInt8]] = (0..<(firstProduct + products)).map { i in
        let s: String
        switch i {
        case home: s = "/"
        case cart: s = "/cart"
        case checkoutPage: s = "/checkout"
        case payment: s = "/checkout/payment"
        case firstSearch..<firstCategory:
            let k = i - firstSearch
            s = "/search?q=\(words[k % words.count])+\(words[(k * 7 + 3) % words.count])"
        case firstCategory..<firstProduct:
            let k = i - firstCategory
            s = "/category/\(categoryNames[k % categoryNames.count])/page-\(k / categoryNames.count + 1)"
        default:
            let k = i - firstProduct
            s = "/product/\(words[k % words.count])-\(words[(k / words.count + k) % words.count])-\(10_000 + k * 37)"
                + (k % 3 == 0 ? "?utm_source=\(["google", "newsletter", "facebook"][k / 3 % 3])" : "")
        }
        return Array(s.utf8)
    }

    static func appendPage(_ i: Int, into out: inout [UInt8]) { out.append(contentsOf: pageSuffixes[i]) }

    /// Zipf-like product: rank ~ exp(u * ln(n)).
    static func product(_ rng: inout SplitMix64) -> Int {
        let rank = Int(exp(rng.unit() * log(Double(products)))) - 1
        return firstProduct + min(products - 1, max(0, rank))
    }

    /// A session's first page: never the cart or checkout.
    static func landingPage(_ rng: inout SplitMix64) -> Int {
        let r = rng.below(100)
        if r < 30 { return home }
        if r < 75 { return product(&rng) }
        if r < 88 { return firstSearch + rng.below(searches) }
        return firstCategory + rng.below(categories)
    }

    /// The next viewed page: a loose home -> product -> cart -> checkout flow; cart and checkout only after the
    /// first three events (so only the designated sessions look like `unusual_page_sequence`).
    static func nextPage(from page: Int, step: Int, _ rng: inout SplitMix64) -> Int {
        let r = rng.below(100)
        if step < 3 { return r < 15 ? home : r < 80 ? product(&rng) : firstSearch + rng.below(searches) }
        switch page {
        case cart: return r < 40 ? checkoutPage : r < 80 ? product(&rng) : home
        case checkoutPage: return r < 60 ? payment : cart
        case payment: return r < 50 ? home : product(&rng)
        default:
            if r < 8 { return home }
            if r < 60 { return product(&rng) }
            if r < 70 { return firstSearch + rng.below(searches) }
            if r < 78 { return firstCategory + rng.below(categories) }
            if r < 95 { return cart }
            return checkoutPage
        }
    }

    static let browserAgents = 8, botAgents = 4
    static let agents: [[UInt8]] = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "python-requests/2.32.3 scraper",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ].map { Array($0.utf8) }

    static let referrers: [[UInt8]] = [
        "\"https://www.google.com/\"", "\"https://www.google.com/search?q=shop+example\"", "null",
        "\"https://www.facebook.com/\"", "\"https://t.co/x7Yq2\"", "null", "\"https://www.bing.com/\"",
        "\"https://news.example.org/best-gadgets-2025\"",
    ].map { Array($0.utf8) }
}
