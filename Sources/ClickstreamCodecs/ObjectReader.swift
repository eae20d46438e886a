#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole objects into reusable buffers, decompressing gzip.
///
/// A file is gunzipped when its content starts with the gzip magic `1f 8b` (the name does not decide: plain JSON
/// named `.gz` is read as JSON); at most `maxInflatedBytes` of it;
/// multi-member files yield all members. A truncated or corrupt gzip file is an error, never a partial result.
/// An empty file is an empty view, `.gz` or not. Buffers keep their capacity across calls, so a run over
/// many small files does not allocate per file. Copies of a reader share buffers until one of them reads.
public struct ObjectReader {
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    private var raw = ByteStorage()
    private var inflated = ByteStorage()
    private var inflater: GzipInflater?
    private var mapping: FileMapping?

    /// Regular files at least this large are mapped rather than copied into the buffer (saves a copy of every
    /// byte; small files are cheaper to read).
    public static let mapThreshold = 1 << 20

    public init() {}

    /// The most bytes one object may inflate to: `CLICKSTREAM_MAX_INFLATED_BYTES` (a positive integer), else
    /// 1 GiB. Beyond it the object is unreadable (`ObjectReadError.Kind.tooLarge`), however small it was.
    public static let maxInflatedBytes: Int = {
        if let text = getenv("CLICKSTREAM_MAX_INFLATED_BYTES").map({ String(cString: $0) }), let n = Int(text), n > 0 { return n }
        return 1 << 30
    }()

    /// The (decompressed) content of the file at `path`. The view is valid until the next call on this reader.
    ///
    /// `sizeHint` (the size a listing saw) lets a small file be read with one `read(2)` and no `fstat`: asking for
    /// one byte more than the hint and getting exactly the hint means end of file.
    public mutating func read(_ path: String, sizeHint: Int? = nil) throws -> UnsafeRawBufferPointer {
        if !isKnownUniquelyReferenced(&raw) { raw = ByteStorage() }
        mapping = nil
        return try content(of: readFile(path, sizeHint: sizeHint), name: path)
    }

    /// What an object's `bytes` hold: gunzipped (all members) when the bytes start with the gzip magic `1f 8b`,
    /// whatever `name` says, else `bytes` themselves. This is the one rule for every source (files, S3 objects, Kinesis
    /// records). Empty bytes are empty content, `.gz` or not. `name` is also what errors call the bytes. A gunzipped
    /// result is valid until the next call on this reader; `bytes` must not be a view this reader returned.
    public mutating func content(of bytes: UnsafeRawBufferPointer, name: String) throws -> UnsafeRawBufferPointer {
        guard Self.hasGzipMagic(bytes) else { return bytes }
        return try gunzip(bytes, name: name)
    }

    /// The raw bytes of the file at `path`, mapped (not read, not decompressed): for cutting a large plain file
    /// into segments that threads parse in parallel. Pages are read as they are touched. Valid until the next
    /// call on this reader.
    public mutating func map(_ path: String) throws -> UnsafeRawBufferPointer {
        mapping = nil
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ObjectReadError(path: path, kind: .io(Self.describe(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ObjectReadError(path: path, kind: .io(Self.describe(errno))) }
        let size = Int(info.st_size)
        if size == 0 { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw ObjectReadError(path: path, kind: .io(Self.describe(errno)))
        }
        let m = FileMapping(base: base, count: size)
        mapping = m
        return m.view
    }

    /// Decompresses in-memory gzip `bytes` (all members) into this reader's buffer, reusing its zlib stream:
    /// the cheap way to gunzip many small payloads (Kinesis records). `bytes` must not be a view this reader
    /// returned. The result is valid until the next call on this reader; `name` is what errors call the bytes.
    public mutating func gunzip(_ bytes: UnsafeRawBufferPointer, name: String) throws -> UnsafeRawBufferPointer {
        if !isKnownUniquelyReferenced(&inflated) { inflated = ByteStorage() }
        if inflater == nil || !isKnownUniquelyReferenced(&inflater!) {
            do { inflater = try GzipInflater() } catch { throw ObjectReadError(path: name, kind: error) }
        }
        let storage = inflated
        do {
            let produced = try inflater!.inflate(bytes) { produced, minimum, body in
                storage.reserve(minimum, preserving: produced, limit: Self.maxInflatedBytes)
                return body(UnsafeMutableRawBufferPointer(start: storage.base, count: storage.capacity))
            }
            return storage.view(count: produced)
        } catch {
            throw ObjectReadError(path: name, kind: error)
        }
    }

    /// Whether `bytes` start with the gzip magic `1f 8b`.
    public static func hasGzipMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Decompresses gzip `bytes` (all members) into `output`, replacing its contents and reusing its capacity.
    /// `name` is what errors call the bytes (an S3 key, a Kinesis sequence number). Empty input gives empty output.
    public static func gunzip(
        _ bytes: UnsafeRawBufferPointer, into output: inout [UInt8], name: String = "in-memory data"
    ) throws {
        output.removeAll(keepingCapacity: true)
        guard !bytes.isEmpty else { return }
        let inflater: GzipInflater
        do { inflater = try GzipInflater() } catch { throw ObjectReadError(path: name, kind: error) }
        // The array is only written inside `withUnsafeMutableBytes`; it grows between inflate rounds.
        var result: Int = 0
        do {
            result = try inflater.inflate(bytes) { produced, minimum, body in
                if output.count < minimum {
                    output.append(contentsOf: repeatElement(0, count: minimum - output.count))
                }
                return output.withUnsafeMutableBytes { body($0) }
            }
        } catch {
            throw ObjectReadError(path: name, kind: error)
        }
        output.removeLast(output.count - result)
    }

    /// Reads the whole file into `raw`; returns its length.
    /// The file's bytes: mapped when it is a regular file of at least `mapThreshold` bytes (kept in `mapping`
    /// until the next read), else read into `raw`.
    private mutating func readFile(_ path: String, sizeHint: Int?) throws -> UnsafeRawBufferPointer {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ObjectReadError(path: path, kind: .io(Self.describe(errno))) }
        defer { close(fd) }
        if let hint = sizeHint, hint >= 0, hint < Self.mapThreshold {
            raw.reserve(hint + 1, preserving: 0)
            let n = systemRead(fd, raw.base, hint + 1)
            if n >= 0 && n <= hint { return raw.view(count: n) } // end of file reached
            // Grew since the listing, or a read error: fall through to the general path from the start.
            if lseek(fd, 0, SEEK_SET) != 0 { throw ObjectReadError(path: path, kind: .io(Self.describe(errno))) }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ObjectReadError(path: path, kind: .io(Self.describe(errno))) }
        let isRegular = info.st_mode & S_IFMT == S_IFREG
        if isRegular && Int(info.st_size) >= Self.mapThreshold,
           let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED {
            let m = FileMapping(base: base, count: Int(info.st_size))
            mapping = m
            return m.view
        }
        let expected = isRegular ? Int(info.st_size) : -1
        if expected >= 0 { raw.reserve(expected, preserving: 0) }
        var count = 0
        while count != expected {
            if count == raw.capacity { raw.reserve(count + 1, preserving: count) }
            let n = systemRead(fd, raw.base.advanced(by: count), raw.capacity - count)
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw ObjectReadError(path: path, kind: .io(Self.describe(code)))
            }
            if n == 0 { break }
            count += n
        }
        return raw.view(count: count)
    }
}

/// `read(2)`, named apart from `ObjectReader.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
