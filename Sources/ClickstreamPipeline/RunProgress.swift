import ClickstreamCore
import Foundation
import Synchronization

/// Counters that workers bump and a ticker prints (at most once a second) while a run goes on.
///
/// The percentage and the ETA are measured in *stored* bytes (a file's size on disk, an S3 object's listed size),
/// not in parsed bytes: a gzip object inflates to several times its size, so parsed bytes would pass 100 %.
/// Sources that know no total (a Kinesis stream) show counts and rates only.
public final class RunProgress: Sendable {
    private struct Counts {
        var objects = 0, totalObjects = 0, documents = 0, bytes = 0
        var stored: Int64 = 0, totalStored: Int64 = 0
        var note = ""
        var lastPrint = Date.distantPast
    }
    private let counts = Mutex(Counts())
    private let start = Date()
    let log: Log

    public init(log: Log) { self.log = log }

    /// A source's announcement of what it is about to read: objects, and their stored size when it knows it.
    public func expect(objects n: Int, storedBytes: Int64 = 0) {
        counts.withLock {
            $0.totalObjects += n
            $0.totalStored += storedBytes
        }
    }

    public func advance(objects: Int, documents: Int, bytes: Int, stored: Int64 = 0, note: String? = nil) {
        let now = Date()
        let shown: Counts? = counts.withLock { c in
            c.objects += objects
            c.documents += documents
            c.bytes += bytes
            c.stored += stored
            if let note { c.note = note }
            guard now.timeIntervalSince(c.lastPrint) >= 1 else { return nil }
            c.lastPrint = now
            return c
        }
        if let c = shown { show(c, at: now) }
    }

    /// The counts as they stand, whatever the last line's age: the reading phase's last word before the next phase.
    public func showTotals() {
        let now = Date()
        show(counts.withLock { c in
            c.lastPrint = now
            return c
        }, at: now)
    }

    private func show(_ c: Counts, at now: Date) {
        guard log.showProgress else { return }
        let secs = max(now.timeIntervalSince(start), 0.001)
        var fields: [String: Any] = ["objects": c.objects, "objects_total": c.totalObjects, "events": c.documents, "bytes": c.bytes]
        var parts = [c.totalObjects > 0 ? "\(c.objects.grouped)/\(c.totalObjects.grouped) objects" : "\(c.objects.grouped) objects"]
        if let fraction = Self.fraction(done: c.stored, total: c.totalStored) {
            parts[0] += " (\(Int(fraction * 100))%)"
            fields["percent"] = Int(fraction * 100)
            if let eta = Self.eta(fraction: fraction, elapsed: secs) {
                parts.append("ETA \(Self.clock(eta))")
                fields["eta_seconds"] = Int(eta.rounded())
            }
        }
        parts += ["\(c.documents.grouped) events", "\(c.bytes >> 20) MiB", "\(Int(Double(c.documents) / secs).grouped) events/s"]
        log.progress(parts.joined(separator: ", ") + (c.note.isEmpty ? "" : " \(c.note)"), fields)
    }

    /// Shows `label` with the seconds spent so far, once a second, while `body` runs: the phases with nothing
    /// to count (the last batches reaching SQLite, the commit) must not look like a hang.
    public func during<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard log.showProgress else { return try body() }
        let done = Atomic<Bool>(false)
        let log = self.log
        let began = Date()
        log.progress(label, ["phase": label])
        let exited = DispatchSemaphore(value: 0)
        let ticker = Thread {
            defer { exited.signal() }
            var next = 1.0
            while !done.load(ordering: .acquiring) {
                Thread.sleep(forTimeInterval: 0.1)
                let elapsed = Date().timeIntervalSince(began)
                guard elapsed >= next, !done.load(ordering: .acquiring) else { continue }
                log.progress("\(label) \(Int(elapsed)) s", ["phase": label, "seconds": Int(elapsed)])
                next = elapsed.rounded(.down) + 1
            }
        }
        ticker.start()
        // The ticker is gone before the caller ends the progress line: no stray line after the summary.
        defer {
            done.store(true, ordering: .releasing)
            exited.wait()
        }
        return try body()
    }

    /// Done as a fraction of the total, or nil without a total (or before anything is done).
    static func fraction(done: Int64, total: Int64) -> Double? {
        guard total > 0, done > 0 else { return nil }
        return min(1, Double(done) / Double(total))
    }

    /// Remaining seconds at the average rate so far; none in the first two seconds or the first 1 % (too noisy).
    static func eta(fraction: Double, elapsed: Double) -> Double? {
        guard fraction >= 0.01, fraction < 1, elapsed >= 2 else { return nil }
        return elapsed / fraction * (1 - fraction)
    }

    /// `m:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        let (h, m, r) = (s / 3600, s / 60 % 60, s % 60)
        let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
        return (h > 0 ? "\(h):\(mm)" : mm) + ":" + (r < 10 ? "0\(r)" : "\(r)")
    }
}

extension RunProgress {
    /// A worker's counts, handed to the shared `RunProgress` every 256 objects or 8 MiB rather than per object.
    public struct Batch {
        let progress: RunProgress
        private var objects = 0, documents = 0, bytes = 0
        private var stored: Int64 = 0

        public init(_ progress: RunProgress) { self.progress = progress }

        public mutating func add(objects o: Int = 1, documents d: Int, bytes b: Int, stored s: Int64 = 0) {
            objects += o
            documents += d
            bytes += b
            stored += s
            if objects >= 256 || bytes >= 8 << 20 { flush() }
        }

        public mutating func flush() {
            progress.advance(objects: objects, documents: documents, bytes: bytes, stored: stored)
            objects = 0
            documents = 0
            bytes = 0
            stored = 0
        }
    }
}
