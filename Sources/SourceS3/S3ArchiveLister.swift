import ArchiveLayout
import AWSClient
import ClickstreamCodecs
import ClickstreamCore
import ClickstreamPipeline

/// One object an S3 archive listing found, with the partition hour its prefix names (nil outside any partition).
public struct S3ListedObject: Sendable, Equatable {
    public var key: String
    public var etag: String
    public var size: Int64
    public var partitionHour: Int64?
}

/// Lists the objects of an S3 archive that may hold events of a window, the way `LocalArchive` walks a folder:
/// level by level with `Delimiter=/`, recognising the partition layout of each prefix (`PartitionCursor`: hive
/// padded or not, or Firehose), pruning prefixes whose partition lies outside `[from, to)` (the caller widens the
/// window by the slack), and listing each needed hour prefix in full, page by page. Objects outside any partition
/// are always listed. Keys with a component starting with `_` or `.` are not data.
struct S3ArchiveLister {
    let client: S3Client
    let bucket: String
    let from: Int64
    let to: Int64
    private(set) var objects: [S3ListedObject] = []
    private(set) var listCalls = 0
    private(set) var prefixesPruned = 0
    /// Told after each page: keys kept so far and calls made (a large listing takes seconds; people want to see it move).
    var onPage: ((_ keys: Int, _ calls: Int) -> Void)?

    init(client: S3Client, bucket: String, from: Int64, to: Int64) {
        self.client = client
        self.bucket = bucket
        self.from = from
        self.to = to
    }

    /// `root` is `""` or a prefix ending in `/`.
    mutating func list(root: String) throws {
        try visit(prefix: root, cursor: PartitionCursor())
        objects.sort { $0.key < $1.key }
    }

    private mutating func visit(prefix: String, cursor: PartitionCursor) throws {
        if cursor.partition?.isComplete == true {
            let hour = cursor.hourStart
            var token: String? = nil
            repeat {
                let page = try client.listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token)
                listCalls += 1
                for o in page.objects where Self.isData(o.key.utf8.dropFirst(prefix.utf8.count)) {
                    objects.append(S3ListedObject(key: o.key, etag: o.etag, size: o.size, partitionHour: hour))
                }
                token = page.isTruncated ? page.nextContinuationToken : nil
                onPage?(objects.count, listCalls)
            } while token != nil
            return
        }
        var token: String? = nil
        var children: [(String, PartitionCursor)] = []
        repeat {
            let page = try client.listObjectsV2(bucket: bucket, prefix: prefix, continuationToken: token, delimiter: "/")
            listCalls += 1
            defer { onPage?(objects.count, listCalls) }
            for o in page.objects where Self.isData(o.key.utf8.dropFirst(prefix.utf8.count)) {
                objects.append(S3ListedObject(key: o.key, etag: o.etag, size: o.size, partitionHour: cursor.hourStart))
            }
            for p in page.commonPrefixes {
                let name = String(decoding: p.utf8.dropFirst(prefix.utf8.count).dropLast(), as: UTF8.self)
                guard Self.isData(name.utf8[...]) else { continue }
                let child = cursor.descending(into: name)
                guard child.mayHold(from: from, to: to) else { prefixesPruned += 1; continue }
                children.append((p, child))
            }
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        for (p, child) in children { try visit(prefix: p, cursor: child) }
    }

    /// False when the (relative) key is empty (a folder marker) or any component starts with `_` or `.`.
    static func isData(_ relative: Substring.UTF8View) -> Bool {
        guard !relative.isEmpty, relative.last != UInt8(ascii: "/") else { return false }
        var atStart = true
        for b in relative {
            if atStart && (b == UInt8(ascii: "_") || b == UInt8(ascii: ".")) { return false }
            atStart = b == UInt8(ascii: "/")
        }
        return true
    }
}
