import ClickstreamCore
import Foundation
import Synchronization

/// Counters that workers bump and a ticker prints (at most once a second) while a run goes on.
public final class RunProgress: Sendable {
    private struct Counts {
        var objects = 0, totalObjects = 0, documents = 0, bytes = 0
        var note = ""
        var lastPrint = Date.distantPast
    }
    private let counts = Mutex(Counts())
    private let start = Date()
    let log: Log

    public init(log: Log) { self.log = log }

    public func expect(objects n: Int) {
        counts.withLock { $0.totalObjects += n }
    }

    public func advance(objects: Int, documents: Int, bytes: Int, note: String? = nil) {
        let now = Date()
        let shown: Counts? = counts.withLock { c in
            c.objects += objects
            c.documents += documents
            c.bytes += bytes
            if let note { c.note = note }
            guard now.timeIntervalSince(c.lastPrint) >= 1 else { return nil }
            c.lastPrint = now
            return c
        }
        guard let c = shown else { return }
        let secs = max(now.timeIntervalSince(start), 0.001)
        let of = c.totalObjects > 0 ? "\(c.objects)/\(c.totalObjects)" : "\(c.objects)"
        log.progress("\(of) objects, \(c.documents) events, \(c.bytes >> 20) MiB, \(Int(Double(c.documents) / secs)) events/s \(c.note)",
                     ["objects": c.objects, "objects_total": c.totalObjects, "events": c.documents, "bytes": c.bytes])
    }
}

extension RunProgress {
    /// A worker's counts, handed to the shared `RunProgress` every 256 objects or 8 MiB rather than per object.
    public struct Batch {
        let progress: RunProgress
        private var objects = 0, documents = 0, bytes = 0

        public init(_ progress: RunProgress) { self.progress = progress }

        public mutating func add(objects o: Int = 1, documents d: Int, bytes b: Int) {
            objects += o
            documents += d
            bytes += b
            if objects >= 256 || bytes >= 8 << 20 { flush() }
        }

        public mutating func flush() {
            progress.advance(objects: objects, documents: documents, bytes: bytes)
            objects = 0
            documents = 0
            bytes = 0
        }
    }
}
