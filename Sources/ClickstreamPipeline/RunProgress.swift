import ClickstreamCore
import Foundation

/// Counters that workers bump and a ticker prints (at most once a second) while a run goes on.
public final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var objects = 0
    private var totalObjects = 0
    private var documents = 0
    private var bytes = 0
    private var note = ""
    private let start = Date()
    private var lastPrint = Date.distantPast
    let log: Log

    public init(log: Log) { self.log = log }

    public func expect(objects n: Int) {
        lock.lock(); totalObjects += n; lock.unlock()
    }

    public func advance(objects: Int, documents: Int, bytes: Int, note: String? = nil) {
        lock.lock()
        self.objects += objects
        self.documents += documents
        self.bytes += bytes
        if let note { self.note = note }
        let now = Date()
        let due = now.timeIntervalSince(lastPrint) >= 1
        if due { lastPrint = now }
        let (o, t, d, b, n) = (self.objects, totalObjects, self.documents, self.bytes, self.note)
        lock.unlock()
        guard due else { return }
        let secs = max(now.timeIntervalSince(start), 0.001)
        let of = t > 0 ? "\(o)/\(t)" : "\(o)"
        log.progress("\(of) objects, \(d) events, \(b >> 20) MiB, \(Int(Double(d) / secs)) events/s \(n)",
                     ["objects": o, "objects_total": t, "events": d, "bytes": b])
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
