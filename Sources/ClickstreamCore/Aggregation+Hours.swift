import Dispatch
import Synchronization

extension Aggregation {
    /// `aggregate(hour:existing:)` for every hour of `hours` in parallel, each against the fingerprint set at the
    /// same index of `existing` (the hour's stored fingerprints; empty when nothing is stored). Hours are independent
    /// and the aggregation is only read, so the result is the same as computing them one by one.
    ///
    /// Each hour is computed outside the lock; only the finished aggregate is moved into the shared dictionary
    /// under it, once per hour.
    public func aggregate(hours: [Int64], existing: [[UInt64]]) -> [Int64: HourAggregate] {
        precondition(hours.count == existing.count, "one existing fingerprint set per hour")
        let byHour = Mutex<[Int64: HourAggregate]>([:])
        DispatchQueue.concurrentPerform(iterations: hours.count) { i in
            let hour = aggregate(hour: hours[i], existing: existing[i])
            byHour.withLock { $0[hours[i]] = hour }
        }
        return byHour.withLock { $0 }
    }
}
