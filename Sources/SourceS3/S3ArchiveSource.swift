import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Dispatch
import Foundation

/// The S3 archive (`s3://bucket/prefix`): lists only the hour prefixes near the window (see `S3ArchiveLister`),
/// GETs objects with `concurrency` requests in flight on the calling thread (libcurl multi), and parses the
/// bodies on `workers` other threads, so that parsing never holds up the transfers.
///
/// Guarantees: an object whose content cannot be read (truncated gzip) becomes one `unreadable` quarantine row
/// named `s3://bucket/key`, and the run goes on; a failed request (after retries) fails the run with the AWS
/// error. Every object read intact is recorded in the store's manifest with its ETag, size and the window, in the
/// same transaction as its events; a later replay whose window lies inside that span skips the object (no GET)
/// while its key, ETag and size are unchanged.
public final class S3ArchiveSource: IngestSource {
    public let name: String
    public let bucket: String
    /// `""` or a prefix ending in `/`.
    public let root: String
    public let client: S3Client
    let concurrency: Int
    let workers: Int
    /// Listing covers the window widened by this much on both sides: an event can land in a neighbouring hour.
    let slack: Int64
    /// A chunk is cut after about this many listed bytes or `chunkObjects` objects.
    let chunkBytes: Int64
    let chunkObjects: Int

    private var listedObjects: [S3ListedObject] = []
    public private(set) var listCalls = 0
    /// Told while `prepare` lists: keys found so far and ListObjectsV2 calls made.
    public var listingProgress: ((_ keys: Int, _ calls: Int) -> Void)?
    public private(set) var prefixesPruned = 0
    public private(set) var skippedUnchanged = 0
    /// Objects fetched by the last read.
    public private(set) var fetched = 0

    public init(bucket: String, prefix: String, client: S3Client, concurrency: Int = 32, workers: Int = 0,
                slack: Int64 = 3_600_000, chunkBytes: Int64 = 64 << 20, chunkObjects: Int = 20_000) {
        self.bucket = bucket
        root = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
        name = "s3://\(bucket)/\(prefix)"
        self.client = client
        self.concurrency = max(1, concurrency)
        self.workers = max(1, workers > 0 ? workers : ProcessInfo.processInfo.activeProcessorCount)
        self.slack = slack
        self.chunkBytes = chunkBytes
        self.chunkObjects = chunkObjects
    }

    /// The objects `prepare` listed, by key.
    public var objects: [S3ListedObject] { listedObjects }
    public var quarantineSources: [String] { listedObjects.map { "s3://\(bucket)/\($0.key)" } }
    public var listed: (objects: Int, bytes: Int64)? { (listedObjects.count, listedObjects.reduce(0) { $0 + $1.size }) }

    public func prepare(window: Range<Int64>) throws {
        var lister = S3ArchiveLister(client: client, bucket: bucket,
                                     from: window.lowerBound.subtractingReportingOverflow(slack).partialValue,
                                     to: window.upperBound.addingReportingOverflow(slack).partialValue)
        lister.onPage = listingProgress
        try lister.list(root: root)
        listedObjects = lister.objects
        listCalls = lister.listCalls
        prefixesPruned = lister.prefixesPruned
    }

    public func read(window: Range<Int64>, store: Store, progress: RunProgress, deliver: (inout SourceBatch) throws -> Void) throws {
        let known = try store.objectManifest(bucket: bucket, prefix: root)
        let todo = listedObjects.filter { o in
            !(known[o.key]?.covers(etag: o.etag, size: o.size, window: window) ?? false)
        }
        skippedUnchanged = listedObjects.count - todo.count
        fetched = 0
        progress.expect(objects: todo.count, storedBytes: todo.reduce(0) { $0 + $1.size })
        var start = 0
        while start < todo.count {
            var end = start
            var bytes: Int64 = 0
            while end < todo.count && (end == start || (bytes + todo[end].size <= chunkBytes && end - start < chunkObjects)) {
                bytes += todo[end].size
                end += 1
            }
            var batch = try fetchAndParse(todo[start..<end], window: window, progress: progress)
            try deliver(&batch)
            start = end
        }
    }

