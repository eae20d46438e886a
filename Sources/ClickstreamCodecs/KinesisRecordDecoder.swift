import ClickstreamCore

/// Turns one Kinesis record's data into events, the same way for the window replay and the live stream:
/// gzip-compressed data is inflated; a KPL aggregated record (magic `F3 89 9A C2`, a protobuf
/// `AggregatedRecord`, then an MD5 of it) is split into its user records; every resulting payload is an object
/// (one JSON document or NDJSON) fed to `ObjectIngest`. A record that cannot be decoded becomes one `unreadable`
/// quarantine row naming the shard and sequence number.
public struct KinesisRecordDecoder {
    private var reader = ObjectReader()
    public var parser = EventParser()

    public init() {}

    static let kplMagic: [UInt8] = [0xF3, 0x89, 0x9A, 0xC2]

    /// `source` is `kinesis://stream/shardId`; locations read `sequence N` (plus `record i` for KPL sub-records).
    public mutating func ingest(_ data: [UInt8], source: String, sequenceNumber: String, into buffer: inout IngestBuffer) {
        data.withUnsafeBytes { raw in
            ingest(raw, source: source, location: "sequence \(sequenceNumber)", into: &buffer)
        }
    }

    mutating func ingest(_ data: UnsafeRawBufferPointer, source: String, location: String, into buffer: inout IngestBuffer) {
        let content: UnsafeRawBufferPointer
        do {
            content = try reader.content(of: data, name: "\(source) \(location)")
        } catch {
            buffer.stats.objects += 1
            buffer.unreadable(source: source, message: "\(location): \(error)", location: location)
            return
        }
        // Inflated content lives in the reader's buffer, and a KPL sub-record of it may be gzip again. A copy of the
        // reader held meanwhile makes that nested inflate use a buffer of its own (a reader that shares its buffer
        // reads into a new one) instead of overwriting the bytes being split.
        let pinned = content.baseAddress == data.baseAddress ? nil : reader
        defer { withExtendedLifetime(pinned) {} }
        ingestPlain(content, source: source, location: location, into: &buffer)
    }

    private mutating func ingestPlain(_ data: UnsafeRawBufferPointer, source: String, location: String, into buffer: inout IngestBuffer) {
        guard data.count >= 4 + 16, data.prefix(4).elementsEqual(Self.kplMagic) else {
            ObjectIngest.ingest(data, source: source, into: &buffer, parser: &parser, locationPrefix: location + " ")
            return
        }
        let body = UnsafeRawBufferPointer(rebasing: data[4 ..< data.count - 16])
        guard let records = Self.kplRecords(body) else {
            buffer.stats.objects += 1
            buffer.unreadable(source: source, message: "\(location): corrupt KPL aggregated record", location: location)
            return
        }
        for (i, r) in records.enumerated() {
            let sub = UnsafeRawBufferPointer(rebasing: body[r])
            ingest(sub, source: source, location: "\(location) record \(i)", into: &buffer)
        }
    }

    /// Byte ranges (within `body`) of the `data` fields of an `AggregatedRecord`'s records, or nil if malformed.
    /// AggregatedRecord: 1 partition_key_table (string), 2 explicit_hash_key_table (string), 3 records (Record).
    /// Record: 1 partition_key_index, 2 explicit_hash_key_index (varints), 3 data (bytes), 4 tags.
    static func kplRecords(_ body: UnsafeRawBufferPointer) -> [Range<Int>]? {
        var out: [Range<Int>] = []
        var p = 0
        while p < body.count {
            guard let (key, afterKey) = varint(body, p) else { return nil }
            p = afterKey
            let field = key >> 3, wire = key & 7
            switch wire {
            case 0:
                guard let (_, next) = varint(body, p) else { return nil }
                p = next
            case 2:
                guard let (len, start) = varint(body, p), len <= UInt64(body.count - start) else { return nil }
                let end = start + Int(len)
                if field == 3 {
                    // A Record message: find its data field.
                    var q = start
                    var data: Range<Int>? = nil
                    while q < end {
                        guard let (k, ak) = varint(body, q) else { return nil }
                        q = ak
                        switch k & 7 {
                        case 0:
                            guard let (_, n) = varint(body, q) else { return nil }
                            q = n
                        case 2:
                            guard let (l, s) = varint(body, q), l <= UInt64(end - s) else { return nil }
                            if k >> 3 == 3 { data = s ..< s + Int(l) }
                            q = s + Int(l)
                        default:
                            return nil
                        }
                    }
                    guard q == end, let data else { return nil }
                    out.append(data)
                }
                p = end
            default:
                return nil
            }
        }
        return out
    }

    static func varint(_ b: UnsafeRawBufferPointer, _ start: Int) -> (UInt64, Int)? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        var p = start
        while p < b.count && shift < 64 {
            let byte = b[p]
            v |= UInt64(byte & 0x7F) << shift
            p += 1
            if byte & 0x80 == 0 { return (v, p) }
            shift += 7
        }
        return nil
    }
}
