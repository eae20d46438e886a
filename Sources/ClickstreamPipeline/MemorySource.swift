import ClickstreamCodecs
import ClickstreamCore
import ClickstreamStore

/// The in-memory twin of a source (like Hummingbird's `MemoryPersistDriver`): objects given as bytes, decoded and
/// parsed exactly as a file or an S3 object is (gzip by name or magic, one JSON document or NDJSON), delivered in
/// batches of `batchObjects` objects, each with one `.object` position per object read intact. It lets the
/// pipeline and the core be tested without files or AWS.
public final class MemorySource: IngestSource {
    public struct Object: Sendable {
        public var name: String
        public var bytes: [UInt8]
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
        public init(name: String, text: String) { self.init(name: name, bytes: Array(text.utf8)) }
    }

    public let name: String
    public var objects: [Object]
    let batchObjects: Int
    /// Positions acknowledged by the pipeline (`committed`), in order.
    public private(set) var acknowledged: [SourcePosition] = []
    /// Batches handed to the pipeline so far.
    public private(set) var delivered = 0

    public init(name: String = "memory://test", objects: [Object], batchObjects: Int = 1_000) {
        self.name = name
        self.objects = objects
        self.batchObjects = max(1, batchObjects)
    }

    public func prepare(window: Range<Int64>) throws {}
    public var listed: (objects: Int, bytes: Int64)? { (objects.count, objects.reduce(0) { $0 + Int64($1.bytes.count) }) }

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        for var batch in batches(window: window) {
            delivered += 1
            try deliver(&batch)
        }
    }

    /// The batches `read` delivers, parsed on the calling thread (no store needed: for tests of the core).
    public func batches(window: Range<Int64>) -> [SourceBatch] {
        var reader = ObjectReader()
        var parser = EventParser()
        return stride(from: 0, to: objects.count, by: batchObjects).map { start in
            var buffer = IngestBuffer(window: window)
            var positions: [SourcePosition] = []
            let slice = objects[start..<min(objects.count, start + batchObjects)]
            for o in slice {
                let source = "\(name)/\(o.name)"
                o.bytes.withUnsafeBytes { raw in
                    do {
                        let content = try reader.content(of: raw, name: source)
                        ObjectIngest.ingest(content, source: source, into: &buffer, parser: &parser)
                        positions.append(.object(Store.ObjectManifestEntry(
                            bucket: name, key: o.name, etag: String(FieldHash.hash(raw, seed: 0), radix: 16),
                            size: Int64(raw.count), hour: nil, covered: window)))
                    } catch {
                        buffer.stats.objects += 1
                        buffer.unreadable(source: source, message: String(describing: error))
                    }
                }
            }
            return SourceBatch(buffers: [buffer], positions: positions, records: slice.count)
        }
    }

    public func committed(_ positions: [SourcePosition]) {
        acknowledged += positions
    }
}
