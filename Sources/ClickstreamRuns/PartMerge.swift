import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import ClickstreamStore
import Foundation

/// `merge`: combines partial databases into one whose tables equal one replay of their union (`Store.merge`).
///
/// Before the output is opened, the parts are checked as a set: every part that records a partition
/// (`PartitionManifest`) must belong to the same backfill (window, count, sources) — parts that cannot compose are
/// refused — and together they must hold every INDEX of COUNT, else nothing is merged and the missing partitions
/// are named (exit 1). From an S3 prefix each INDEX must be there exactly once. Parts without a manifest (plain
/// replays) are merged as they are. Merging is idempotent and order-independent.
public final class PartMerge {
    public struct Options: Sendable {
        /// Local files, or S3 URLs: `s3://bucket/prefix/` (every `.sqlite` object under it) or one object.
        public var parts: [String]
        public var databasePath: String
        public init(parts: [String], databasePath: String) {
            self.parts = parts
            self.databasePath = databasePath
        }
    }

    /// One part, resolved to a local file.
    struct Part {
        var name: String
        var path: String
        var manifest: PartitionManifest?
        var fromS3: Bool
    }

    public let options: Options
    let log: Log
    /// The S3 client for `s3://` parts (tests plug theirs in).
    public var makeS3Client: () throws -> S3Client = {
        let config: AWSConfig
        do { config = try AWSConfig.resolve() } catch { throw ClickstreamError(.configuration, "merge", "\(error)") }
        return S3Client(transport: try AWSTransport(config: config))
    }

    public init(options: Options, log: Log) {
        self.options = options
        self.log = log
    }

    public func run() throws -> MergeSummary {
        let started = Date()
        var scratch: [URL] = []
        defer { for d in scratch { try? FileManager.default.removeItem(at: d) } }
        var parts: [Part] = []
        for p in options.parts {
            if p.hasPrefix("s3://") {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clickstream-merge-\(getpid())-\(scratch.count)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                scratch.append(dir)
                parts += try download(p, into: dir.path)
            } else {
                guard FileManager.default.fileExists(atPath: p) else { throw ClickstreamError(.source, "part \(p)", "no such file") }
                if URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
                    == URL(fileURLWithPath: options.databasePath).standardizedFileURL.resolvingSymlinksInPath().path {
                    throw ClickstreamError(.usage, "part \(p)", "is the output database itself (--db)")
                }
                parts.append(Part(name: p, path: p, manifest: try manifest(p, name: p), fromS3: false))
            }
        }
        let set = try checkSet(parts)
        if let set { log.info("merging \(Plural.count(parts.count, "part")): partitions 0-\(set.count - 1) of \(set.count), window [\(Timestamp.instant(set.window.lowerBound)), \(Timestamp.instant(set.window.upperBound)))",
                              ["parts": parts.count, "count": set.count], event: "merge_parts") }

        let writer = try WriterStore(path: options.databasePath, command: "merge")
        defer { withExtendedLifetime(writer) {} }
        let run = try RunRecorder(store: writer.store, command: "merge", sources: parts.map(\.name), window: set?.window, rebuild: false)
        var total = Store.MergeStats()
        // Index order, then name: any order gives the same tables; this one makes the log read naturally.
        let ordered = parts.sorted { ($0.manifest?.index ?? Int.max, $0.name) < ($1.manifest?.index ?? Int.max, $1.name) }
        for (i, part) in ordered.enumerated() {
            log.progress("merging \(part.name) (\(i + 1)/\(ordered.count))")
            let s: Store.MergeStats
            do { s = try writer.store.merge(partAt: part.path, runId: run.runId) } catch {
                log.endProgress()
                let e = ClickstreamError.wrapping(error, .database, "part \(part.name)")
                run.fail(e)
                throw e
            }
            total.hoursAdded += s.hoursAdded
            total.hoursReplaced += s.hoursReplaced
            total.hoursUnchanged += s.hoursUnchanged
            total.eventsAdded += s.eventsAdded
            total.quarantineAdded += s.quarantineAdded
            total.runsCopied += s.runsCopied
            total.neighbourIdCopies += s.neighbourIdCopies
            total.writes.add(s.writes)
        }
        log.endProgress()
        if total.neighbourIdCopies > 0 {
            log.warn("\(Plural.count(total.neighbourIdCopies, "event")) share an event_id with an event of the neighbouring hour in another part: "
                     + "one replay would count each once; replay the boundary hours together to settle them",
                     ["events": total.neighbourIdCopies], event: "merge_neighbour_ids")
        }
        var ingest = IngestStats()
        ingest.distinctNew = total.eventsAdded
        try run.finish(stats: ingest, rowsWritten: total.writes.rowsWritten)
        return MergeSummary(parts: parts.count, partitions: set?.count, window: set?.window, stats: total,
                            databasePath: options.databasePath, seconds: Date().timeIntervalSince(started))
    }

