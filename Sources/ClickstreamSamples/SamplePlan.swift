import ClickstreamCore

/// What a generator writes, decided before any byte is: the events (valid, duplicated, bad), their sessions, and
/// the order they are written in. Serializing an entry is a pure function of the plan, so two writers of the same
/// plan write the same bytes.
struct SamplePlan {
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

    var entries: [Entry] = []
    var sessions: [Session] = []
    var order: [Int] = []
    var report = SampleGenerator.Report()
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
            out.append(contentsOf: SampleLiterals.eventId)
            appendUUID(mix(seed ^ 0xE7E7, UInt64(e.session) << 16 | UInt64(e.seq)), into: &out)
            out.append(contentsOf: SampleLiterals.quoteComma)
        }
        if e.bad != 3 {
            out.append(contentsOf: SampleLiterals.sessionId)
            appendHex(mix(seed ^ 0x5E55, UInt64(e.session)), digits: 16, into: &out)
            if e.bad == 6 { out.append(0xFF); out.append(0xFE) }
            out.append(contentsOf: SampleLiterals.quoteComma)
        }
        // Anonymous sessions: `user_id` null in some, absent in others.
        if s.user >= 0 {
            out.append(contentsOf: SampleLiterals.userId)
            out.append(contentsOf: SampleLiterals.userPrefix)
            appendDecimal(Int64(s.user), into: &out)
            out.append(0x22)
            out.append(0x2C)
        } else if e.session & 1 == 0 {
            out.append(contentsOf: SampleLiterals.userId)
            out.append(contentsOf: SampleLiterals.null)
            out.append(0x2C)
        }
        out.append(contentsOf: SampleLiterals.eventType)
        if e.bad == 4 {
            out.append(0x37)
        } else {
            out.append(0x22)
            out.append(contentsOf: Catalog.types[Int(e.type)])
            out.append(0x22)
        }
        out.append(contentsOf: SampleLiterals.pageUrl)
        Catalog.appendPage(Int(e.page), into: &out)
        out.append(contentsOf: SampleLiterals.timestamp)
        if e.bad == 5 {
            out.append(contentsOf: Array("\"2025-02-30T10:00:00Z\"".utf8))
        } else if e.tsForm == 2 {
            appendDecimal(e.ts, into: &out)
        } else {
            out.append(0x22)
            appendISO(e.tsForm == 1 ? e.ts + 7_200_000 : e.ts, into: &out)
            out.append(contentsOf: e.tsForm == 1 ? SampleLiterals.plusTwo : SampleLiterals.zulu)
            out.append(0x22)
        }
        out.append(contentsOf: SampleLiterals.userAgent)
        out.append(contentsOf: Catalog.agents[Int(s.agent)])
        out.append(contentsOf: SampleLiterals.ipAddress)
        appendDecimal(Int64(s.ip >> 24), into: &out); out.append(0x2E)
        appendDecimal(Int64((s.ip >> 16) & 0xFF), into: &out); out.append(0x2E)
        appendDecimal(Int64((s.ip >> 8) & 0xFF), into: &out); out.append(0x2E)
        appendDecimal(Int64(s.ip & 0xFF), into: &out)
        if e.seq == 0 {
            // The external referrer comes with the landing event only.
            out.append(contentsOf: SampleLiterals.referrer)
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