    /// GETs `objects` (on this thread) while `workers` threads parse the bodies as they arrive.
    func fetchAndParse(_ objects: ArraySlice<S3ListedObject>, window: Range<Int64>, progress: RunProgress) throws -> SourceBatch {
        let list = Array(objects)
        let queue = BlockingQueue<(Int, S3ObjectData)>(capacity: max(64, concurrency * 2))
        let n = min(workers, list.count)
        let results = WorkerResults<(IngestBuffer, [Int])>(count: n)
        let workers = WorkerThreads(n) { [bucket] w in
            var buffer = IngestBuffer(window: window)
            var reader = ObjectReader()
            var parser = EventParser()
            var unreadable: [Int] = []
            var pending = RunProgress.Batch(progress)
            while let (index, object) = queue.pop() {
                let source = "s3://\(bucket)/\(object.key)"
                let before = buffer.stats.documents
                var bytesRead = 0
                object.body.withUnsafeBytes { raw in
                    do {
                        let content = try reader.content(of: raw, name: source)
                        ObjectIngest.ingest(content, source: source, into: &buffer, parser: &parser)
                        bytesRead = content.count
                    } catch {
                        buffer.stats.objects += 1
                        buffer.unreadable(source: source, message: String(describing: error))
                        unreadable.append(index)
                    }
                }
                pending.add(documents: buffer.stats.documents - before, bytes: bytesRead, stored: Int64(object.body.count))
            }
            pending.flush()
            results.set(w, (buffer, unreadable))
        }
        var failure: AWSError? = nil
        // Objects listed but deleted before their GET: quarantined as unreadable (and not recorded as read).
        var gone: [(index: Int, error: AWSError)] = []
        var short: [(index: Int, bytes: Int)] = []
        var read = [(etag: String, size: Int64)?](repeating: nil, count: list.count)
        do {
            // A GET that failed after its retries fails the run: no more GETs are sent (a circuit breaker, so a
            // broken bucket or endpoint is not asked for every remaining object first).
            try client.getObjects(list.map { (bucket, $0.key) }, concurrency: concurrency, stopWhen: { failure != nil }) { index, result in
                switch result {
                case .success(let object) where Int64(object.body.count) < list[index].size
                                               && (object.etag.isEmpty || object.etag == list[index].etag):
                    // The same object as listed, but fewer bytes than its listed size: the body was cut short on the
                    // way (a connection closed early, no Content-Length to tell). Not parsed as truncated JSON: one
                    // unreadable row, and not recorded as read, so the next run reads it again.
                    short.append((index, object.body.count))
                case .success(let object):
                    read[index] = (object.etag.isEmpty ? list[index].etag : object.etag, Int64(object.body.count))
                    queue.push((index, object))
                case .failure(let error) where error.httpStatus == 404 && error.code == "NoSuchKey":
                    gone.append((index, error))
                case .failure(let error):
                    if failure == nil { failure = error }
                }
            }
        } catch {
            queue.close()
            workers.wait()
            throw error
        }
        queue.close()
        workers.wait()
        if let failure { throw failure }
        fetched += list.count
        let parsed = results.values
        var buffers = parsed.map(\.0)
        var missing = IngestBuffer(window: window)
        for g in gone {
            missing.stats.objects += 1
            missing.unreadable(source: "s3://\(bucket)/\(list[g.index].key)",
                               message: "listed but gone when read: \(g.error)")
        }
        for c in short {
            missing.stats.objects += 1
            missing.unreadable(source: "s3://\(bucket)/\(list[c.index].key)",
                               message: "short body: \(c.bytes) of the \(list[c.index].size) bytes listed (read again next run)")
        }
        if !gone.isEmpty || !short.isEmpty { buffers.append(missing) }
        let bad = Set(parsed.flatMap(\.1)).union(gone.map(\.index)).union(short.map(\.index))
        var manifest: [SourcePosition] = []
        manifest.reserveCapacity(list.count)
        for (i, o) in list.enumerated() where !bad.contains(i) {
            // The ETag of the body actually read: if the object changed since listing, the next run sees the change.
            manifest.append(.object(Store.ObjectManifestEntry(bucket: bucket, key: o.key, etag: read[i]?.etag ?? o.etag,
                                                              size: read[i]?.size ?? o.size,
                                                              hour: o.partitionHour, covered: window)))
        }
        return SourceBatch(buffers: buffers, positions: manifest, records: list.count)
    }
}