    private func manifest(_ path: String, name: String) throws -> PartitionManifest? {
        do { return try Store.partitionManifest(atPath: path) } catch {
            throw ClickstreamError(.source, "part \(name)", "cannot be read as a clickstream database: \(error)")
        }
    }

    /// The set's common manifest (nil when no part records one), after refusing parts of different backfills and
    /// incomplete sets.
    func checkSet(_ parts: [Part]) throws -> PartitionManifest? {
        let withManifest = parts.filter { $0.manifest != nil }
        guard let first = withManifest.first, let reference = first.manifest else { return nil }
        func describe(_ m: PartitionManifest) -> String {
            "partition \(m.index)/\(m.count) of [\(Timestamp.instant(m.window.lowerBound)), \(Timestamp.instant(m.window.upperBound))) from \(m.sources.joined(separator: " "))"
        }
        for p in withManifest.dropFirst() where !p.manifest!.composes(with: reference) {
            throw ClickstreamError(.source, "merge", "parts of different backfills cannot be merged: \(first.name) is \(describe(reference)), "
                + "\(p.name) is \(describe(p.manifest!)); nothing was merged")
        }
        var byIndex: [Int: [String]] = [:]
        for p in withManifest { byIndex[p.manifest!.index, default: []].append(p.name) }
        let fromS3 = withManifest.filter { $0.fromS3 }
        var s3ByIndex: [Int: [String]] = [:]
        for p in fromS3 { s3ByIndex[p.manifest!.index, default: []].append(p.name) }
        if let (index, names) = s3ByIndex.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw ClickstreamError(.source, "merge", "partition \(index)/\(reference.count) is present \(names.count) times (\(names.joined(separator: ", "))): "
                + "each partition must be in the prefix exactly once; nothing was merged")
        }
        let missing = (0..<reference.count).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw ClickstreamError(.source, "merge", "incomplete set of parts: missing \(Plural.count(missing.count, "partition")) "
                + missing.map { "\($0)/\(reference.count)" }.joined(separator: ", ")
                + " of [\(Timestamp.instant(reference.window.lowerBound)), \(Timestamp.instant(reference.window.upperBound))); nothing was merged")
        }
        return reference
    }

    /// Downloads the parts under an S3 URL (a prefix, or one `.sqlite` object), checking each against its SHA-256.
    private func download(_ url: String, into dir: String) throws -> [Part] {
        let rest = url.dropFirst(5)
        let bucket = String(rest.prefix { $0 != "/" })
        let prefix = String(rest.dropFirst(bucket.count + 1))
        guard !bucket.isEmpty else { throw ClickstreamError(.usage, "part \(url)", "an S3 part URL is s3://bucket/prefix/") }
        let client = try makeS3Client()
        let keys: [String]
        if prefix.hasSuffix(".sqlite") {
            keys = [prefix]
        } else {
            do {
                keys = try client.listAllObjects(bucket: bucket, prefix: prefix).map(\.key).filter { $0.hasSuffix(".sqlite") }.sorted()
            } catch {
                throw ClickstreamError.wrapping(error, .source, "parts \(url)")
            }
            if keys.isEmpty { throw ClickstreamError(.source, "parts \(url)", "no .sqlite objects under the prefix; nothing was merged") }
        }
        var out: [Part] = []
        for (i, key) in keys.enumerated() {
            let name = "s3://\(bucket)/\(key)"
            log.progress("downloading \(name) (\(i + 1)/\(keys.count))")
            let body: [UInt8]
            do { body = try client.getObjectChecked(bucket: bucket, key: key).body } catch {
                log.endProgress()
                throw ClickstreamError.wrapping(error, .source, "part \(name)")
            }
            let path = dir + "/\(i)-" + (key.split(separator: "/").last.map(String.init) ?? "part.sqlite")
            do { try Data(body).write(to: URL(fileURLWithPath: path)) } catch {
                throw ClickstreamError(.database, "part \(name)", "cannot write \(path): \(error.localizedDescription)")
            }
            out.append(Part(name: name, path: path, manifest: try manifest(path, name: name), fromS3: true))
        }
        log.endProgress()
        return out
    }
}
