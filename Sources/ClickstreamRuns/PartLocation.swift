import AWSClient
import ClickstreamCore
import ClickstreamPipeline
import Foundation

/// Where a partition's database goes: a local file, or an S3 object (`s3://bucket/prefix/part-0007.sqlite`) that
/// is written locally first and uploaded, with its SHA-256, only when the replay has committed — so an object in
/// the prefix is always a complete part, and an upload that fails fails the partition (exit 1) for the engine to
/// retry.
public enum PartLocation: Equatable, Sendable {
    case local(String)
    case s3(bucket: String, key: String)

    /// `text` is `--db`. An S3 URL ending in `/` is a prefix: the part is named `partName(index:count:)` under
    /// it, so every partition of an array job can be given the same `--db`.
    public init(_ text: String, partition: WindowPartition? = nil) throws {
        guard text.hasPrefix("s3://") else {
            self = .local(text)
            return
        }
        let rest = text.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/"), !rest[..<slash].isEmpty else {
            throw ClickstreamError(.usage, "--db", "an S3 part is s3://bucket/prefix/part-0007.sqlite or s3://bucket/prefix/, not \(text)")
        }
        var key = String(rest[rest.index(after: slash)...])
        if key.isEmpty || key.hasSuffix("/") {
            guard let partition else {
                throw ClickstreamError(.usage, "--db", "an S3 prefix (\(text)) names a part only with --partition")
            }
            key += Self.partName(index: partition.index, count: partition.count)
        }
        self = .s3(bucket: String(rest[..<slash]), key: key)
    }

    /// The location as `--db` would name it.
    public var description: String {
        switch self {
        case .local(let path): return path
        case let .s3(bucket, key): return "s3://\(bucket)/\(key)"
        }
    }

    /// The conventional name of partition `index` of `count`: `part-0007-of-0016.sqlite`, which sorts by index.
    public static func partName(index: Int, count: Int) -> String {
        func pad(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 4 - s.count)) + s }
        return "part-\(pad(index))-of-\(pad(count)).sqlite"
    }

    /// The local file a replay writes: the path itself, or for S3 a fresh file in a private temporary folder.
    public func localPath() throws -> String {
        switch self {
        case .local(let path): return path
        case let .s3(_, key):
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("clickstream-part-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir.appendingPathComponent(String(key.split(separator: "/").last ?? "part.sqlite")).path
        }
    }

    /// Uploads the closed database at `localPath` (S3 only); returns the object's SHA-256 (hex), or nil for a local part.
    public func upload(localPath: String, client: (() throws -> S3Client)? = nil) throws -> String? {
        guard case let .s3(bucket, key) = self else { return nil }
        let body: [UInt8]
        do { body = Array(try Data(contentsOf: URL(fileURLWithPath: localPath))) } catch {
            throw ClickstreamError(.database, "part \(localPath)", "cannot read the database to upload it: \(error.localizedDescription)")
        }
        let url = "s3://\(bucket)/\(key)"
        let s3 = try client?() ?? S3Client(transport: try Replay.awsTransport(forDatabase: url))
        do {
            try s3.putObjectChecksummed(bucket: bucket, key: key, body: body)
        } catch {
            throw ClickstreamError.wrapping(error, .sink, "part s3://\(bucket)/\(key)")
        }
        try? FileManager.default.removeItem(atPath: localPath)
        try? FileManager.default.removeItem(atPath: (localPath as NSString).deletingLastPathComponent)
        return S3Client.sha256Hex(body)
    }
}
