import CZlib

/// Owns one zlib inflate stream (freed in `deinit`) and decompresses whole gzip inputs with it,
/// all members of a multi-member file included. Reusable: each `inflate` call starts from a reset stream.
final class GzipInflater {
    /// zlib checks that the stream never moves (`state->strm == strm`), so it lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>

    /// 15 window bits + 32: accept gzip and zlib headers (automatic detection).
    private static let windowBits: Int32 = 15 + 32

    init() throws(ObjectReadError.Kind) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, GzipInflater.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ObjectReadError.Kind.corruptGzip("inflateInit2 failed (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses all of `input` into memory provided, round by round, by `room`.
    ///
    /// Each round calls `room(produced, minimum, body)`, which must call `body` exactly once with a buffer of at
    /// least `minimum` bytes whose first `produced` bytes are the output so far (growing it may move them), and
    /// return what `body` returns. The buffer is only used during `body`. Returns the number of bytes produced.
    /// Throws `truncatedGzip` when the input ends inside a member, `corruptGzip` when zlib rejects it or non-gzip
    /// bytes follow a member, `tooLarge` as soon as the output would pass `limit` bytes (a gzip bomb: never more
    /// than `limit` bytes are asked of `room`; at the limit, one more byte is looked for in a scratch byte).
    func inflate(
        _ input: UnsafeRawBufferPointer, limit: Int = ObjectReader.maxInflatedBytes,
        room: (_ produced: Int, _ minimum: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int32) -> Int32
    ) throws(ObjectReadError.Kind) -> Int {
        guard let inputBase = input.baseAddress, input.count > 0 else { return 0 }
        guard inflateReset(stream) == Z_OK else { throw .corruptGzip("inflateReset failed") }
        // zlib's counters are 32-bit: feed and drain at most 1 GiB at a time.
        let chunk = 1 << 30
        var consumed = 0  // input bytes zlib has used
        var produced = 0
        var capacity = 0
        var minimum = min(GzipInflater.initialGuess(input), limit)
        stream.pointee.avail_in = 0
        while true {
            // With all input given, zlib may still have output pending for a full buffer: keep calling until it
            // reports the end of the stream or that it cannot progress (`Z_BUF_ERROR`: truncated).
            let remaining = input.count - consumed
            if stream.pointee.avail_in == 0, remaining > 0 {
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: inputBase.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(min(remaining, chunk))
            }
            if produced >= limit {
                if try atLimitHasMore(input, consumed: &consumed) { throw .tooLarge(limit: limit) }
                return produced
            }
            let status = room(produced, minimum) { buffer in
                capacity = buffer.count
                let space = min(min(buffer.count, limit) - produced, chunk)
                stream.pointee.next_out = buffer.baseAddress!.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(space)
                let availableIn = Int(stream.pointee.avail_in)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                consumed += availableIn - Int(stream.pointee.avail_in)
                produced += space - Int(stream.pointee.avail_out)
                return status
            }
            // Double the output when it is full (up to the limit); otherwise ask for no more than what is there.
            minimum = produced == min(capacity, limit) ? min(produced + max(produced, 64 * 1024), limit) : capacity
            switch status {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress: either the output is full (grow and go on) or the input ran out.
                if produced == min(capacity, limit) { continue }
                if consumed == input.count { throw .truncatedGzip }
                continue
            case Z_STREAM_END:
                let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
                if rest.isEmpty { return produced }
                if rest.count >= 2, rest[0] == 0x1f, rest[1] == 0x8b {
                    // Another member of a multi-member (concatenated) gzip file.
                    guard inflateReset(stream) == Z_OK else { throw .corruptGzip("inflateReset failed") }
                    stream.pointee.avail_in = 0
                    continue
                }
                // Zero padding after the last member is tolerated (as gzip(1) does); anything else is not.
                if rest.allSatisfy({ $0 == 0 }) { return produced }
                throw .corruptGzip("unexpected bytes after gzip member at offset \(consumed)")
            case Z_NEED_DICT:
                throw .corruptGzip("preset dictionary required")
            case Z_MEM_ERROR:
                throw .corruptGzip("out of memory")
            default:
                throw .corruptGzip(message ?? "zlib error \(status)")
            }
        }
    }

    /// With `limit` bytes out: whether the data holds at least one more (inflated into a scratch byte), so that
    /// the caller never has to provide room beyond the limit. The end of the last member, or zero padding after
    /// it, is no more; another member or anything else is (at the limit, it is refused either way).
    private func atLimitHasMore(_ input: UnsafeRawBufferPointer, consumed: inout Int) throws(ObjectReadError.Kind) -> Bool {
        var scratch: UInt8 = 0
        while true {
            let remaining = input.count - consumed
            if stream.pointee.avail_in == 0, remaining > 0 {
                stream.pointee.next_in = UnsafeMutablePointer(
                    mutating: input.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(min(remaining, 1 << 30))
            }
            let availableIn = Int(stream.pointee.avail_in)
            let status = withUnsafeMutablePointer(to: &scratch) { p in
                stream.pointee.next_out = p
                stream.pointee.avail_out = 1
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            consumed += availableIn - Int(stream.pointee.avail_in)
            if stream.pointee.avail_out == 0 { return true }
            switch status {
            case Z_STREAM_END:
                let rest = UnsafeRawBufferPointer(rebasing: input[consumed...])
                return !rest.allSatisfy { $0 == 0 }
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if consumed == input.count { throw .truncatedGzip }
                continue
            default:
                throw .corruptGzip(message ?? "zlib error \(status)")
            }
        }
    }

    private var message: String? {
        stream.pointee.msg.map { String(cString: $0) }
    }

    /// ISIZE (the last member's size mod 2^32) when plausible, else a multiple of the input; at most 16 MiB
    /// (ISIZE is the sender's word: a bomb's would have the whole output allocated up front), grown by doubling.
    private static func initialGuess(_ input: UnsafeRawBufferPointer) -> Int {
        var guess = input.count * 4
        if input.count >= 18 {
            let n = input.count
            let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
            if isize >= guess && isize <= input.count * 1032 { guess = isize }
        }
        return min(max(guess, 4096), 16 << 20)
    }
}
