/// Reads one run of a `SpillFile` back, one session group at a time, through a buffer of its own (64 KiB,
/// grown only for a group larger than that), so the end of a run holds one buffer per run in memory.
final class SpillRunReader {
    private let file: SpillFile
    private var nextOffset: Int64
    private let end: Int64
    private var buffer: [UInt8]
    private var start = 0
    private var filled = 0
    /// The group at the reader's position; nil once the run is read.
    private(set) var current: SessionGroup?

    init(_ file: SpillFile, run: Range<Int64>, bufferSize: Int = 1 << 16) throws {
        self.file = file
        nextOffset = run.lowerBound
        end = run.upperBound
        buffer = [UInt8](repeating: 0, count: bufferSize)
        try advance()
    }

    /// Moves to the next group.
    func advance() throws {
        while true {
            var offset = start
            let group = buffer.withUnsafeBytes { SessionGroup.decode(UnsafeRawBufferPointer(rebasing: $0[0..<filled]), at: &offset) }
            if let group {
                current = group
                start = offset
                return
            }
            if nextOffset == end {
                guard start == filled else {
                    throw StoreError.spill(path: file.path, message: "a run ends inside a record (\(filled - start) bytes left)")
                }
                current = nil
                return
            }
            // Keep the unread tail, then fill the rest (doubling the buffer when one group does not fit).
            let tail = filled - start
            if start > 0 {
                buffer.withUnsafeMutableBytes { b in
                    _ = memmove(b.baseAddress!, b.baseAddress! + start, tail)
                }
            } else if tail == buffer.count {
                buffer += [UInt8](repeating: 0, count: buffer.count)
            }
            start = 0
            filled = tail
            let want = min(buffer.count - filled, Int(end - nextOffset))
            let n = try buffer.withUnsafeMutableBytes { b in
                try file.read(at: nextOffset, into: UnsafeMutableRawBufferPointer(rebasing: b[filled..<(filled + want)]))
            }
            guard n > 0 else { throw StoreError.spill(path: file.path, message: "short read at offset \(nextOffset)") }
            filled += n
            nextOffset += Int64(n)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
