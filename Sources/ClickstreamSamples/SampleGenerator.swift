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
