import ClickstreamCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension SampleGenerator {
    /// Draws every event, duplicate and bad line from one SplitMix64 stream seeded with `options.seed`, then
    /// orders them for writing. The order of draws is the archive's identity: changing it changes every byte.
    func makePlan() -> SamplePlan {
        let o = options
        var rng = SplitMix64(seed: o.seed)
        var plan = SamplePlan(seed: o.seed)
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
            plan.sessions.append(SamplePlan.Session(
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
            } else if let uniform = o.uniformSessionLengths {
                count = uniform.lowerBound + rng.below(uniform.count)
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
                plan.entries.append(SamplePlan.Entry(ts: ts, session: sessionIndex, seq: UInt16(seq), type: type, tsForm: tsForm,
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
            plan.entries.append(SamplePlan.Entry(ts: ts, session: UInt32(rng.below(plan.sessions.count)), seq: UInt16(60_000 + k % 5_000),
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
}
